"""Damaged-but-viewable files and PDFs whose code is a form field, built at
test time from a real QR image: what officers upload after a phone cut a
download short (Pillow#4414, #3185) or an e-signing tool stamped the code into
a signature box (pypdfium2-team/pypdfium2#311)."""

from __future__ import annotations

import struct
import zlib

from PIL import Image

from tests.files import png_chunk, save

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def phone_page(code: Image.Image, top: int = 150) -> Image.Image:
    """A 1200 x 1600 light-gray page with the code ``top`` pixels down."""
    page = Image.new("L", (1200, 1600), 235)
    page.paste(code, ((page.width - code.width) // 2, top))
    return page


def phone_jpeg(code: Image.Image) -> bytes:
    """A phone-style JPEG of a page with the code in its top half; ends in EOI."""
    data = save(phone_page(code), "JPEG", quality=85)
    assert data.endswith(b"\xff\xd9")
    return data


def jpeg_without_eoi(jpeg: bytes) -> bytes:
    """Only the 2-byte end-of-image marker is missing."""
    return jpeg[:-2]


def jpeg_cut(jpeg: bytes, missing: int) -> bytes:
    """The last ``missing`` bytes are gone: the bottom rows, not the headers."""
    return jpeg[:-missing]


def jpeg_headers_only(jpeg: bytes) -> bytes:
    """Everything up to and including the start-of-scan header: no pixel data."""
    sos = jpeg.index(b"\xff\xda")
    (length,) = struct.unpack(">H", jpeg[sos + 2 : sos + 4])
    return jpeg[: sos + 2 + length]


def png_chunks(png: bytes) -> list[tuple[bytes, int, int]]:
    """(type, offset of the length field, data length) of each chunk."""
    chunks = []
    pos = len(PNG_SIGNATURE)
    while pos + 8 <= len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        chunks.append((png[pos + 4 : pos + 8], pos, length))
        pos += 12 + length
    return chunks


def png_with_bad_text_checksum(png: bytes) -> bytes:
    """A tEXt chunk (ancillary: not pixel data) whose CRC is wrong, after IHDR."""
    text = png_chunk(b"tEXt", b"Comment\0scanned at the ward office")
    broken = text[:-4] + bytes(b ^ 0xFF for b in text[-4:])
    return png[:33] + broken + png[33:]


def png_with_bad_header_checksum(png: bytes) -> bytes:
    """The IHDR chunk's CRC is wrong: a critical chunk, which no viewer trusts."""
    return png[:29] + bytes(b ^ 0xFF for b in png[29:33]) + png[33:]


def png_without_end(png: bytes) -> bytes:
    """The IEND chunk (the last 12 bytes) is missing."""
    assert png[-8:-4] == b"IEND"
    return png[:-12]


def png_with_trailing_garbage(png: bytes) -> bytes:
    return png + b"\x00garbage after IEND\xff" * 16


def png_cut_after_row(image: Image.Image, rows: int) -> bytes:
    """An 8-bit grayscale PNG of ``image`` cut inside its pixel data, right
    after row ``rows`` (0: nothing but the header). The rows are compressed
    with a full flush after each, so the cut is exactly there."""
    gray = image.convert("L")
    width, height = gray.size
    raw = gray.tobytes()
    packer = zlib.compressobj(9)
    data = b""
    ends = [0]
    for y in range(height):
        data += packer.compress(b"\0" + raw[y * width : (y + 1) * width])
        data += packer.flush(zlib.Z_FULL_FLUSH)
        ends.append(len(data))
    data += packer.flush()
    ihdr = png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
    whole = PNG_SIGNATURE + ihdr + png_chunk(b"IDAT", data) + png_chunk(b"IEND", b"")
    idat_data = len(PNG_SIGNATURE) + len(ihdr) + 8
    return whole[: idat_data + ends[rows]]


class MiniPdf:
    """A PDF written object by object, with a correct cross-reference table."""

    def __init__(self) -> None:
        self.objects: list[bytes] = []

    def add(self, body: bytes = b"") -> int:
        self.objects.append(body)
        return len(self.objects)

    def set(self, number: int, body: bytes) -> None:
        self.objects[number - 1] = body

    def stream(self, entries: bytes, data: bytes) -> int:
        packed = zlib.compress(data)
        return self.add(
            b"<< %s /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
            % (entries, len(packed), packed)
        )

    def gray_image(self, image: Image.Image) -> int:
        gray = image.convert("L")
        return self.stream(
            b"/Type /XObject /Subtype /Image /Width %d /Height %d"
            b" /ColorSpace /DeviceGray /BitsPerComponent 8" % gray.size,
            gray.tobytes(),
        )

    def bytes(self, root: int) -> bytes:
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(self.objects, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
            len(self.objects) + 1,
            root,
            xref,
        )
        return bytes(out)


def pdf_code_in_annotation(
    code: Image.Image,
    kind: str = "signature",
    rect: tuple[int, int, int, int] = (400, 60, 540, 200),
) -> bytes:
    """A one-page A4 PDF whose only picture of the code is an annotation's
    appearance stream, as e-signing tools place it: ``kind`` "signature" (a
    signature field, /FT /Sig), "button" (a push-button field) or "stamp"
    (a /Stamp annotation, which pdfium draws even without forms). ``rect``
    in points (left, bottom, right, top)."""
    pdf = MiniPdf()
    catalog, pages, page = pdf.add(), pdf.add(), pdf.add()
    font = pdf.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    content = pdf.stream(
        b"",
        b"BT /F1 14 Tf 72 770 Td (Trich luc khai sinh - ban dien tu) Tj ET\n"
        b"BT /F1 10 Tf 72 740 Td (Ma QR xac thuc o goc duoi ben phai.) Tj ET",
    )
    image = pdf.gray_image(code)
    width, height = rect[2] - rect[0], rect[3] - rect[1]
    appearance = pdf.stream(
        b"/Type /XObject /Subtype /Form /BBox [0 0 %d %d]"
        b" /Resources << /XObject << /Im0 %d 0 R >> >>" % (width, height, image),
        b"q %d 0 0 %d 0 0 cm /Im0 Do Q" % (width, height),
    )
    common = b"/Type /Annot /F 4 /Rect [%d %d %d %d] /P %d 0 R /AP << /N %d 0 R >>" % (
        *rect,
        page,
        appearance,
    )
    form = b""
    if kind == "signature":
        annotation = pdf.add(b"<< %s /Subtype /Widget /FT /Sig /T (ChuKySo1) >>" % common)
        form = b" /AcroForm << /Fields [%d 0 R] /SigFlags 3 >>" % annotation
    elif kind == "button":
        annotation = pdf.add(
            b"<< %s /Subtype /Widget /FT /Btn /Ff 65536 /T (MaQR) /MK << >> >>" % common
        )
        form = b" /AcroForm << /Fields [%d 0 R] >>" % annotation
    elif kind == "stamp":
        annotation = pdf.add(b"<< %s /Subtype /Stamp /Name /Approved >>" % common)
    else:
        raise ValueError(kind)
    pdf.set(
        page,
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R /Annots [%d 0 R] >>"
        % (pages, font, content, annotation),
    )
    pdf.set(pages, b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % page)
    pdf.set(catalog, b"<< /Type /Catalog /Pages %d 0 R%s >>" % (pages, form))
    return pdf.bytes(catalog)


def owner_password_pdf(code: Image.Image, method: str) -> bytes:
    """An A4 PDF with the code, protected by a permissions (owner) password
    only: viewers open it without asking (PdfiumViewer#190). ``method``:
    "RC4", "AES_128" or "AES_256"."""
    from fpdf import FPDF
    from fpdf.enums import EncryptionMethod

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(text="Trich luc khai sinh - ban dien tu (chi in, khong sua)")
    pdf.image(code, x=140, y=220, w=50)
    pdf.set_encryption(
        owner_password="chu-so-huu-9x",
        user_password="",
        encryption_method=EncryptionMethod[method],
    )
    return bytes(pdf.output())
