"""The printable PDFs as a clerk files them: a receipt shows the catalogue's
words and never a code, in Vietnam time, on one A4 page with its own QR code;
a result shows each field by its declared kind, never by its value's shape.

PDFs are read back as an officer's upload is: text with pypdfium2, the QR
code with docseal's own scanner."""

from __future__ import annotations

import dataclasses
import re
import unicodedata

import pypdfium2 as pdfium

from chalicelib.adapters.scan import scan_file
from chalicelib.domain.catalogue import RECEIPT_TYPE, SERVICE_ISSUER
from chalicelib.domain.principal import Principal
from chalicelib.domain.reasons import EXPLANATIONS, Reason
from chalicelib.domain.verify import Verdict
from tests.functional.conftest import ISSUER, OPERATOR, World, birth_request
from tests.support import BIRTH_FIELDS, HOLDER_ID

from .test_api import issue, post

A4 = (595.28, 841.89)
ISSUER_NAME = "Ủy ban nhân dân phường Dịch Vọng Hậu"
OTHER_PERSON = "001090004567"
# What a receipt records as codes and must show in words.
CODES = (
    "birth-registration",
    RECEIPT_TYPE,
    "VALID",
    "INVALID",
    "MATCH",
    "MISMATCH",
    "NOT_CHECKED",
    ISSUER,
    SERVICE_ISSUER,
    *Reason.__members__,
)


