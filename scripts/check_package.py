"""Checks what `chalice package` built before anyone deploys it (`make package`).

1. Every native library in ``deployment.zip`` belongs to a wheel whose tags the
   Lambda ``python3.12`` runtime accepts (CPython 3.12 or abi3, manylinux on
   x86_64, glibc at most Amazon Linux 2023's 2.34): nothing was compiled from
   source against this machine's libraries.
2. Every distribution in the zip is pinned, at that version, in requirements.txt.
3. The zip is within Lambda's limits: 50 MB zipped for a direct upload and
   250 MB unzipped.
4. ``app.py`` imports from the unpacked zip in a clean interpreter (``-I -S``:
   no site-packages, no environment), and the handler answers a health check,
   reads a real QR image through the scanning worker, so the native wheels load,
   and answers an unknown path (API Gateway's ``/{proxy+}``) with docseal's 404 page.

Exit 0 when everything holds; 1 with one line per failure otherwise.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ZIPPED_LIMIT = 50 * 1000 * 1000
UNZIPPED_LIMIT = 250 * 1000 * 1000
MAX_GLIBC = (2, 34)  # Amazon Linux 2023, the python3.12 runtime
_MANYLINUX = re.compile(r"^manylinux_(\d+)_(\d+)_x86_64$")
_LEGACY = {"manylinux1_x86_64": (2, 5), "manylinux2010_x86_64": (2, 12)}
_LEGACY["manylinux2014_x86_64"] = (2, 17)
_NATIVE = re.compile(r"\.so(\.[0-9.]+)?$")


def tag_fits_lambda(tag: str) -> bool:
    """Whether one wheel tag (``cp312-abi3-manylinux_2_28_x86_64``) runs on Lambda."""
    try:
        python, abi, platform = tag.split("-")
    except ValueError:
        return False
    if platform == "any":
        return abi == "none" and python in {"py3", "py2.py3", "py312", "cp312"}
    glibc = _LEGACY.get(platform)
    if glibc is None:
        matched = _MANYLINUX.match(platform)
        if not matched:
            return False
        glibc = (int(matched.group(1)), int(matched.group(2)))
    if glibc > MAX_GLIBC:
        return False
    if abi == "abi3":
        found = re.fullmatch(r"cp3(\d+)", python)
        return found is not None and int(found.group(1)) <= 12
    return (python, abi) in {("cp312", "cp312"), ("py3", "none")}


def _wheel_tags(names: set[str], read: dict[str, str]) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    for name in names:
        if name.endswith(".dist-info/WHEEL"):
            dist = name.split("/")[0]
            tags[dist] = [
                line.split(":", 1)[1].strip()
                for line in read[name].splitlines()
                if line.startswith("Tag:")
            ]
    return tags


def _owners(names: set[str], read: dict[str, str]) -> dict[str, str]:
    """Each file listed in a RECORD, and the dist-info folder that owns it."""
    owners: dict[str, str] = {}
    for name in names:
        if name.endswith(".dist-info/RECORD"):
            dist = name.split("/")[0]
            for line in read[name].splitlines():
                path = line.split(",")[0]
                if path:
                    owners[path] = dist
    return owners


def _pins(requirements: Path) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[_normal(name.split("[")[0])] = version.strip()
    return pins


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def check_zip(zip_path: Path, requirements: Path) -> list[str]:
    """Failures of checks 1 to 3 (an empty list when the zip is fine)."""
    problems: list[str] = []
    with zipfile.ZipFile(zip_path) as archive:
        infos = archive.infolist()
        names = {i.filename for i in infos}
        wanted = [n for n in names if n.endswith((".dist-info/WHEEL", ".dist-info/RECORD"))]
        read = {n: archive.read(n).decode("utf-8") for n in wanted}
    unzipped = sum(i.file_size for i in infos)
    zipped = zip_path.stat().st_size
    if zipped > ZIPPED_LIMIT:
        problems.append(f"deployment.zip is {zipped:,} bytes; Lambda takes {ZIPPED_LIMIT:,}")
    if unzipped > UNZIPPED_LIMIT:
        problems.append(f"unzipped {unzipped:,} bytes; Lambda takes {UNZIPPED_LIMIT:,}")
    tags = _wheel_tags(names, read)
    owners = _owners(names, read)
    for name in sorted(names):
        if not _NATIVE.search(name):
            continue
        dist = owners.get(name)
        if dist is None:
            problems.append(f"{name}: a native library no wheel's RECORD lists")
            continue
        bad = [t for t in tags.get(dist, []) if not tag_fits_lambda(t)]
        if not tags.get(dist) or bad:
            problems.append(f"{name}: from {dist}, tags {tags.get(dist)} do not fit Lambda")
    pins = _pins(requirements)
    for dist in sorted(tags):
        project, _, version = dist.removesuffix(".dist-info").partition("-")
        if pins.get(_normal(project)) != version:
            problems.append(f"{project} {version} is in the zip but not pinned in requirements.txt")
    return problems


SMOKE = r"""
import io, json, sys, tempfile, os
sys.path.insert(0, sys.argv[1])
os.environ.update(DOCSEAL_BACKEND="local", DOCSEAL_HOME=tempfile.mkdtemp())
import app  # noqa: E402
import qrcode  # noqa: E402


