"""QrCodeRenderer: real PNGs, decoded back with zxing-cpp."""

from __future__ import annotations

import io
import random

import pytest
import qrcode
import qrcode.constants
import qrcode.util
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from chalicelib.adapters.qr_image import BORDER, BOX_SIZE, QrCodeRenderer

B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
URL_PART = "https://docseal.example.vn/v#"


def _payload(length: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    return "DS1:" + "".join(rng.choice(B32) for _ in range(length))


def _decode(png: bytes) -> zxingcpp.Barcode:
    image = Image.open(io.BytesIO(png))
    barcodes = zxingcpp.read_barcodes(image)
    assert len(barcodes) == 1
    assert barcodes[0].format == zxingcpp.BarcodeFormat.QRCode
    return barcodes[0]


def _zxing_version(barcode: zxingcpp.Barcode) -> int:
    """The symbol version zxing-cpp read (it reports it in ``extra``)."""
    extra = barcode.extra
    assert isinstance(extra, dict)
    return int(extra["Version"])


def _byte_mode_version(text: str) -> int:
    qr = qrcode.QRCode(version=None, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(qrcode.util.QRData(text.encode(), mode=qrcode.util.MODE_8BIT_BYTE), optimize=0)
    return int(qr.best_fit())


def test_realistic_text_round_trips_and_version_matches_zxing() -> None:
    renderer = QrCodeRenderer()
    payload = _payload(476)
    assert len(payload) == 480
    png = renderer.png(URL_PART, payload)

    barcode = _decode(png)
    assert barcode.text == URL_PART + payload
    assert barcode.ec_level == "M"

    version = renderer.version(URL_PART, payload)
    assert _zxing_version(barcode) == version

    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.mode in {"1", "L"}
    side = (17 + 4 * version + 2 * BORDER) * BOX_SIZE
    assert image.size == (side, side)


def test_alphanumeric_segment_makes_the_code_smaller() -> None:
    renderer = QrCodeRenderer()
    payload = _payload(476)
    two_segments = renderer.version(URL_PART, payload)
    all_bytes = _byte_mode_version(URL_PART + payload)
    assert two_segments <= all_bytes
    # With ~480 payload characters the gain is several versions, not a tie.
    assert two_segments < all_bytes


def test_empty_url_part_gives_a_bare_payload() -> None:
    renderer = QrCodeRenderer()
    payload = _payload(300)
    barcode = _decode(renderer.png("", payload))
    assert barcode.text == payload
    assert _zxing_version(barcode) == renderer.version("", payload)
    assert renderer.version("", payload) <= renderer.version(URL_PART, payload)


def test_lower_case_payload_is_refused() -> None:
    renderer = QrCodeRenderer()
    with pytest.raises(ValueError):
        renderer.png(URL_PART, "DS1:abc")


@settings(max_examples=25, deadline=None)
@given(st.text(alphabet=B32, min_size=1, max_size=600))
def test_any_base32_payload_round_trips(body: str) -> None:
    renderer = QrCodeRenderer()
    payload = "DS1:" + body
    barcode = _decode(renderer.png(URL_PART, payload))
    assert barcode.text == URL_PART + payload
    assert _zxing_version(barcode) == renderer.version(URL_PART, payload)
