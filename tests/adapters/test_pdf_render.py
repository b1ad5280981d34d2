"""FpdfResultRenderer: real PDFs, read back with pypdfium2 and zxing-cpp.

The renderer draws the text of a print view and decides none of it (how a
value is shown is ``DocumentService.print_view``'s job, tested in
tests/functional/test_receipt_pdf.py)."""

from __future__ import annotations

import datetime as dt
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


def _row(label_vi: str, label_en: str, value: str, english: str = "") -> dict[str, object]:
    return {"label_vi": label_vi, "label_en": label_en, "lines": [(value, english)]}


def _view(
    extra_rows: list[dict[str, object]] | None = None, one_page: bool = False
) -> dict[str, object]:
    """A print view as ``DocumentService`` hands it over: every value already shown."""
    rows = [
        _row("Họ và tên", "Full name", "Nguyễn Thị Hồng Nhung"),
        _row("Số định danh cá nhân", "Personal ID number", "********5678"),
        _row("Ngày sinh", "Date of birth", "10/03/2024"),
        _row("Nơi sinh", "Place of birth", "Bệnh viện Phụ sản Hà Nội"),
        _row("Ngày đăng ký", "Registration date", "18/03/2024"),
        _row("Số đăng ký", "Registration number", "152/2024"),
        _row("Họ tên mẹ", "Mother's full name", "Trần Thị Thu Hằng"),
        _row("Người ký", "Registrar", "Ủy ban nhân dân phường Dịch Vọng Hậu"),
        *(extra_rows or []),
        _row("Ngày cấp", "Issued on", "18/03/2024"),
        _row("Có giá trị đến", "Valid until", "Không thời hạn", "No expiry"),
        _row("Mã kết quả", "Result ID", "01HV3K8Z6Q9W2E4R5T7Y8U0I1P"),
    ]
    return {
        "title_vi": "Trích lục khai sinh",
        "title_en": "Birth registration extract",
        "issuer": "Ủy ban nhân dân phường Dịch Vọng Hậu",
        "rows": rows,
        "created": dt.datetime(2024, 3, 18, 2, 30, tzinfo=dt.UTC),
        "verify_url": "https://docseal.example.vn/",
        "one_page": one_page,
    }


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
        "10/03/2024",
        "18/03/2024",
        "Không thời hạn",
        "No expiry",  # a value's English words, small beneath it
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


def test_a_long_value_wraps_and_is_all_there(qr_text: str, qr_png: bytes) -> None:
    words = "Số nhà 25 ngõ 165 đường Xuân Thủy phường Dịch Vọng Hậu quận Cầu Giấy".split()
    rng = random.Random(3)
    long_value = ""
    while len(long_value) < 400:
        long_value = (long_value + " " + rng.choice(words)).strip()
    long_value = long_value[:400].rstrip()
    assert len(long_value) >= 395
    extra = [
        _row("Ghi chú", "Note", long_value),
        _row("Ghi chú 2", "Note 2", long_value),
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
    extra = [_row("Mã", "Code", long_word)]
    pdf = pdfium.PdfDocument(FpdfResultRenderer().result_pdf(_view(extra), qr_png))
    for page in pdf:
        width, _ = page.get_size()
        textpage = page.get_textpage()
        for index in range(textpage.count_chars()):
            left, _bottom, right, _top = textpage.get_charbox(index)
            assert 0 <= left and right <= width
    assert "X" * 400 in _pages_text(pdf).replace(" ", "")


def _on_the_page(pdf: pdfium.PdfDocument) -> None:
    for page in pdf:
        width, height = page.get_size()
        textpage = page.get_textpage()
        for index in range(textpage.count_chars()):
            left, bottom, right, top = textpage.get_charbox(index)
            assert 0 <= left and right <= width and 0 <= bottom and top <= height


def test_values_are_drawn_exactly_as_given(qr_png: bytes) -> None:
    looks_like_dates = ["2026-13-45", "2025-03-20", "T00:00:00Z", "--", "0000-00-00"]
    extra = [_row(f"Trường {i}", f"Field {i}", value) for i, value in enumerate(looks_like_dates)]
    text = _pages_text(pdfium.PdfDocument(FpdfResultRenderer().result_pdf(_view(extra), qr_png)))
    for value in looks_like_dates:
        assert f" {value} " in text, value
    assert "20/03/2025" not in text and "45/13/2026" not in text


def test_a_one_page_view_that_fits_is_drawn_at_full_size(qr_png: bytes) -> None:
    renderer = FpdfResultRenderer()
    fitted = pdfium.PdfDocument(renderer.result_pdf(_view(one_page=True), qr_png))
    flowing = pdfium.PdfDocument(renderer.result_pdf(_view(), qr_png))
    assert len(fitted) == len(flowing) == 1
    fitted_image = fitted[0].render(scale=1).to_pil()
    assert fitted_image.tobytes() == flowing[0].render(scale=1).to_pil().tobytes()


def test_a_one_page_view_never_takes_a_second_page(qr_text: str, qr_png: bytes) -> None:
    rng = random.Random(5)
    words = "Ủy ban nhân dân phường Dịch Vọng Hậu quận Cầu Giấy thành phố Hà Nội".split()

    def sentence(length: int) -> str:
        return " ".join(rng.choice(words) for _ in range(length))[:500]

    lines = [(sentence(20), "English " + sentence(12)) for _ in range(27)]
    values = [sentence(100) for _ in range(8)]
    extra: list[dict[str, object]] = [
        {"label_vi": "Lý do", "label_en": "Reasons", "lines": lines},
        *(_row(f"Trường {i}", f"Field {i}", value) for i, value in enumerate(values)),
        {**_row("Kết luận", "Verdict", "Không hợp lệ", "Not valid"), "strong": True},
    ]
    renderer = FpdfResultRenderer()
    assert len(pdfium.PdfDocument(renderer.result_pdf(_view(extra), qr_png))) > 1  # at full size
    data = renderer.result_pdf(_view(extra, one_page=True), qr_png)

    pdf = pdfium.PdfDocument(data)
    assert len(pdf) == 1
    width, height = pdf[0].get_size()
    assert abs(width - A4[0]) <= 1 and abs(height - A4[1]) <= 1
    text = _pages_text(pdf)
    for vi, en in [*lines, *((value, "") for value in values), ("Không hợp lệ", "Not valid")]:
        assert _nfc(vi) in text and _nfc(en) in text
    _on_the_page(pdf)
    barcodes = zxingcpp.read_barcodes(pdf[0].render(scale=2).to_pil())
    assert [b.text for b in barcodes] == [qr_text]