def _nfc(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


def _text(pdf: pdfium.PdfDocument) -> str:
    return " ".join(_nfc(page.get_textpage().get_text_range()) for page in pdf)


def receipt_page(world: World, verdict: Verdict, officer: Principal | None = None) -> str:
    """Sign a receipt of ``verdict``, render its PDF and check what every
    receipt must be; the page's text."""
    receipt = world.container.receipts.issue(verdict, officer)
    data = world.container.documents.pdf_for(receipt)

    pdf = pdfium.PdfDocument(data)
    assert len(pdf) == 1
    width, height = pdf[0].get_size()
    assert abs(width - A4[0]) <= 1 and abs(height - A4[1]) <= 1
    text = _text(pdf)
    for code in CODES:
        assert re.search(rf"\b{re.escape(code)}\b", text) is None, code
    for expected in ("Biên nhận kiểm tra kết quả điện tử", "Trích lục khai sinh", "(UTC+7)"):
        assert expected in text, expected
    assert HOLDER_ID not in text
    assert [code.text for code in scan_file(data).codes] == [receipt]
    return text


def explanation(reason: Reason) -> str:
    return _nfc(EXPLANATIONS[reason][0])


def test_receipt_of_a_valid_check_with_the_holder_present(world: World) -> None:
    checked = world.container.verifier.verify(issue(world)["qr_text"], HOLDER_ID)
    text = receipt_page(world, checked)
    assert ISSUER_NAME in text and "Birth registration extract" in text
    assert "Hợp lệ" in text and "Không hợp lệ" not in text
    assert "Khớp: người xuất trình là chủ sở hữu" in text
    assert "Lý do" not in text
    # checked one minute after 08:00 UTC: 15:01 in Hà Nội
    assert "15:01:00 01/11/2026 (UTC+7)" in text


def test_receipt_of_a_holder_mismatch(world: World) -> None:
    checked = world.container.verifier.verify(issue(world)["qr_text"], OTHER_PERSON)
    text = receipt_page(world, checked)
    assert ISSUER_NAME in text
    assert "Không hợp lệ" in text
    assert "Không khớp: người xuất trình không phải chủ sở hữu" in text
    assert explanation(Reason.HOLDER_MISMATCH) in text
    assert OTHER_PERSON not in text


def test_receipt_of_a_revoked_document_explains_every_reason(world: World) -> None:
    doc = issue(world)
    world.container.revocation.revoke_document(doc["id"], "cấp nhầm", actor=OPERATOR)
    kid = world.container.storage.keys.list_keys(ISSUER)[0].kid
    world.container.keyring.revoke_key(kid, "key compromise", actor=OPERATOR)
    checked = world.container.verifier.verify(doc["qr_text"], OTHER_PERSON)
    assert {Reason.DOCUMENT_REVOKED, Reason.KEY_REVOKED, Reason.HOLDER_MISMATCH} <= set(
        checked.reasons
    )
    text = receipt_page(world, checked)
    assert "Không hợp lệ" in text and ISSUER_NAME in text
    for reason in checked.reasons:
        assert explanation(reason) in text, reason


def test_receipt_with_agency_names_of_120_characters(world: World) -> None:
    words = "Ủy ban nhân dân xã Quảng Phú Cầu huyện Ứng Hòa thành phố Hà Nội".split()
    long_name = " ".join(words * 3)[:120].rstrip()
    assert len(long_name) == 120
    world.container.issuers.add_issuer(
        "UBND-QUANGPHUCAU",
        long_name,
        "People's Committee",
        ["birth-registration"],
        "Hà Nội",
        actor=OPERATOR,
    )
    world.container.keyring.create_key("UBND-QUANGPHUCAU", actor=OPERATOR)
    r = post(world, "/api/v1/documents", birth_request(), world.auth(issuer="UBND-QUANGPHUCAU"))
    assert r.status_code == 201, r.body
    officer = Principal("o-1", "verifier", agency="BV-01", agency_name=long_name.upper())
    checked = world.container.verifier.verify(r.json_body["qr_text"], HOLDER_ID)
    text = receipt_page(world, checked, officer)
    assert _nfc(long_name) in text
    assert _nfc(long_name.upper()) + " (BV-01)" in text
    assert "Hợp lệ" in text


def test_the_longest_receipt_still_fits_one_page(world: World) -> None:
    """Every reason at once and an agency name as long as a signed value may
    be: smaller type, never a second page, the QR code still scans."""
    checked = world.container.verifier.verify(issue(world)["qr_text"], OTHER_PERSON)
    everything = dataclasses.replace(checked, reasons=tuple(Reason))
    officer = Principal("o-1", "verifier", agency="BV-01", agency_name="Bệnh viện " * 50)
    text = receipt_page(world, everything, officer)
    for reason in Reason:
        assert explanation(reason) in text, reason


def test_result_pdf_shows_each_field_by_its_declared_kind(world: World) -> None:
    world.clock.advance(hours=12)  # 20:01 UTC: already the next day in Hà Nội
    fields = {
        **BIRTH_FIELDS,
        "birth_place": "2025-03-20",  # text that looks like a date
        "registration_no": "2026-13-45",  # text that looks like an impossible date
        "registrar": "T00:00:00Z",  # text that looks like a time
        "registration_date": "2025-03-20",  # a date
    }
    doc = issue(world, fields=fields)
    r = world.client.http.get(doc["pdf_url"], headers={**world.auth(), "Accept": "application/pdf"})
    assert r.status_code == 200
    pdf = pdfium.PdfDocument(r.body)
    text = _text(pdf)
    assert text.count("2025-03-20") == 1 and text.count("20/03/2025") == 1
    assert "2026-13-45" in text and "45/13/2026" not in text
    assert "T00:00:00Z" in text
    assert "Ngày cấp Issued on 02/11/2026" in text
    assert "14/03/2025" in text  # the date of birth
    assert "birth-registration" not in text
    assert [code.text for code in scan_file(r.body).codes] == [doc["qr_text"]]


def test_result_pdf_never_drops_a_value_silently(world: World) -> None:
    """A value the font cannot draw is marked, and the page says the QR code
    holds it; combining marks alone are drawn on a dotted circle."""
    fields = {
        **BIRTH_FIELDS,
        "registration_no": "\u0301" * 8,  # combining marks alone
        "mother_name": "阮氏紅蕊 김민수",  # no glyph in DejaVu Sans
        "father_name": "Ba 😀",
    }
    doc = issue(world, fields=fields)
    r = world.client.http.get(doc["pdf_url"], headers={**world.auth(), "Accept": "application/pdf"})
    assert r.status_code == 200
    text = _text(pdfium.PdfDocument(r.body))
    assert "\u25cc\u0301" in text  # the marks, on their dotted circle
    assert "\ufffd" in text and "QR code holds the full value" in text
    assert [code.text for code in scan_file(r.body).codes] == [doc["qr_text"]]
    plain = issue(world)  # a value the font draws needs no note
    r = world.client.http.get(
        plain["pdf_url"], headers={**world.auth(), "Accept": "application/pdf"}
    )
    assert "QR code holds the full value" not in _text(pdfium.PdfDocument(r.body))
