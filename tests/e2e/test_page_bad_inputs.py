"""Hostile and mistaken input on the officer's pages, in a real browser: each
gets a clear answer, nothing is executed, and nothing leaks."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import qrcode

from tests.e2e.browser import (
    DOCSEAL,
    PHONE,
    Demo,
    demo_server,
    provider_account,
    sign_in,
    upload_and_check,
)

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
QUOTE = '"><script>alert(3)</script>'


@pytest.fixture(scope="module")
def demo(oidc_issuer: str) -> Iterator[Demo]:
    with demo_server(DOCSEAL_MAX_FILE_BYTES="200000", DOCSEAL_OIDC_ISSUER=oidc_issuer) as running:
        yield running


def cli(demo: Demo, *args: str) -> str:
    done = subprocess.run(
        [DOCSEAL, *args], capture_output=True, text=True, env=demo.env, timeout=120, check=True
    )
    return done.stdout


@pytest.fixture(scope="module")
def hostile(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A real signed document with markup in the holder's name and every field."""
    folder = tmp_path_factory.mktemp("hostile")
    rows = folder / "people.csv"
    rows.write_text(
        "id_number,full_name,dob,gender,status\n"
        f"001090007777,Lê {SCRIPT} An,1990-01-02,male,active\n"
    )
    cli(demo, "identity", "import", str(rows))
    issued = cli(
        demo,
        "issue",
        "--issuer",
        "UBND-DICHVONGHAU",
        "--type",
        "birth-registration",
        "--holder-id",
        "001090007777",
        "--holder-name",
        f"Lê {SCRIPT} An",
        "--holder-dob",
        "1990-01-02",
        "--field",
        f"birth_place={IMG}",
        "--field",
        "registration_date=2020-01-02",
        "--field",
        f"registration_no={QUOTE}",
        "--field",
        f"father_name={SCRIPT}",
        "--field",
        f"mother_name={IMG}{QUOTE}",
        "--field",
        f"registrar={SCRIPT}{IMG}",
        "--out",
        str(folder / "out"),
    )
    return str(json.loads(issued)["qr_text"])


def _error(page: Any) -> str:
    page.wait_for_selector("#error")
    return str(page.inner_text("#error"))


def test_fragment_that_is_not_docseal(page: Any, demo: Demo) -> None:
    page.goto(demo.base + "/v#hello-world")
    page.wait_for_selector("#verdict")
    assert page.get_attribute(".reason", "data-code") == "NOT_A_DOCSEAL_CODE"


def test_over_long_fragment(page: Any, demo: Demo) -> None:
    page.goto(demo.base + "/v#DS1:" + "A" * 60000)
    page.wait_for_selector("#verdict, #error")
    assert "invalid" in str(page.get_attribute("#verdict", "class")).split()
    assert page.get_attribute(".reason", "data-code") == "MALFORMED"


def test_markup_in_every_document_field_is_shown_as_text(
    page: Any, demo: Demo, hostile: str
) -> None:
    page.goto(hostile)
    page.wait_for_selector("#verdict")
    assert "valid" in str(page.get_attribute("#verdict", "class")).split()
    text = page.inner_text("main")
    for markup in (SCRIPT, IMG, QUOTE):
        assert markup in text  # shown, as text
    assert page.query_selector("main script, main img") is None
    assert "&lt;script&gt;" in page.content()


def test_markup_in_a_receipt_is_shown_as_text(page: Any, demo: Demo, hostile: str) -> None:
    provider_account(
        demo, "officer.x1", {"groups": ["docseal-officer"], "agency": "X1", "agency_name": SCRIPT}
    )
    sign_in(page, demo, "officer.x1")
    page.wait_for_selector(".agency")
    assert SCRIPT in page.inner_text(".agency")
    page.goto(hostile)
    with page.expect_download() as download:
        page.click("form.receipt button[value=json]")
    receipt = json.loads(Path(download.value.path()).read_text())["qr_text"]
    page.goto(receipt)  # the receipt's own QR link, verified on the page
    page.wait_for_selector("#verdict")
    text = page.inner_text("main")
    assert "Biên nhận kiểm tra kết quả điện tử" in text
    assert f"Lê {SCRIPT} An" in text and f"{SCRIPT} (X1)" in text
    assert page.query_selector("main script, main img") is None