def call(method, path, body=b"", content_type="application/json", resource=None):
    import base64
    resource = resource or path
    event = {
        "resource": resource, "path": path, "httpMethod": method,
        "headers": {"Content-Type": content_type, "Host": "docseal.example.vn"},
        "multiValueHeaders": {}, "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": {"proxy": path.lstrip("/")} if resource == "/{proxy+}" else None,
        "stageVariables": None, "isBase64Encoded": True,
        "body": base64.b64encode(body).decode(),
        "requestContext": {"resourcePath": resource, "httpMethod": method, "requestId": "smoke",
                           "stage": "api", "identity": {"sourceIp": "127.0.0.1"}},
    }
    return app.app(event, None)


health = call("GET", "/api/v1/health")
image = io.BytesIO()
qrcode.make("https://example.org/not-docseal").save(image, format="PNG")
verdict = call("POST", "/api/v1/verify", image.getvalue(), "image/png")
missing = call("GET", "/no/such/page", resource="/{proxy+}")
print(json.dumps({"health": health, "verify": verdict, "missing": missing}))
"""


def smoke(unpacked: Path) -> list[str]:
    """Check 4: import and call the handler with nothing but the zip on the path."""
    run = subprocess.run(  # noqa: S603 - this interpreter, our own script, our own folder
        [sys.executable, "-I", "-S", "-c", SMOKE, str(unpacked)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if run.returncode != 0:
        return [f"app does not load from the zip: {run.stderr.strip().splitlines()[-1:]}"]
    answers = json.loads(run.stdout.strip().splitlines()[-1])
    problems = []
    health, verify = answers["health"], answers["verify"]
    if health["statusCode"] != 200:
        problems.append(f"health answered {health['statusCode']}")
    else:
        decoders = json.loads(health["body"]).get("decoders", {})
        print(f"  decoders active from the zip: {decoders}")
    if verify["statusCode"] != 200 or "NOT_A_DOCSEAL_CODE" not in verify["body"]:
        problems.append(f"a QR image was not read from the zip: {verify['body'][:200]}")
    missing = answers["missing"]
    if missing["statusCode"] != 404 or "<html" not in missing["body"]:
        problems.append(f"an unknown path got {missing['statusCode']}, not docseal's 404 page")
    return problems


def main(folder: str) -> int:
    out = Path(folder)
    zip_path = out / "deployment.zip"
    requirements = Path(__file__).resolve().parents[1] / "requirements.txt"
    problems = check_zip(zip_path, requirements)
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(zip_path) as archive:
        unzipped = sum(i.file_size for i in archive.infolist())
        archive.extractall(tmp)
        problems += smoke(Path(tmp))
    print(
        f"  deployment.zip {zip_path.stat().st_size / 1e6:.1f} MB zipped "
        f"(limit 50), {unzipped / 1e6:.1f} MB unzipped (limit 250)"
    )
    for problem in problems:
        print(f"FAIL {problem}")
    if not problems:
        print("  every native library comes from a manylinux wheel Lambda python3.12 accepts;")
        print("  every distribution is pinned; app.py loads and answers from the unpacked zip")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "out/package"))
