"""bench/corpus.py: a small corpus is complete, well-formed, reproducible, and
its ground truth is right (the clean codes decode to the texts it records)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
PREFIX = "https://docseal.example.vn/v#DS1:"


def _load_corpus_module():
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


corpus = _load_corpus_module()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[dict]]:
    base = tmp_path_factory.mktemp("corpus")
    home, out = base / "home", base / "a"
    manifest = corpus.build(out, per_category=2, seed=7, home=home)
    return home, out, manifest


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_category_folder_exists_and_is_not_empty(built):
    _, out, manifest = built
    for category in corpus.CATEGORIES:
        folder = out / category
        assert folder.is_dir(), category
        files = sorted(folder.iterdir())
        assert files, category
        assert {f"{category}/{f.name}" for f in files} == {
            e["file"] for e in manifest if e["category"] == category
        }
    assert {e["category"] for e in manifest} == set(corpus.CATEGORIES)


def test_manifest_on_disk_is_what_build_returned(built):
    _, out, manifest = built
    assert corpus.load_manifest(out) == manifest
    for entry in manifest:
        assert set(entry) == {"file", "category", "texts", "difficulty", "params"}
        assert entry["file"].startswith(entry["category"] + "/")
        assert 0.0 <= entry["difficulty"] <= 1.0
        assert isinstance(entry["params"], dict)


def test_every_file_exists_and_opens(built):
    _, out, manifest = built
    for entry in manifest:
        path = out / entry["file"]
        assert path.is_file(), entry["file"]
        if path.suffix == ".pdf":
            assert path.read_bytes().startswith(b"%PDF")
            doc = pypdfium2.PdfDocument(str(path))
            try:
                assert len(doc) == entry["params"]["pages"]
                assert 1 <= entry["params"]["qr_page"] <= len(doc)
            finally:
                doc.close()
        else:
            assert path.suffix in (".png", ".jpg")
            with Image.open(path) as img:
                assert img.format == ("PNG" if path.suffix == ".png" else "JPEG")
                img.load()
                assert img.width >= 64 and img.height >= 64


def test_texts_are_the_demo_documents_qr_texts(built):
    home, _, manifest = built
    demo = {p.read_text().strip() for p in (home / "demo").glob("*/qr.txt")}
    assert len(demo) == 4
    for entry in manifest:
        assert entry["texts"], entry["file"]
        for text in entry["texts"]:
            assert text.startswith(PREFIX)
            assert text in demo


def test_multi_entries_hold_two_different_codes(built):
    _, _, manifest = built
    multi = [e for e in manifest if e["category"] == "multi"]
    assert multi
    for entry in multi:
        assert len(entry["texts"]) == 2
        assert entry["texts"][0] != entry["texts"][1]
    assert all(len(e["texts"]) == 1 for e in manifest if e["category"] != "multi")


def test_phone_photos_are_12_megapixel(built):
    _, out, manifest = built
    phone = [e for e in manifest if e["category"] == "phone_12mp"]
    assert len(phone) == 4  # max(4, per_category // 4)
    for entry in phone:
        with Image.open(out / entry["file"]) as img:
            assert img.size == (4000, 3000)
            assert img.format == "JPEG"


def test_screenshots_show_the_code_80_to_150_px_wide(built):
    _, out, manifest = built
    shots = [e for e in manifest if e["category"] == "screenshot"]
    assert shots
    for entry in shots:
        assert 80 <= entry["params"]["qr_px"] <= 150
        assert (out / entry["file"]).suffix == ".jpg"


def test_same_seed_same_corpus(built, tmp_path):
    home, out, manifest = built
    again = corpus.build(tmp_path / "b", per_category=2, seed=7, home=home)
    assert again == manifest
    assert (tmp_path / "b" / "manifest.json").read_bytes() == (out / "manifest.json").read_bytes()
    for entry in manifest:
        assert _sha(tmp_path / "b" / entry["file"]) == _sha(out / entry["file"]), entry["file"]


def test_clean_codes_decode_to_exactly_their_texts(built):
    _, out, manifest = built
    clean = [e for e in manifest if e["category"] == "clean"]
    assert [e["params"].get("as_issued", False) for e in clean] == [True, False]
    for entry in clean:
        with Image.open(out / entry["file"]) as img:
            found = zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode)
        assert [b.text for b in found] == entry["texts"], entry["file"]


def test_manifest_is_plain_json(built):
    _, out, _ = built
    text = (out / "manifest.json").read_text(encoding="utf-8")
    assert json.loads(text)
    assert text.endswith("\n")


DOCSEAL = str(Path(sys.executable).parent / "docseal")


def test_decode_and_verify_file_work_on_every_category(built):
    """`docseal decode` finds the exact texts in one image of each category, and
    `docseal verify FILE` (in the corpus's own docseal home) says VALID."""
    import os
    import subprocess

    home, out, manifest = built
    env = {**os.environ, "DOCSEAL_HOME": str(home)}
    # The easiest image of each category: the images' pixels depend on the
    # freshly made keys of this run, so a hard one may fail on one run in twenty;
    # how well the hard ones decode is what `make bench-decode` measures.
    first: dict[str, dict] = {}
    for entry in sorted(manifest, key=lambda e: e["difficulty"]):
        first.setdefault(entry["category"], entry)
    files = [str(out / e["file"]) for e in first.values()]
    decoded = subprocess.run(
        [DOCSEAL, "decode", *files], capture_output=True, text=True, env=env, timeout=300
    )
    lines = [json.loads(line) for line in decoded.stdout.splitlines()]
    assert decoded.returncode == 0, decoded.stdout
    for entry, line in zip(first.values(), lines, strict=True):
        assert set(entry["texts"]) <= set(line["texts"]), entry["file"]
    for entry in first.values():
        checked = subprocess.run(
            [DOCSEAL, "verify", str(out / entry["file"])],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        verdict = json.loads(checked.stdout)
        assert checked.returncode == 0, (entry["file"], verdict)
        assert verdict["verdict"] == "VALID"
        assert len(verdict["results"]) == len(entry["texts"])
