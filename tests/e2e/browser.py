"""A real docseal server with demo data, and headless Chromium driven by
Playwright (Debian's chromium, never a downloaded browser).

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
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

DOCSEAL = str(Path(sys.executable).parent / "docseal")
CHROMIUM_FLAGS = [
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


class Demo(NamedTuple):
    base: str  # http://127.0.0.1:PORT
    texts: dict[str, str]  # demo name -> QR text
    folder: Path  # demo folder: <name>/qr.png, result.pdf
    env: dict[str, str]  # DOCSEAL_HOME etc., for CLI calls against the same state


@contextlib.contextmanager
def demo_server(**settings: str) -> Iterator[Demo]:
    """Serve demo data on 127.0.0.1 until the block ends (stopped by its PID)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "DOCSEAL_HOME": home, "DOCSEAL_PUBLIC_URL": base, **settings}
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
            yield Demo(base, texts, Path(listing["folder"]), env)
        finally:
            os.kill(server.pid, signal.SIGTERM)
            server.wait(timeout=10)


@contextlib.contextmanager
def browser() -> Iterator[Any]:
    """A headless Chromium (Debian's) under Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(
            executable_path=chromium(), headless=True, args=CHROMIUM_FLAGS
        )
        try:
            yield launched
        finally:
            launched.close()


PHONE = {"viewport": {"width": 412, "height": 915}, "device_scale_factor": 1}
DESK = {"viewport": {"width": 1280, "height": 900}, "device_scale_factor": 1}


def provider_account(demo: Demo, subject: str, claims: dict[str, Any]) -> None:
    """An account on the local provider with ``claims`` (its test API)."""
    issuer = demo.env["DOCSEAL_OIDC_ISSUER"]
    request = urllib.request.Request(
        f"{issuer}/users/{urllib.parse.quote(subject, safe='')}",
        data=json.dumps(claims).encode(),
        headers={"Content-Type": "application/json"},
        method="PUT",
    )
    with urllib.request.urlopen(request, timeout=5):
        pass


def sign_in(page: Any, demo: Demo, subject: str, next_path: str = "") -> None:
    """Sign in as a person would: docseal's sign-in link, then one click on
    their account on the provider's page (or their name typed there)."""
    query = f"?next={urllib.parse.quote(next_path)}" if next_path else ""
    page.goto(demo.base + "/signin" + query)
    page.wait_for_selector("#subject-input")
    account = page.locator(f"button.authorize-button[value='{subject}']")
    if account.count():
        account.first.click()
    else:
        page.fill("#subject-input", subject)
        page.click("fieldset button[type=submit]")
    page.wait_for_url(demo.base + "/**")


def sign_out(page: Any, demo: Demo) -> None:
    """**Đăng xuất**: docseal's session ends, then the provider's (its page
    asks to confirm, then comes back to docseal)."""
    with page.expect_navigation(url="**/oauth2/end_session**"):
        page.click("#signout button")
    with page.expect_navigation(url=demo.base + "/**"):
        page.click("form button[type=submit]")
    page.wait_for_selector("#signin-link")


def upload_and_check(page: Any, base: str, file: Path, holder_id: str = "") -> None:
    page.goto(base + "/")
    page.set_input_files("#file", str(file))
    if holder_id:
        page.fill("#holder_id", holder_id)
    page.click("#verify-form button[type=submit]")
    page.wait_for_selector("#verdict, #error")


def share_screens(chromium_browser: Any, demo: Demo, out: Path) -> None:
    """A citizen's link: created, opened by an officer, seen in the log."""
    citizen = chromium_browser.new_page(**PHONE)
    sign_in(citizen, demo, "001325012345")
    form = citizen.locator("form.link-form").first
    form.locator("input[name=recipient]").fill("Trường Tiểu học Dịch Vọng")
    form.locator("input[name='field:registration_no']").uncheck()
    form.locator("button[type=submit]").click()
    citizen.wait_for_selector("#created")
    citizen.screenshot(path=str(out / "link-created.png"), full_page=True)
    url = citizen.inner_text("#link-url").strip()
    officer = chromium_browser.new_page(**PHONE)
    sign_in(officer, demo, "officer.thdv")
    officer.goto(url)
    officer.wait_for_selector("#verdict")
    officer.screenshot(path=str(out / "link-opened.png"), full_page=True)
    citizen.goto(demo.base + "/me")
    citizen.locator("#" + citizen.locator("article.link").first.get_attribute("id")).screenshot(
        path=str(out / "link-log.png")
    )


