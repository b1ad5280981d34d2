"""FpdfResultRenderer: real PDFs, read back with pypdfium2 and zxing-cpp."""

from __future__ import annotations

import random
import re
import unicodedata

import pypdfium2 as pdfium
import pytest
import zxingcpp

from chalicelib.adapters.pdf_render import FpdfResultRenderer
from chalicelib.adapters.qr_image import QrCodeRenderer

URL_PART = "https://docseal.example.vn/v#"
FULL_ID = "001304005678"
A4 = (595.28, 841.89)


def _payload(length: int = 476, seed: int = 11) -> str:
    rng = random.Random(seed)
    return "DS1:" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(length))


def _view(extra_fields: list[dict[str, str]] | None = None) -> dict[str, object]:
    fields = [
        {
            "code": "birth_place",
            "label_vi": "Nơi sinh",
            "label_en": "Place of birth",
            "value": "Bệnh viện Phụ sản Hà Nội",
        },
        {
            "code": "registration_date",
            "label_vi": "Ngày đăng ký",
            "label_en": "Registration date",
            "value": "2024-03-18",
        },
        {
            "code": "registration_no",
            "label_vi": "Số đăng ký",
            "label_en": "Registration number",
            "value": "152/2024",
        },
        {
            "code": "mother_name",
            "label_vi": "Họ tên mẹ",
            "label_en": "Mother's full name",
            "value": "Trần Thị Thu Hằng",
        },
        {
            "code": "registrar",
            "label_vi": "Người ký",
            "label_en": "Registrar",
            "value": "Ủy ban nhân dân phường Dịch Vọng Hậu",
        },
    ]
    document = {
        "id": "01HV3K8Z6Q9W2E4R5T7Y8U0I1P",
        "type": "birth-registration",
        "type_name_vi": "Trích lục khai sinh",
        "type_name_en": "Birth registration extract",
        "issuer": {
            "code": "hn-cau-giay-dvh",
            "name_vi": "Ủy ban nhân dân phường Dịch Vọng Hậu",
            "name_en": "People's Committee of Dich Vong Hau Ward",
            "authorised_for_type": True,
        },
        "issued_at": "2024-03-18T02:30:00Z",
        "not_before": "2024-03-18T02:30:00Z",
        "expires_at": None,
        "holder": {
            "full_name": "Nguyễn Thị Hồng Nhung",
            "id_masked": "********5678",
            "dob": "2024-03-10",
        },
        "fields": fields + (extra_fields or []),
        "supersedes": None,
        "status_ref": {"list": "birth-registration", "index": 3},
    }
    return {"document": document, "verify_url": "https://docseal.example.vn/"}


def _nfc(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


def _pages_text(pdf: pdfium.PdfDocument) -> str:
    return " ".join(_nfc(page.get_textpage().get_text_range()) for page in pdf)


@pytest.fixture(scope="module")
def qr_text() -> str:
    return URL_PART + _payload()


@pytest.fixture(scope="module")
def qr_png(qr_text: str) -> bytes:
    return QrCodeRenderer().png(URL_PART, qr_text[len(URL_PART) :])


def test_one_a4_page_with_vietnamese_text_and_a_readable_qr(qr_text: str, qr_png: bytes) -> None:
    data = FpdfResultRenderer().result_pdf(_view(), qr_png)
    assert data.startswith(b"%PDF-")

    pdf = pdfium.PdfDocument(data)
    assert len(pdf) == 1
    page = pdf[0]
    width, height = page.get_size()
    assert abs(width - A4[0]) <= 1
    assert abs(height - A4[1]) <= 1

    text = _pages_text(pdf)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Trích lục khai sinh",
        "Birth registration extract",
        "Nguyễn Thị Hồng Nhung",
        "Bệnh viện Phụ sản Hà Nội",
        "Ủy ban nhân dân phường Dịch Vọng Hậu",
        "Trần Thị Thu Hằng",
        "Họ và tên",
        "Số định danh cá nhân",
        "Ngày sinh",
        "10/03/2024",  # date of birth, dd/mm/yyyy
        "18/03/2024",  # issue and registration dates
        "Không thời hạn",
        "01HV3K8Z6Q9W2E4R5T7Y8U0I1P",
        "https://docseal.example.vn/",
        "không cần dấu đỏ",
    ):
        assert _nfc(expected) in text, expected
    assert "********5678" in text
    assert FULL_ID not in text
    assert FULL_ID not in data.decode("latin-1")

    image = page.render(scale=2).to_pil()
    barcodes = zxingcpp.read_barcodes(image)
    assert [b.text for b in barcodes] == [qr_text]


