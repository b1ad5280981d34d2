"""QR readers: zxing-cpp (always) and zbar through pyzbar (when libzbar loads).

Both hand back the exact bytes a code holds, and the text a standard reader
shows for them. zxing-cpp's ``Barcode.bytes`` are the raw content and its
``Barcode.text`` the text, ECI honoured (ISO/IEC 18004 section 7.4.3) and,
without one, the charset guessed (UTF-8, Shift_JIS or ISO-8859-1, the QR
default). zbar by default re-encodes byte-mode data to UTF-8 and mangles
anything that is not, so its scanner is put in binary mode
(``ZBAR_CFG_BINARY``) through pyzbar's ctypes handle; binary mode drops the
ECI, so a zbar find whose bytes are not UTF-8 is shown as zxing-cpp shows
those bytes (``shown_text``). Lambda has no libzbar: ``available_readers()``
then returns zxing-cpp alone.
"""

from __future__ import annotations

import ctypes
import functools
from typing import Any, NamedTuple, Protocol

import qrcode
import qrcode.constants
import qrcode.exceptions
import zxingcpp
from PIL import Image
from qrcode.util import MODE_8BIT_BYTE, QRData

ZBAR_CFG_BINARY = 4  # zbar.h >= 0.23: ENABLE, ADD_CHECK, EMIT_CHECK, ASCII, BINARY
_QR_FORMATS: Any = (zxingcpp.BarcodeFormat.QRCode, zxingcpp.BarcodeFormat.MicroQRCode)


class Decoded(NamedTuple):
    data: bytes  # the code's exact content
    share: float  # the part of the image the code covers, 0..1 (1.0 when unknown)
    text: str | None = None  # what a standard reader shows; None: the reader cannot say


class Reader(Protocol):
    name: str

    def read(self, image: Image.Image, hard: bool = False) -> list[Decoded]:
        """Every QR code found in a grayscale image."""
        ...


class ZxingReader:
    name = "zxing-cpp"

    def read(self, image: Image.Image, hard: bool = False) -> list[Decoded]:
        binarizers = [zxingcpp.Binarizer.LocalAverage]
        if hard:
            binarizers.append(zxingcpp.Binarizer.GlobalHistogram)
        found: list[Decoded] = []
        area = max(image.width * image.height, 1)
        for binarizer in binarizers:
            for barcode in zxingcpp.read_barcodes(
                image,
                formats=_QR_FORMATS,
                try_rotate=True,
                try_downscale=True,
                try_invert=True,
                binarizer=binarizer,
            ):
                data = bytes(barcode.bytes)
                if barcode.valid and all(d.data != data for d in found):
                    share = min(_quad_area(barcode.position) / area, 1.0)
                    found.append(Decoded(data, share, barcode.text))
            if found:
                break
        return found


class ZbarReader:
    name = "zbar"

    def __init__(self) -> None:
        from pyzbar import wrapper  # raises ImportError when libzbar is missing

        self._w = wrapper

    def read(self, image: Image.Image, hard: bool = False) -> list[Decoded]:
        w = self._w
        gray = image if image.mode == "L" else image.convert("L")
        width, height = gray.size
        if width == 0 or height == 0:
            return []
        pixels = gray.tobytes()
        found: list[Decoded] = []
        scanner = w.zbar_image_scanner_create()
        try:
            w.zbar_image_scanner_set_config(scanner, 0, w.ZBarConfig.CFG_ENABLE, 0)
            qr = w.ZBarSymbol.QRCODE
            w.zbar_image_scanner_set_config(scanner, qr, w.ZBarConfig.CFG_ENABLE, 1)
            w.zbar_image_scanner_set_config(scanner, qr, ZBAR_CFG_BINARY, 1)
            img = w.zbar_image_create()
            try:
                w.zbar_image_set_format(img, _fourcc("Y800"))
                w.zbar_image_set_size(img, width, height)
                buffer = ctypes.cast(ctypes.c_char_p(pixels), ctypes.c_void_p)
                w.zbar_image_set_data(img, buffer, len(pixels), None)
                if w.zbar_scan_image(scanner, img) > 0:
                    symbol = w.zbar_image_first_symbol(img)
                    while symbol:
                        data = ctypes.string_at(
                            w.zbar_symbol_get_data(symbol), w.zbar_symbol_get_data_length(symbol)
                        )
                        if data and all(d.data != data for d in found):
                            found.append(Decoded(data, 1.0, shown_text(data)))
                        symbol = w.zbar_symbol_next(symbol)
            finally:
                w.zbar_image_destroy(img)
        finally:
            w.zbar_image_scanner_destroy(scanner)
        return found


def shown_text(data: bytes) -> str:
    """The text a standard reader shows for a byte-mode code holding ``data``
    with no ECI: UTF-8 when the bytes are UTF-8, else zxing-cpp's own guess
    (Shift_JIS, or ISO-8859-1), read from the bytes drawn as a clean code;
    ISO-8859-1, which any bytes are, when even that cannot be read."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        code = qrcode.QRCode(
            border=4, box_size=2, error_correction=qrcode.constants.ERROR_CORRECT_L
        )
        code.add_data(QRData(data, mode=MODE_8BIT_BYTE))
        code.make(fit=True)
        clean = code.make_image().get_image().convert("L")
        for barcode in zxingcpp.read_barcodes(clean, formats=_QR_FORMATS):
            if barcode.valid and bytes(barcode.bytes) == data:
                return str(barcode.text)
    except (ValueError, RuntimeError, qrcode.exceptions.DataOverflowError):
        pass
    return data.decode("latin-1")


def _quad_area(position: Any) -> float:
    """The shoelace area of zxing's corner points."""
    points = [
        position.top_left,
        position.top_right,
        position.bottom_right,
        position.bottom_left,
    ]
    twice = sum(a.x * b.y - b.x * a.y for a, b in zip(points, points[1:] + points[:1], strict=True))
    return float(abs(twice)) / 2.0


def _fourcc(code: str) -> int:
    a, b, c, d = (ord(ch) for ch in code)
    return a | (b << 8) | (c << 16) | (d << 24)


@functools.cache
def available_readers() -> tuple[Any, ...]:
    """zxing-cpp first (faster, exact bytes), zbar second when it can be loaded."""
    readers: list[Any] = [ZxingReader()]
    try:
        readers.append(ZbarReader())
    except (ImportError, OSError):
        pass
    return tuple(readers)
