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

import io
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from PIL import (
    Image,
    ImageFile,
    ImageFilter,
    ImageOps,
    ImageStat,
    PngImagePlugin,
    UnidentifiedImageError,
)

from chalicelib.adapters.deblur import deblurred
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

PngImagePlugin.MAX_TEXT_CHUNK = 256 * 1024  # text-chunk bombs fail fast
PngImagePlugin.MAX_TEXT_MEMORY = 1024 * 1024
ImageFile.LOAD_TRUNCATED_IMAGES = False
CHEAP_SIDE = 2000  # the first pass works on at most this many pixels a side
PDF_DPI = 200
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

    drafted = kind == "jpeg" and max(image.size) < _header_side(data)
    codes, hint = _scan_image(
        image, readers, deadline, page=0, full=full_resolution if drafted else None
    )
    return _finish(ScanResult(kind, 1, tuple(codes), names, hint))


def _header_side(data: bytes) -> int:
    with Image.open(io.BytesIO(data)) as header:
        return max(header.size)


def _finish(result: ScanResult) -> ScanResult:
    if not result.codes and result.hint == "timeout":
        raise FileRefused(ErrorCode.DECODE_TIMEOUT, "no code was found in the time allowed")
    return result


def open_image(data: bytes, limits: IntakeLimits, target_side: int | None = None) -> Image.Image:
    """Decode an image safely into grayscale ("L"), upright, on white."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width <= 0 or height <= 0:
                raise FileRefused(ErrorCode.CORRUPT_FILE, "the image has no pixels")
            if width * height > limits.max_pixels:
                raise FileRefused(
                    ErrorCode.IMAGE_TOO_LARGE,
                    f"{width}x{height} pixels is more than {limits.max_pixels}",
                )
            if target_side and image.format == "JPEG" and max(width, height) > target_side:
                shrink = target_side / max(width, height)  # decode at 1/2, 1/4 or 1/8 scale
                image.draft("L", (round(width * shrink), round(height * shrink)))
            image.load()
            return normalise(image)
    except FileRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise FileRefused(
            ErrorCode.IMAGE_TOO_LARGE, "the image is too large to decode safely"
        ) from exc
    except MemoryError as exc:
        raise FileRefused(ErrorCode.IMAGE_TOO_LARGE, "the image needs too much memory") from exc
    except (
        OSError,
        ValueError,
        SyntaxError,
        TypeError,
        EOFError,
        UnidentifiedImageError,
    ) as exc:
        raise FileRefused(
            ErrorCode.CORRUPT_FILE, f"the image cannot be decoded ({type(exc).__name__})"
        ) from exc


def normalise(image: Image.Image) -> Image.Image:
    """EXIF orientation, first frame, transparency onto white, any mode to 8-bit gray."""
    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)
    image = ImageOps.exif_transpose(image) or image
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        image = (
            image.point(lambda v: v / 256).convert("L") if image.mode != "I" else _from_int(image)
        )
    if image.mode == "P":
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    if image.mode == "CMYK":
        image = image.convert("RGB")
    return image.convert("L")


def _from_int(image: Image.Image) -> Image.Image:
    extrema: Any = image.getextrema()  # (min, max) for a one-band image
    low, high = float(extrema[0]), float(extrema[1])
    span = max(high - low, 1.0)
    return image.point(lambda v: (v - low) * 255 / span).convert("L")


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
                code = FoundCode(decoded.data, page)
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


def no_code_hint(image: Image.Image) -> str:
    """A guess at why nothing was found, for the officer: small, blurred or cropped."""
    if min(image.size) < 120:
        return "too_small"
    edges = image.filter(ImageFilter.FIND_EDGES)
    if ImageStat.Stat(edges).mean[0] < 4.0:
        return "blurred"
    return "cropped_or_absent"


def _scan_pdf(
    data: bytes, limits: IntakeLimits, readers: Sequence[Reader], deadline: Deadline
) -> ScanResult:
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        text = str(exc).lower()
        if "password" in text:
            raise FileRefused(ErrorCode.CORRUPT_FILE, "the PDF is encrypted") from exc
        raise FileRefused(ErrorCode.CORRUPT_FILE, "the PDF cannot be read") from exc
    try:
        pages = len(document)
        if pages == 0:
            raise FileRefused(ErrorCode.CORRUPT_FILE, "the PDF has no pages")
        if pages > limits.max_pdf_pages:
            raise FileRefused(
                ErrorCode.TOO_MANY_PAGES, f"{pages} pages is more than {limits.max_pdf_pages}"
            )
        found: list[FoundCode] = []
        hint = ""
        for number in range(pages):
            page = document[number]
            try:
                width, height = page.get_size()
                scale = PDF_DPI / 72
                if width * height * scale * scale > limits.max_pixels:
                    scale = (limits.max_pixels / max(width * height, 1.0)) ** 0.5
                rendered = page.render(scale=scale, grayscale=True).to_pil().convert("L")
                codes, hint = _scan_image(rendered, readers, deadline, page=number + 1)
                if not _docseal_among(codes):
                    for embedded in _embedded_images(page, limits):
                        more, _ = _scan_image(embedded, readers, deadline, page=number + 1)
                        codes += [c for c in more if c not in codes]
                        if _docseal_among(codes) or deadline.passed():
                            break
            except pypdfium2.PdfiumError as exc:
                raise FileRefused(
                    ErrorCode.CORRUPT_FILE, f"page {number + 1} cannot be rendered"
                ) from exc
            finally:
                page.close()
            found += [c for c in codes if c not in found]
            if deadline.passed():
                if not found:
                    hint = "timeout"
                break
        names = tuple(r.name for r in readers)
        return _finish(ScanResult("pdf", pages, tuple(found), names, "" if found else hint))
    finally:
        document.close()


def _embedded_images(page: object, limits: IntakeLimits) -> Iterator[Image.Image]:
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=3):  # type: ignore[attr-defined]
        if not isinstance(obj, pypdfium2.PdfImage):
            continue
        try:
            width, height = obj.get_px_size()
            if width * height > limits.max_pixels or width * height == 0:
                continue
            yield normalise(obj.get_bitmap(render=False).to_pil())
        except (pypdfium2.PdfiumError, OSError, ValueError):
            continue
