"""scripts/check_package.py refuses what would not run on Lambda: a native
library built from source or for a newer glibc, one no wheel owns, an unpinned
distribution, a zip over Lambda's limits."""

from __future__ import annotations

import importlib.util
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("check_package", ROOT / "scripts/check_package.py")
assert _spec is not None and _spec.loader is not None
check = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = check
_spec.loader.exec_module(check)


@pytest.mark.parametrize(
    ("tag", "fits"),
    [
        ("cp312-cp312-manylinux_2_17_x86_64", True),
        ("cp312-cp312-manylinux2014_x86_64", True),
        ("cp311-abi3-manylinux_2_34_x86_64", True),
        ("py3-none-any", True),
        ("py3-none-manylinux_2_17_x86_64", True),
        ("cp312-cp312-linux_x86_64", False),  # built here from source
        ("cp312-cp312-manylinux_2_35_x86_64", False),  # newer glibc than Lambda's
        ("cp312-cp312-manylinux_2_28_aarch64", False),
        ("cp313-cp313-manylinux_2_28_x86_64", False),
        ("cp313-abi3-manylinux_2_28_x86_64", False),
        ("cp312-cp312-musllinux_1_2_x86_64", False),
        ("cp312-cp312-macosx_11_0_arm64", False),
        ("nonsense", False),
    ],
)
def test_wheel_tags(tag: str, fits: bool) -> None:
    assert check.tag_fits_lambda(tag) is fits


def _zip(path: Path, dists: dict[str, tuple[str, list[str]]], loose: list[str] = ()) -> Path:
    """dists: dist-info name -> (wheel tag, files it owns)."""
    with zipfile.ZipFile(path, "w") as z:
        for dist, (tag, files) in dists.items():
            z.writestr(f"{dist}/WHEEL", f"Wheel-Version: 1.0\nTag: {tag}\n")
            z.writestr(f"{dist}/RECORD", "".join(f"{f},,\n" for f in files))
            for f in files:
                z.writestr(f, b"\x7fELF")
        for f in loose:
            z.writestr(f, b"\x7fELF")
    return path


def _requirements(tmp_path: Path, *pins: str) -> Path:
    path = tmp_path / "requirements.txt"
    path.write_text("# pins\n" + "".join(f"{p}\n" for p in pins))
    return path


def test_a_good_zip_passes(tmp_path: Path) -> None:
    z = _zip(
        tmp_path / "d.zip",
        {
            "numpy-2.5.5.dist-info": ("cp312-cp312-manylinux_2_28_x86_64", ["numpy/_core.so"]),
            "typing_extensions-4.16.0.dist-info": ("py3-none-any", ["typing_extensions.py"]),
        },
    )
    reqs = _requirements(tmp_path, "numpy==2.5.5", "typing-extensions==4.16.0")
    assert check.check_zip(z, reqs) == []


def test_a_library_built_from_source_fails(tmp_path: Path) -> None:
    z = _zip(
        tmp_path / "d.zip",
        {"cbor2-6.3.0.dist-info": ("cp312-cp312-linux_x86_64", ["cbor2/_cbor2.so"])},
    )
    problems = check.check_zip(z, _requirements(tmp_path, "cbor2==6.3.0"))
    assert len(problems) == 1 and "cbor2/_cbor2.so" in problems[0]


def test_a_library_no_wheel_owns_fails(tmp_path: Path) -> None:
    z = _zip(tmp_path / "d.zip", {}, loose=["libzbar.so.0"])
    assert check.check_zip(z, _requirements(tmp_path)) == [
        "libzbar.so.0: a native library no wheel's RECORD lists"
    ]


def test_an_unpinned_or_differently_pinned_distribution_fails(tmp_path: Path) -> None:
    z = _zip(tmp_path / "d.zip", {"tqdm-4.70.1.dist-info": ("py3-none-any", ["tqdm/x.py"])})
    assert check.check_zip(z, _requirements(tmp_path, "tqdm==4.70.1")) == []
    assert len(check.check_zip(z, _requirements(tmp_path, "tqdm==4.70.0"))) == 1
    assert len(check.check_zip(z, _requirements(tmp_path))) == 1


def test_a_zip_over_the_limits_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    z = _zip(tmp_path / "d.zip", {"tqdm-4.70.1.dist-info": ("py3-none-any", ["tqdm/x.py"])})
    monkeypatch.setattr(check, "ZIPPED_LIMIT", 10)
    monkeypatch.setattr(check, "UNZIPPED_LIMIT", 10)
    problems = check.check_zip(z, _requirements(tmp_path, "tqdm==4.70.1"))
    assert [p.split(" ")[0] for p in problems] == ["deployment.zip", "unzipped"]
