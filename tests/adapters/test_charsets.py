"""Codes in any charset are read as a standard reader shows them (issue 13,
part 4): ECI honoured (ISO/IEC 18004 section 7.4.3), Shift_JIS and ISO-8859-1
recognised without one, as zxing-cpp does; the exact bytes kept beside the
text. The codes are made with ``segno`` in each encoding."""

from __future__ import annotations

import io

import pytest
import segno
from PIL import Image

from chalicelib.adapters.qr_readers import ZbarReader, ZxingReader, available_readers, shown_text
from chalicelib.adapters.scan import scan_file
from chalicelib.domain.intake import ScanResult
from chalicelib.domain.views import decoded_view

# (text, encoding, with an ECI designator)
SAMPLES = [
    ("日本語のテキスト、証明書", "shift_jis", False),
    ("日本語のテキスト、証明書", "shift_jis", True),
    ("Tiếng Việt có dấu: Nguyễn Thị Hồng", "utf-8", False),
    ("Tiếng Việt có dấu: Nguyễn Thị Hồng", "utf-8", True),  # ECI 26
    ("café, naïve, Größe, señor", "latin-1", False),
    ("café, naïve, Größe, señor", "latin-1", True),
    ("中文文本测试，出生登记", "gb18030", True),
    ("繁體中文測試", "big5", True),
    ("Привет, мир", "cp1251", True),
    ("Καλημέρα κόσμε", "iso-8859-7", True),
]
IDS = [f"{enc}{'-eci' if eci else ''}" for _, enc, eci in SAMPLES]


def png(text: str, encoding: str, eci: bool) -> bytes:
    code = segno.make(text, encoding=encoding, eci=eci, mode="byte", micro=False)
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=5)
    return buffer.getvalue()


@pytest.mark.parametrize(("text", "encoding", "eci"), SAMPLES, ids=IDS)
def test_the_text_a_reader_shows_and_the_exact_bytes(text: str, encoding: str, eci: bool) -> None:
    result = scan_file(png(text, encoding, eci))
    [code] = result.codes
    assert code.text == text
    assert code.data == text.encode(encoding)
    shown = decoded_view(result)
    assert shown["texts"] == [text]
    assert shown["codes"] == [{"page": 0, "text": text, "hex": text.encode(encoding).hex()}]
    assert ("binary_hex" in shown) == (encoding != "utf-8")


@pytest.mark.parametrize(("text", "encoding", "eci"), SAMPLES, ids=IDS)
def test_zxing_alone_shows_the_same(text: str, encoding: str, eci: bool) -> None:
    image = Image.open(io.BytesIO(png(text, encoding, eci))).convert("L")
    [decoded] = ZxingReader().read(image)
    assert (decoded.text, decoded.data) == (text, text.encode(encoding))


@pytest.mark.parametrize(
    ("text", "encoding"),
    [(t, e) for t, e, eci in SAMPLES if not eci],
    ids=[e for _, e, eci in SAMPLES if not eci],
)
def test_zbar_finds_are_shown_as_zxing_shows_the_bytes(text: str, encoding: str) -> None:
    """zbar's binary mode drops the ECI, so only codes without one can be
    shown the same; their bytes are exact either way. (``make`` installs
    libzbar, so zbar is always among the readers here.)"""
    assert any(r.name == "zbar" for r in available_readers())
    image = Image.open(io.BytesIO(png(text, encoding, False))).convert("L")
    [decoded] = ZbarReader().read(image)
    assert (decoded.text, decoded.data) == (text, text.encode(encoding))


def test_shown_text_of_bytes_no_reader_can_guess_is_latin_1() -> None:
    assert shown_text("Tiếng Việt".encode()) == "Tiếng Việt"
    assert shown_text("証明書です".encode("shift_jis")) == "証明書です"
    assert shown_text(bytes([0xFF, 0xFE, 0x80, 0x41, 0xC3])) == bytes(
        [0xFF, 0xFE, 0x80, 0x41, 0xC3]
    ).decode("latin-1")


def test_a_code_that_is_not_utf8_is_never_left_out_of_texts() -> None:
    odd = bytes([0xFF, 0xFE, 0x80, 0x41, 0xC3])
    code = segno.make(odd, mode="byte", micro=False)
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=5)
    result: ScanResult = scan_file(buffer.getvalue())
    shown = decoded_view(result)
    assert len(shown["texts"]) == 1 and shown["binary_hex"] == [odd.hex()]
    assert shown["codes"][0]["hex"] == odd.hex()
