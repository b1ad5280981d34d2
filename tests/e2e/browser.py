"""A real docseal server with demo data, and headless Chromium pointed at it.

Used by the browser tests and by `make screenshots`, which refreshes
docs/screenshots/ from the same pages the tests check.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

DOCSEAL = str(Path(sys.executable).parent / "docseal")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError("headless Chromium is needed: `make test` installs Debian's chromium")


@contextlib.contextmanager
def demo_server() -> Iterator[tuple[str, dict[str, str], Path]]:
    """Serve demo data on 127.0.0.1; yields the base URL, the demo QR texts and
    the demo folder (QR images and PDFs)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "DOCSEAL_HOME": home, "DOCSEAL_PUBLIC_URL": base}
        listing = json.loads(
            subprocess.run(
                [DOCSEAL, "demo"], env=env, capture_output=True, text=True, check=True, timeout=120
            ).stdout
        )
        texts = {
            d["name"]: (Path(d["folder"]) / "qr.txt").read_text().strip()
            for d in listing["documents"]
        }
        server = subprocess.Popen(
            [DOCSEAL, "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/api/v1/health", timeout=2):
                        break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise RuntimeError("docseal serve did not start") from None
                    time.sleep(0.2)
            yield base, texts, Path(listing["folder"])
        finally:
            os.kill(server.pid, signal.SIGTERM)
            server.wait(timeout=10)


def _run(args: list[str], url: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [
                chromium(),
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                "--virtual-time-budget=10000",
                *args,
                url,
            ],
            capture_output=True,
            text=True,
            timeout=90,
            check=True,
        )


def dom(url: str) -> str:
    """The page's DOM after its scripts ran (and its API calls returned)."""
    return _run(["--dump-dom"], url).stdout


def screenshot(url: str, out: Path, width: int = 412, height: int = 1100) -> Path:
    """A phone-sized screenshot of the page after its scripts ran."""
    _run([f"--screenshot={out}", f"--window-size={width},{height}"], url)
    return out


def main(folder: str) -> None:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    import pypdfium2

    with demo_server() as (base, texts, folder):
        screenshot(texts["birth-registration"], out / "verify-valid.png")
        screenshot(texts["residence-confirmation"][:-12] + "A" * 12, out / "verify-invalid.png")
        screenshot(base + "/", out / "home.png", height=700)
        pdf = pypdfium2.PdfDocument(folder / "birth-registration" / "result.pdf")
        pdf[0].render(scale=1.2).to_pil().save(out / "result-pdf.png")
    print(f"screenshots written to {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