def test_metadata_title_is_the_type_name(qr_png: bytes) -> None:
    pdf = pdfium.PdfDocument(FpdfResultRenderer().result_pdf(_view(), qr_png))
    assert pdf.get_metadata_dict()["Title"] == "Trích lục khai sinh"


def test_same_input_same_bytes(qr_png: bytes) -> None:
    renderer = FpdfResultRenderer()
    assert renderer.result_pdf(_view(), qr_png) == renderer.result_pdf(_view(), qr_png)


def test_expiry_and_issue_date_are_shown_in_vietnam_time(qr_png: bytes) -> None:
    view = _view()
    document = view["document"]
    assert isinstance(document, dict)
    document["issued_at"] = "2024-03-18T20:00:00Z"  # 03:00 on the 19th in Hà Nội
    document["expires_at"] = "2029-03-18T16:59:59Z"
    text = _pages_text(pdfium.PdfDocument(FpdfResultRenderer().result_pdf(view, qr_png)))
    assert "19/03/2024" in text
    assert "18/03/2029" in text
    assert "Không thời hạn" not in text


def test_a_long_value_wraps_and_is_all_there(qr_text: str, qr_png: bytes) -> None:
    words = "Số nhà 25 ngõ 165 đường Xuân Thủy phường Dịch Vọng Hậu quận Cầu Giấy".split()
    rng = random.Random(3)
    long_value = ""
    while len(long_value) < 400:
        long_value = (long_value + " " + rng.choice(words)).strip()
    long_value = long_value[:400].rstrip()
    assert len(long_value) >= 395
    extra = [
        {"code": "note", "label_vi": "Ghi chú", "label_en": "Note", "value": long_value},
        {"code": "note2", "label_vi": "Ghi chú 2", "label_en": "Note 2", "value": long_value},
    ]
    data = FpdfResultRenderer().result_pdf(_view(extra), qr_png)

    pdf = pdfium.PdfDocument(data)
    assert len(pdf) >= 1
    for page in pdf:
        width, height = page.get_size()
        assert abs(width - A4[0]) <= 1
        assert abs(height - A4[1]) <= 1
    text = _pages_text(pdf)
    assert _nfc(long_value) in text
    assert "Nguyễn Thị Hồng Nhung" in text

    found = []
    for page in pdf:
        image = page.render(scale=2).to_pil()
        found += [b.text for b in zxingcpp.read_barcodes(image)]
    assert found == [qr_text]


def test_text_never_leaves_the_page(qr_png: bytes) -> None:
    long_word = "X" * 400  # no space to break at: fpdf2 must break inside the word
    extra = [{"code": "blob", "label_vi": "Mã", "label_en": "Code", "value": long_word}]
    pdf = pdfium.PdfDocument(FpdfResultRenderer().result_pdf(_view(extra), qr_png))
    for page in pdf:
        width, _ = page.get_size()
        textpage = page.get_textpage()
        for index in range(textpage.count_chars()):
            left, _bottom, right, _top = textpage.get_charbox(index)
            assert 0 <= left and right <= width
    assert "X" * 400 in _pages_text(pdf).replace(" ", "")
