"""Bad and awkward input files, built at test time and named after what is
wrong with them (truncated.png, cmyk.jpg ...). Real images with real QR codes."""

from __future__ import annotations

import functools
import io
import struct
import zlib
from pathlib import Path

from PIL import Image

from chalicelib.adapters.qr_image import QrCodeRenderer


def qr_image(text: str, box: int = 6) -> Image.Image:
    url, _, payload = text.rpartition("#")
    png = QrCodeRenderer(box_size=box).png(url + "#" if url else "", payload)
    return Image.open(io.BytesIO(png)).convert("L")


def plain_qr(text: str) -> Image.Image:
    """Any text in byte mode, as other systems' codes (the chip ID card's) hold it."""
    import qrcode
    from qrcode.util import MODE_8BIT_BYTE, QRData

    code = qrcode.QRCode(border=4, box_size=6)
    code.add_data(QRData(text.encode("utf-8"), mode=MODE_8BIT_BYTE))
    code.make()
    return code.make_image().get_image().convert("L")


def save(image: Image.Image, fmt: str, **kw: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **kw)
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


@functools.cache
def _bomb_chunk() -> bytes:
    return png_chunk(b"zTXt", b"Comment\0\0" + zlib.compress(b"A" * 50_000_000, 9))


def text_chunk_bomb(base_png: bytes) -> bytes:
    return base_png[:33] + _bomb_chunk() + base_png[33:]  # right after IHDR


def exif_rotated_jpeg(image: Image.Image) -> bytes:
    """The pixels stored turned 90 degrees, with EXIF Orientation=6 to turn them back."""
    stored = image.convert("RGB").rotate(90, expand=True)
    exif = Image.Exif()
    exif[0x0112] = 6
    return save(stored, "JPEG", quality=92, exif=exif.tobytes())


def transparent_png(image: Image.Image) -> bytes:
    """Black modules on a fully transparent background (a typical app screenshot)."""
    rgba = Image.new("RGBA", image.size, (0, 0, 0, 0))
    black = Image.new("RGBA", image.size, (0, 0, 0, 255))
    mask = image.point(lambda v: 255 if v < 128 else 0)
    rgba.paste(black, (0, 0), mask)
    return save(rgba, "PNG")


def sixteen_bit_png(image: Image.Image) -> bytes:
    wide = image.point(lambda v: v * 257, mode="I").convert("I;16")
    return save(wide, "PNG")


def two_codes(a: Image.Image, b: Image.Image) -> bytes:
    page = Image.new("L", (a.width + b.width + 120, max(a.height, b.height) + 80), 255)
    page.paste(a, (40, 40))
    page.paste(b, (a.width + 80, 40))
    return save(page, "PNG")


@functools.cache
def pdf_pages(count: int) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(count):
        pdf.add_page()
    return bytes(pdf.output())


def encrypted_pdf(image: Image.Image) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import EncryptionMethod

    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=20, y=20, w=80)
    pdf.set_encryption(
        owner_password="owner",
        user_password="user",
        encryption_method=EncryptionMethod.AES_128,
    )
    return bytes(pdf.output())


def image_pdf(image: Image.Image, page: int = 1) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    for number in range(1, page + 1):
        pdf.add_page()
        if number == page:
            pdf.image(image, x=30, y=40, w=90)
    return bytes(pdf.output())


@functools.cache
def structured_append_pngs() -> tuple[bytes, ...]:
    import segno

    sequence = segno.make_sequence("docseal " * 120, symbol_count=3, error="m")
    out = []
    for symbol in sequence:
        buffer = io.BytesIO()
        symbol.save(buffer, kind="png", scale=4)
        out.append(buffer.getvalue())
    return tuple(out)


def non_utf8_png() -> bytes:
    import qrcode
    from qrcode.util import MODE_8BIT_BYTE, QRData

    code = qrcode.QRCode(border=4, box_size=6)
    code.add_data(QRData(bytes([0xFF, 0xFE, 0x80, 0x41, 0xC3]), mode=MODE_8BIT_BYTE))
    code.make()
    return save(code.make_image().get_image().convert("L"), "PNG")


def write_all(folder: Path, valid_text: str, other_text: str) -> dict[str, Path]:
    image = qr_image(valid_text)
    clean_png = save(image, "PNG")
    clean_jpg = save(image.convert("RGB"), "JPEG", quality=90)
    files: dict[str, bytes] = {
        "empty.png": b"",
        "clean.png": clean_png,
        "truncated.png": clean_png[: len(clean_png) // 2],
        "truncated.jpg": clean_jpg[: len(clean_jpg) // 2],
        "huge_100000x100000.png": png_header_only(100_000, 100_000),
        "zero_width.png": png_header_only(0, 50),
        "text_chunk_bomb.png": text_chunk_bomb(clean_png),
        "animated.gif": save(
            image.convert("P"),
            "GIF",
            save_all=True,
            append_images=[image.convert("P").rotate(90)],
            loop=0,
        ),
        "drawing.svg": b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
        "photo.heic": b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + b"\0" * 64,
        "cmyk.jpg": save(image.convert("CMYK"), "JPEG", quality=92),
        "sixteen_bit.png": sixteen_bit_png(image),
        "transparent.png": transparent_png(image),
        "exif_rotated.jpg": exif_rotated_jpeg(image),
        "no_qr.png": save(Image.new("L", (640, 480), 230), "PNG"),
        "two_codes.png": two_codes(image, qr_image(other_text)),
        "non_utf8.png": non_utf8_png(),
        "pages_500.pdf": pdf_pages(500),
        "encrypted.pdf": encrypted_pdf(image),
        "broken.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\n%%EOF",
        "noise_no_qr.png": save(Image.effect_noise((900, 700), 60), "PNG"),
        "qr_on_page_2.pdf": image_pdf(image, page=2),
        "webp.webp": save(image, "WEBP", quality=90),
    }
    for number, data in enumerate(structured_append_pngs(), start=1):
        files[f"structured_append_{number}.png"] = data
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, data in files.items():
        (folder / name).write_bytes(data)
        paths[name] = folder / name
    return paths
