"""Finding QR codes in whatever the officer uploads: photos, screenshots, PDFs.

The chain, cheapest first, stopping as soon as a docseal code is found:

1. the image as decoded (JPEGs at reduced DCT scale when large), grayscale,
   EXIF-rotated, transparency flattened onto white, CMYK/16-bit converted;
2. every available reader (zxing-cpp, then zbar) on it;
3. harder variants, each tried with every reader until the time budget ends:
   full resolution, other scales, autocontrast, equalisation, median
   (noise, moiré) and sharpening, a global-histogram binariser, rotations.

Limits come first: file size, pixel count read from the header before any
pixel is decoded, PDF page count, and a deadline checked between variants.
A hard time limit and crash isolation are the worker's job (scan_worker.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence

from PIL import Image, ImageFilter, ImageOps, ImageStat

from chalicelib.adapters.deblur import deblurred
from chalicelib.adapters.hints import no_code_hint
from chalicelib.adapters.image_file import INCOMPLETE, header_side, open_image
from chalicelib.adapters.pdf_pages import pdf_pages
from chalicelib.adapters.qr_readers import Reader, available_readers
from chalicelib.domain.intake import (
    SUPPORTED,
    FoundCode,
    IntakeLimits,
    ScanResult,
    is_docseal,
    sniff,
)
from chalicelib.errors import ErrorCode, FileRefused

CHEAP_SIDE = 2000  # the first pass works on at most this many pixels a side
PAGE_SHARE = 0.5  # docseal codes covering less of the image than this: look for more
SHARPEN = ImageFilter.UnsharpMask(radius=2, percent=150, threshold=0)


def _docseal_among(codes: Sequence[FoundCode]) -> bool:
    return any(c.text is not None and is_docseal(c.text) for c in codes)


class Deadline:
    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._end = clock() + seconds

    def passed(self) -> bool:
        return self._clock() >= self._end


def scan_file(
    data: bytes,
    limits: IntakeLimits | None = None,
    readers: Sequence[Reader] | None = None,
) -> ScanResult:
    limits = limits or IntakeLimits()
    readers = tuple(readers or available_readers())
    if not data:
        raise FileRefused(ErrorCode.CORRUPT_FILE, "the file is empty")
    if len(data) > limits.max_file_bytes:
        raise FileRefused(
            ErrorCode.FILE_TOO_LARGE, f"the file is larger than {limits.max_file_bytes} bytes"
        )
    kind = sniff(data)
    if kind not in SUPPORTED:
        raise FileRefused(
            ErrorCode.UNSUPPORTED_FILE,
            f"{kind} files are not supported" if kind else "this kind of file is not supported",
        )
    deadline = Deadline(limits.seconds)
    names = tuple(r.name for r in readers)
    if kind == "pdf":
        return _scan_pdf(data, limits, readers, deadline)
    image = open_image(data, limits, target_side=CHEAP_SIDE)

    def full_resolution() -> Image.Image:
        return open_image(data, limits)  # large JPEGs were first decoded at reduced scale

    drafted = kind == "jpeg" and max(image.size) < header_side(data)
    codes, hint = _scan_image(
        image, readers, deadline, page=0, full=full_resolution if drafted else None
    )
    notes = ("incomplete",) if image.info.get(INCOMPLETE) else ()
    return _finish(ScanResult(kind, 1, tuple(codes), names, hint, notes))


def _finish(result: ScanResult) -> ScanResult:
    if not result.codes and result.hint == "timeout":
        raise FileRefused(ErrorCode.DECODE_TIMEOUT, "no code was found in the time allowed")
    return result


def _scan_image(
    image: Image.Image,
    readers: Sequence[Reader],
    deadline: Deadline,
    page: int,
    full: Callable[[], Image.Image] | None = None,
) -> tuple[list[FoundCode], str]:
    found: list[FoundCode] = []
    shares: dict[FoundCode, float] = {}

    def run(variant: Image.Image, hard: bool, only: Sequence[Reader] = ()) -> bool:
        for reader in only or readers:
            try:
                contents = reader.read(variant, hard=hard)
            except (ValueError, OSError, RuntimeError):
                contents = []  # a reader refusing one variant is not the end
            for decoded in contents:
                code = FoundCode(decoded.data, page, decoded.text)
                if code not in found:
                    found.append(code)
                    shares[code] = decoded.share
            if _docseal_among(found):
                return True
        return False

    if ImageStat.Stat(image).stddev[0] < 3.0:
        return found, "cropped_or_absent"  # a blank image or page: nothing to look for
    work = _working(image)
    for variant, hard in _variants(image, work, full):
        if run(variant, hard) or deadline.passed():
            break
    if _docseal_among(found) and not deadline.passed():
        covered = sum(s for c, s in shares.items() if c.text is not None and is_docseal(c.text))
        if covered < PAGE_SHARE:
            # a small code on a large page: the page may hold another result
            run(work.filter(SHARPEN), hard=True, only=readers[:1])
    if found or deadline.passed():
        return found, "" if found else "timeout"
    return found, no_code_hint(image)


def _working(image: Image.Image) -> Image.Image:
    if max(image.size) <= CHEAP_SIDE:
        return image
    return ImageOps.contain(image, (CHEAP_SIDE, CHEAP_SIDE), Image.Resampling.LANCZOS)


def _variants(
    image: Image.Image, work: Image.Image, full: Callable[[], Image.Image] | None = None
) -> Iterator[tuple[Image.Image, bool]]:
    """Cheap first: the image at a working size, then ever harder variants."""
    side = max(image.size)
    yield work, False
    if side > CHEAP_SIDE:
        yield image, False  # full resolution: small codes in big photos
    elif full is not None:
        yield full(), False
    if side < 1000:  # tiny modules (a code 80 px wide in a screenshot)
        yield work.resize((work.width * 2, work.height * 2), Image.Resampling.LANCZOS), False
    contrast = ImageOps.autocontrast(work, cutoff=2)
    yield contrast, True
    yield ImageOps.equalize(work), True
    yield work.filter(SHARPEN), True
    denoised = work.filter(ImageFilter.MedianFilter(3))
    yield denoised.filter(ImageFilter.UnsharpMask(radius=2, percent=150, threshold=2)), True
    yield work.filter(ImageFilter.GaussianBlur(1.2)), True  # moiré, halftone, JPEG blocks
    if side > 900:
        half = ImageOps.contain(work, (work.width // 2, work.height // 2), Image.Resampling.BOX)
        yield ImageOps.autocontrast(half, cutoff=2), True
    for restored in deblurred(work):  # out of focus or shaken
        yield restored, False
    for angle in (30, 45, 60):
        yield contrast.rotate(angle, expand=True, fillcolor=255), True


def _scan_pdf(
    data: bytes, limits: IntakeLimits, readers: Sequence[Reader], deadline: Deadline
) -> ScanResult:
    found: list[FoundCode] = []
    hint = ""
    pages = 0
    for page in pdf_pages(data, limits):
        pages = page.of
        codes, hint = _scan_image(page.rendered, readers, deadline, page=page.number)
        if not _docseal_among(codes):
            for embedded in page.embedded():
                more, _ = _scan_image(embedded, readers, deadline, page=page.number)
                codes += [c for c in more if c not in codes]
                if _docseal_among(codes) or deadline.passed():
                    break
        found += [c for c in codes if c not in found]
        if deadline.passed():
            if not found:
                hint = "timeout"
            break
    names = tuple(r.name for r in readers)
    return _finish(ScanResult("pdf", pages, tuple(found), names, "" if found else hint))
