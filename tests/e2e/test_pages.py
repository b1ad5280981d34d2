"""The officer's pages in a real headless Chromium against a real docseal
server with demo data: uploads, the phone-camera link, holder matching,
receipts, the language switch, and hostile input."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import qrcode
from PIL import Image, ImageDraw

from tests.e2e.browser import (
    DOCSEAL,
    Demo,
    provider_account,
    sign_in,
    sign_out,
    upload_and_check,
)

BIRTH_HOLDER = "001325012345"  # the demo birth registration's holder (see services/demo.py)
SOMEONE_ELSE = "001090004567"


def qr_png(text: str, path: Path) -> Path:
    qrcode.make(text, border=4, box_size=6).save(path)
    return path


def verdict_class(page: Any) -> str:
    return str(page.get_attribute("#verdict", "class"))


def test_upload_a_valid_photo_gives_green(page: Any, demo: Demo) -> None:
    upload_and_check(page, demo.base, demo.folder / "birth-registration" / "qr.png")
    assert "valid" in verdict_class(page).split()
    assert "HỢP LỆ" in page.inner_text("#verdict")
    assert page.inner_text("#doc-type") == "Trích lục khai sinh"
    assert page.inner_text("#holder-masked") == "********2345"
    assert "có thẩm quyền cấp loại giấy tờ này" in page.content()
    assert "Dữ liệu tin cậy cập nhật lúc" in page.content()
    assert BIRTH_HOLDER not in page.content()


def test_tampered_code_gives_red_with_its_reason(page: Any, demo: Demo, tmp_path: Path) -> None:
    text = demo.texts["residence-confirmation"]
    tampered = text[:-40] + ("B" if text[-40] != "B" else "C") + text[-39:]
    upload_and_check(page, demo.base, qr_png(tampered, tmp_path / "tampered.png"))
    assert "invalid" in verdict_class(page).split()
    codes = page.eval_on_selector_all(".reason", "els => els.map(e => e.dataset.code)")
    assert codes and set(codes) <= {"SIGNATURE_INVALID", "MALFORMED"}
    assert "Nên làm gì" in page.inner_text("main")


def test_screenshot_without_a_code_shows_the_hint(page: Any, demo: Demo, tmp_path: Path) -> None:
    shot = Image.new("RGB", (720, 1280), "white")
    ImageDraw.Draw(shot).text((40, 40), "Zalo: kết quả đã gửi", fill="black")
    shot.save(tmp_path / "no_code.png")
    upload_and_check(page, demo.base, tmp_path / "no_code.png")
    assert page.get_attribute(".reason", "data-code") == "NO_QR_FOUND"
    assert page.inner_text("#hint")


def test_camera_link_verifies_from_the_fragment(page: Any, demo: Demo) -> None:
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    page.goto(demo.texts["marital-status"])
    page.wait_for_selector("#verdict")
    assert "valid" in verdict_class(page).split()
    assert page.inner_text("#doc-type") == "Giấy xác nhận tình trạng hôn nhân"
    # the payload travelled in a POST body, never in a URL the server logs
    assert all("DS1:" not in url.split("#")[0] for url in seen)


@pytest.mark.parametrize(
    "spell",
    [
        lambda f: f.lower(),
        lambda f: f.replace(":", "%3A", 1),
        lambda f: quote(f, safe=""),
        lambda f: "%20" + f + "%0A",
        lambda f: f[:40] + "%E2%80%8B" + f[40:],  # a zero-width space
    ],
    ids=["lower-case", "pct-colon", "pct-everything", "white-space", "zero-width-space"],
)
def test_camera_link_in_any_spelling(page: Any, demo: Demo, spell: Any) -> None:
    """Reader apps hand the camera URL on changed; the page posts the fragment
    as it is and the server reads every spelling (issue 13)."""
    url, fragment = demo.texts["marital-status"].split("#", 1)
    page.goto(url + "#" + spell(fragment))
    page.wait_for_selector("#verdict")
    assert "valid" in verdict_class(page).split()


def test_holder_match_by_typed_number(page: Any, demo: Demo) -> None:
    qr = demo.folder / "birth-registration" / "qr.png"
    upload_and_check(page, demo.base, qr, BIRTH_HOLDER)
    assert "match" in str(page.get_attribute("#holder-result", "class")).split()
    assert "KHỚP" in page.inner_text("#holder-result")
    upload_and_check(page, demo.base, qr, SOMEONE_ELSE)
    assert "mismatch" in str(page.get_attribute("#holder-result", "class")).split()
    html = page.content()
    assert SOMEONE_ELSE not in html and BIRTH_HOLDER not in html


def _card(number: str, path: Path) -> Path:
    text = f"{number}||Nguyễn Thị Hồng Nhung|14032025|Nữ|Số 1 Cầu Giấy, Hà Nội|20032025"
    return qr_png(text, path)


def test_holder_match_by_id_card_photo(page: Any, demo: Demo, tmp_path: Path) -> None:
    page.goto(demo.base + "/")
    page.set_input_files("#file", str(demo.folder / "birth-registration" / "qr.png"))
    page.set_input_files("#card", str(_card(BIRTH_HOLDER, tmp_path / "card.png")))
    page.click("#verify-form button[type=submit]")
    page.wait_for_selector("#holder-result")
    assert "match" in str(page.get_attribute("#holder-result", "class")).split()
    assert "không có chữ ký số" in page.inner_text("#holder-result")  # the card is unsigned
    # after a check, the result page offers the comparison for the same document
    page.goto(demo.texts["birth-registration"])
    page.wait_for_selector(".holder-form")
    page.set_input_files(
        ".holder-form input[name=card]", str(_card(SOMEONE_ELSE, tmp_path / "b.png"))
    )
    page.click(".holder-form button[type=submit]")
    page.wait_for_selector("#holder-result")
    assert "mismatch" in str(page.get_attribute("#holder-result", "class")).split()
    assert SOMEONE_ELSE not in page.content()


def test_receipt_downloads_and_verifies_again(page: Any, demo: Demo, tmp_path: Path) -> None:
    upload_and_check(
        page, demo.base, demo.folder / "criminal-record" / "result.pdf", "036088005566"
    )
    with page.expect_download() as download:
        page.click("form.receipt button[value=pdf]")
    receipt = tmp_path / "receipt.pdf"
    download.value.save_as(str(receipt))
    checked = subprocess.run(
        [DOCSEAL, "verify", str(receipt)], capture_output=True, text=True, env=demo.env, timeout=120
    )
    verdict = json.loads(checked.stdout)
    assert checked.returncode == 0 and verdict["verdict"] == "VALID"
    fields = {f["code"]: f["value"] for f in verdict["results"][0]["document"]["fields"]}
    assert fields["verdict"] == "VALID" and fields["holder_match"] == "MATCH"
    assert fields["document_type"] == "criminal-record"
    # and the page verifies the receipt like any result
    upload_and_check(page, demo.base, receipt)
    assert "receipt-ok" in verdict_class(page).split()  # the receipt is authentic
    assert page.get_attribute("#conclusion", "data-state") == "valid"  # and what it records
    assert "Kết luận: HỢP LỆ" in page.inner_text("#conclusion")
    assert page.inner_text("#doc-type") == "Biên nhận kiểm tra kết quả điện tử"
    main = page.inner_text("main")
    assert "Phiếu lý lịch tư pháp" in main  # the recorded type, in words
    for code in ("criminal-record", "VALID", "MATCH", "NOT_CHECKED"):
        assert code not in main
    with page.expect_download() as download:
        page.goto(demo.base + "/")
        upload_and_check(page, demo.base, demo.folder / "criminal-record" / "qr.png")
        page.click("form.receipt button[value=json]")
    data = json.loads(Path(download.value.path()).read_text())
    assert data["verdict"] == "VALID" and data["qr_text"].startswith(demo.base + "/v#DS1:")


def test_english_switch(page: Any, demo: Demo) -> None:
    page.goto(demo.base + "/")
    page.click("#lang-switch")
    page.wait_for_selector("html[lang=en]")
    assert page.inner_text("h1") == "Verify an electronic result"
    page.goto(demo.texts["birth-registration"])  # the choice sticks
    page.wait_for_selector("#verdict")
    assert "VALID" in page.inner_text("#verdict")
    assert page.inner_text("#doc-type") == "Birth registration extract"
    page.click("#lang-switch")
    page.wait_for_selector("html[lang=vi]")
    # the verdict stays on screen across the switch, in the other language
    assert "HỢP LỆ" in page.inner_text("#verdict")
    assert page.inner_text("#doc-type") == "Trích lục khai sinh"


def test_a_phone_picks_any_file_or_takes_a_photo(page: Any, demo: Demo) -> None:
    """At phone size the main input opens the picker (files, photos, camera:
    no capture attribute, PDFs accepted); a separate button takes a photo."""
    page.goto(demo.base + "/")
    main = page.locator("#file")
    assert main.get_attribute("capture") is None
    assert "application/pdf" in str(main.get_attribute("accept"))
    photo = page.locator("#photo")
    assert photo.get_attribute("capture") == "environment"
    assert page.locator("label[for=photo]").is_visible()
    page.set_input_files("#photo", str(demo.folder / "birth-registration" / "qr.png"))
    page.click("#verify-form button[type=submit]")
    page.wait_for_selector("#verdict")
    assert page.get_attribute("#verdict", "data-state") == "valid"
    page.goto(demo.base + "/")
    page.set_input_files("#file", str(demo.folder / "birth-registration" / "result.pdf"))
    page.click("#verify-form button[type=submit]")
    page.wait_for_selector("#verdict")
    assert page.get_attribute("#verdict", "data-state") == "valid"


def test_holder_mismatch_reads_as_its_own_verdict(page: Any, demo: Demo) -> None:
    upload_and_check(page, demo.base, demo.folder / "birth-registration" / "qr.png", "079203001234")
    assert page.get_attribute("#verdict", "data-state") == "not_holder"
    text = page.inner_text("#verdict")
    assert "GIẤY TỜ THẬT" in text and "KHÔNG PHẢI CHỦ SỞ HỮU" in text and "⚠" in text
    colour = page.eval_on_selector("#verdict", "e => getComputedStyle(e).borderTopColor")
    valid_colour = "rgb(20, 99, 43)"
    invalid_colour = "rgb(161, 21, 14)"
    assert colour not in (valid_colour, invalid_colour)
    page.click("#lang-switch")
    page.wait_for_selector("html[lang=en]")
    assert "THIS PERSON IS NOT ITS HOLDER" in page.inner_text("#verdict")


def test_unknown_page_is_a_docseal_page(page: Any, demo: Demo) -> None:
    response = page.goto(demo.base + "/no/such/page")
    assert response is not None and response.status == 404
    assert page.inner_text("h1") == "Không tìm thấy trang"
    page.click("a.again")
    page.wait_for_selector("#verify-form")


def test_signed_in_officer_gets_the_agency_on_receipts(page: Any, demo: Demo) -> None:
    provider_account(
        demo,
        "officer.bachmai",
        {
            "groups": ["docseal-officer"],
            "agency": "BV-BACHMAI",
            "agency_name": "Bệnh viện Bạch Mai",
        },
    )
    sign_in(page, demo, "officer.bachmai")
    page.wait_for_selector(".agency")
    assert "Bệnh viện Bạch Mai" in page.inner_text(".agency")
    upload_and_check(page, demo.base, demo.folder / "birth-registration" / "qr.png")
    with page.expect_download() as download:
        page.click("form.receipt button[value=json]")
    data = json.loads(Path(download.value.path()).read_text())
    fields = {f["code"]: f["value"] for f in data["document"]["fields"]}
    assert fields["agency"] == "Bệnh viện Bạch Mai (BV-BACHMAI)"
    sign_out(page, demo)


def test_a_person_the_mapping_does_not_know_does_not_sign_in(page: Any, demo: Demo) -> None:
    sign_in(page, demo, "00132501234")  # 11 digits, no officer group
    assert "SIGNIN_REFUSED" in page.inner_text("#error")
    assert page.query_selector(".agency") is None and page.query_selector("#me-link") is None


def test_every_control_has_a_label_and_the_verdict_is_not_colour_alone(
    page: Any, demo: Demo
) -> None:
    unlabeled = "els => els.filter(e => e.labels.length === 0).map(e => e.name)"
    for url in (demo.base + "/", demo.base + "/me"):
        page.goto(url)
        controls = "input:not([type=hidden]), textarea, select"
        assert page.eval_on_selector_all(controls, unlabeled) == []
    page.goto(demo.texts["birth-registration"])
    page.wait_for_selector("#verdict")
    assert page.eval_on_selector_all("input:not([type=hidden]), textarea", unlabeled) == []
    assert "✔" in page.inner_text("#verdict") and "HỢP LỆ" in page.inner_text("#verdict")
    page.keyboard.press("Tab")  # focus starts at the top of the page
    assert page.evaluate("() => document.activeElement.className") == "brand"
