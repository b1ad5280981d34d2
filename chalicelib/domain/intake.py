"""What an uploaded file is, judged by its bytes, and the limits that apply.

The declared Content-Type is a hint at most: formats are recognised by their
magic bytes, and a file whose bytes say "SVG" is refused even when it claims
to be a PNG. Limits are checked before any expensive decoding.
"""

from __future__ import annotations

import dataclasses

from chalicelib.domain.qrtext import is_docseal as is_docseal  # the file path asks here

SUPPORTED = ("png", "jpeg", "webp", "pdf")


@dataclasses.dataclass(frozen=True)
class IntakeLimits:
    max_file_bytes: int = 15 * 1024 * 1024
    max_pixels: int = 40_000_000  # a 12 MP phone photo fits three times over
    max_pdf_pages: int = 20
    seconds: float = 10.0


def sniff(data: bytes) -> str | None:
    """The file format from the first bytes, or None when unknown."""
    head = data[:64]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"avif"):
        return "heic"
    if head[:2] == b"BM":
        return "bmp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    text = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<svg", b"<?xml")) and b"<svg" in data[:4096].lower():
        return "svg"
    return None


@dataclasses.dataclass(frozen=True, eq=False)
class FoundCode:
    """The exact bytes of one QR code, the PDF page it was on (0: an image), and
    the text a standard reader shows for them (ECI honoured, the charset
    recognised), when the reader that found it said so.

    Two finds on one page with the same bytes, or showing the same text, are
    the same code: zbar hands over a code with an ECI converted to UTF-8 (or
    its bytes with the ECI dropped), zxing-cpp its bytes as stored and the
    text the ECI says; the first find is kept."""

    data: bytes
    page: int = 0
    shown: str | None = None

    @property
    def text(self) -> str | None:
        """The text of the code: as the reader showed it, else the bytes as UTF-8."""
        if self.shown is not None:
            return self.shown
        try:
            return self.data.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FoundCode) or other.page != self.page:
            return False
        return other.data == self.data or (self.text is not None and other.text == self.text)

    def __hash__(self) -> int:
        return hash(self.page)  # equal finds share a page; a page holds few codes


@dataclasses.dataclass(frozen=True)
class ScanResult:
    format: str
    pages: int
    codes: tuple[FoundCode, ...]
    decoders: tuple[str, ...]
    hint: str = ""  # why nothing was found: too_small, blurred, cropped_or_absent, timeout
    notes: tuple[str, ...] = ()  # about the file itself: "incomplete" (read leniently)

    @property
    def has_docseal(self) -> bool:
        return any(c.text is not None and is_docseal(c.text) for c in self.codes)