def test_markup_typed_as_an_id_number(page: Any, demo: Demo) -> None:
    page.goto(demo.base + "/")
    page.fill("#qr_text", "DS1:AAAA")
    page.eval_on_selector(
        "#holder_id", "(e, v) => { e.removeAttribute('maxlength'); e.value = v; }", SCRIPT
    )
    page.click("#verify-form button[type=submit]")
    assert "INVALID_ID_NUMBER" in _error(page)
    assert page.query_selector("main script") is None


def test_form_without_a_file_or_text(page: Any, demo: Demo) -> None:
    page.goto(demo.base + "/")
    page.click("#verify-form button[type=submit]")
    assert "MISSING_FILE" in _error(page)


def test_file_over_the_size_limit(page: Any, chromium: Any, demo: Demo, tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 400_000)
    # with JavaScript the page refuses it before sending (no gateway error page)
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.goto(demo.base + "/")
    page.set_input_files("#file", str(big))
    page.click("#verify-form button[type=submit]")
    page.wait_for_selector("#client-error:not([hidden])")
    assert "FILE_TOO_LARGE" in page.inner_text("#client-error") and posts == []
    # without it, the server answers 413 with the same message in a page
    context = chromium.new_context(**PHONE, java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(demo.base + "/")
        plain.set_input_files("#file", str(big))
        with plain.expect_response(lambda r: r.request.method == "POST") as answer:
            plain.click("#verify-form button[type=submit]")
        assert answer.value.status == 413
        message = _error(plain)
        assert "FILE_TOO_LARGE" in message and "lớn" in message
    finally:
        context.close()


def test_thirteen_digit_typed_id(page: Any, demo: Demo) -> None:
    page.goto(demo.base + "/")
    page.fill("#qr_text", demo.texts["birth-registration"])
    page.eval_on_selector(
        "#holder_id", "(e) => { e.removeAttribute('maxlength'); e.value = '0013250123456'; }"
    )
    page.click("#verify-form button[type=submit]")
    assert "INVALID_ID_NUMBER" in _error(page)
    assert "0013250123456" not in page.inner_text("main")


def test_id_card_qr_not_in_the_card_format(page: Any, demo: Demo, tmp_path: Path) -> None:
    card = tmp_path / "card.png"
    qrcode.make("001325012345|Nguyễn Thị Hồng Nhung|14032025").save(card)
    page.goto(demo.base + "/")
    page.set_input_files("#file", str(demo.folder / "birth-registration" / "qr.png"))
    page.set_input_files("#card", str(card))
    page.click("#verify-form button[type=submit]")
    message = _error(page)
    assert "NOT_AN_ID_CARD_QR" in message
    assert "001325012345" not in page.inner_text("main")


def test_content_security_policy_forbids_inline_scripts(page: Any, demo: Demo) -> None:
    for path in ("/", "/v", "/me"):
        response = page.goto(demo.base + path)
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
        inline = page.eval_on_selector_all("script:not([src])", "els => els.length")
        assert inline == 0
    # an inline script injected into the page is refused by the browser
    page.goto(demo.base + "/")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = true'; document.body.append(s); }"
    )
    assert page.evaluate("() => window.ran === true") is False


def test_pages_work_without_javascript(chromium: Any, demo: Demo) -> None:
    context = chromium.new_context(**PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        upload_and_check(page, demo.base, demo.folder / "birth-registration" / "qr.png")
        assert "valid" in str(page.get_attribute("#verdict", "class")).split()
        page.goto(demo.texts["birth-registration"])
        assert "JavaScript" in page.inner_text("#camera-status")
    finally:
        context.close()