def signin_screens(chromium_browser: Any, demo: Demo, out: Path) -> None:
    """Signing in: the local provider's page, the citizen signed in, a refusal."""
    page = chromium_browser.new_page(**PHONE)
    page.goto(demo.base + "/signin")
    page.wait_for_selector("#subject-input")
    page.screenshot(path=str(out / "signin-provider.png"), full_page=True)
    page.click("button.authorize-button[value='001325012345']")
    page.wait_for_selector("article.doc")
    page.screenshot(path=str(out / "signin-citizen.png"))
    other = chromium_browser.new_page(**PHONE)
    sign_in(other, demo, "00132501234")
    other.wait_for_selector("#error")
    other.screenshot(path=str(out / "signin-refused.png"), full_page=True)


def _cut_short_photo(qr_png: Path) -> bytes:
    """A JPEG of the code with room below it, missing its last fifth: what a
    phone sends when the upload was cut, and what every viewer still shows."""
    import io

    from PIL import Image

    code = Image.open(qr_png).convert("L")
    code = code.resize((code.width * 3, code.height * 3), Image.Resampling.NEAREST)
    canvas = Image.new("L", (code.width, code.height * 3 // 2), 255)
    canvas.paste(code, (0, 0))
    buffer = io.BytesIO()
    canvas.save(buffer, "JPEG", quality=90)
    data = buffer.getvalue()
    return data[: len(data) * 4 // 5]


def main(folder: str) -> None:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    import pypdfium2

    from tests.idp import local_provider

    with (
        local_provider() as issuer,
        demo_server(DOCSEAL_OIDC_ISSUER=issuer) as demo,
        browser() as chromium_browser,
    ):
        page = chromium_browser.new_page(**PHONE)
        page.goto(demo.base + "/")
        page.screenshot(path=str(out / "home.png"), full_page=True)
        page.goto(demo.texts["birth-registration"])
        page.wait_for_selector("#verdict")
        page.screenshot(path=str(out / "verify-valid.png"), full_page=True)
        upload_and_check(
            page, demo.base, demo.folder / "birth-registration" / "qr.png", "001090004567"
        )
        page.screenshot(path=str(out / "holder-mismatch.png"), full_page=True)
        with page.expect_download() as download:  # the receipt of that rejection
            page.click("form.receipt button[value=json]")
        rejection = json.loads(Path(download.value.path()).read_text())["qr_text"]
        page.goto(rejection)
        page.wait_for_selector("#conclusion")
        page.screenshot(path=str(out / "receipt-verified.png"), full_page=True)
        page.goto(demo.base + "/no/such/page")
        page.screenshot(path=str(out / "not-found.png"), full_page=True)
        damaged = demo.texts["residence-confirmation"][:-12] + "A" * 12
        page.goto(damaged)
        page.wait_for_selector("#verdict")
        page.screenshot(path=str(out / "verify-invalid.png"), full_page=True)
        page.goto(demo.base + "/?lang=en")  # another system's code, pasted
        page.fill("#qr_text", "https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so.html?ma=G22")
        page.click("#verify-form button[type=submit]")
        page.wait_for_selector("#verdict, .reason")
        page.screenshot(path=str(out / "not-docseal.png"), full_page=True)
        cut = out / "photo-cut-short.jpg"  # a phone photo that lost its last bytes
        cut.write_bytes(_cut_short_photo(demo.folder / "birth-registration" / "qr.png"))
        upload_and_check(page, demo.base, cut)
        page.screenshot(path=str(out / "damaged-photo.png"), full_page=True)
        cut.unlink()
        desk = chromium_browser.new_page(**DESK)
        upload_and_check(desk, demo.base, demo.folder / "birth-registration" / "result.pdf")
        desk.screenshot(path=str(out / "verify-desk.png"), full_page=True)
        with desk.expect_download() as download:
            desk.click("form.receipt button[value=pdf]")
        receipt = out / "receipt.pdf"
        download.value.save_as(str(receipt))
        pdf = pypdfium2.PdfDocument(str(receipt))
        pdf[0].render(scale=1.2).to_pil().save(out / "receipt-pdf.png")
        pdf.close()
        receipt.unlink()
        share_screens(chromium_browser, demo, out)
        signin_screens(chromium_browser, demo, out)
        pdf = pypdfium2.PdfDocument(demo.folder / "birth-registration" / "result.pdf")
        pdf[0].render(scale=1.2).to_pil().save(out / "result-pdf.png")
        pdf.close()
    print(f"screenshots written to {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
