"""Finding QR codes in whatever the officer uploads: photos, screenshots, PDFs.

The chain, cheapest first, stopping as soon as a docseal code is found:

1. the image as decoded (JPEGs at reduced DCT scale when large), grayscale,
   EXIF-rotated, transparency flattened onto white, CMYK/16-bit converted;
2. every available reader (zxing-cpp, then zbar) on it, then on the image at
   full resolution: what each reader alone would be given, with its default
   settings, so the chain never finds less than a reader alone. On a photo
   larger than the working size, zxing-cpp reads the working copy first; then
   the likeliest code regions (regions.py) are cut from the full resolution,
   where the modules are twice as wide, and read plain, sharpened and
   deconvolved (a few milliseconds each) before zbar and the full resolution;
3. harder variants, each tried with every reader until the time budget ends:
   enlargements (modules of one or two pixels), autocontrast, equalisation,
   median (noise, moiré) and sharpening, a global-histogram binariser, a
   flat redrawing of a code on folded or bent paper (warp.py), deconvolution
   of focus and motion blur (deblur.py), rotations.

When the docseal codes found cover little of the image, every reader that has
not yet seen the image as uploaded is given it, so a second result on the same
page is found if any reader alone would find it.

Limits come first: file size, pixel count read from the header before any
pixel is decoded, PDF page count, and a deadline checked between variants.
A hard time limit and crash isolation are the worker's job (scan_worker.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple

from PIL import Image, ImageFilter, ImageOps, ImageStat

from chalicelib.adapters.deblur import MAX_SIDE, deblurred
from chalicelib.adapters.hints import no_code_hint
from chalicelib.adapters.image_file import INCOMPLETE, header_side, open_image
from chalicelib.adapters.pdf_pages import pdf_pages
from chalicelib.adapters.qr_readers import Reader, available_readers
from chalicelib.adapters.regions import Region, code_regions
from chalicelib.adapters.warp import rectified
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
UPSCALE_SIDE = 1600  # images this small a side are also read enlarged (tiny modules)
CROP_CANDIDATES = 2  # code regions of a large photo read at full resolution
CROP_MARGIN = 0.15  # a region is cut with this share of its side around it
CROP_MAX_SHARE = 0.4  # regions covering more of the working image are not cut
# focus blurs (Gaussian sigma, full-resolution pixels) and shakes (cepstrum dips) the
# first region is deconvolved for; on the development photos (seeds 101-103, 201-203)
# only sigma 2 ever read a code that plain and sharpened crops did not
# a photo this large (full resolution, longer side) whose code regions were all cut
# and read gets no whole-image variants of its working copy (see _Steps._large_rest)
LARGE_SIDE = 3000
CROP_SIGMAS = (2.0, 3.0)
CROP_MOTIONS = 1


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
    plain_done: set[str] = set()  # readers that have seen the image as uploaded

    def run(step: Step, only: Sequence[Reader] = (), every: bool = False) -> bool:
        """Read one step; True once a docseal code is found (unless ``every`` reader
        must read it)."""
        for reader in only or readers[step.readers]:
            if step.plain:
                plain_done.add(reader.name)
            try:
                contents = reader.read(step.image, hard=step.hard)
            except (ValueError, OSError, RuntimeError):
                contents = []  # a reader refusing one variant is not the end
            for decoded in contents:
                code = FoundCode(decoded.data, page, decoded.text)
                if code not in found:
                    found.append(code)
                    # a share of 1.0 is "unknown" (qr_readers.Decoded) and stays so
                    share = decoded.share
                    shares[code] = share * step.share if share < 1.0 else share
            if not every and _docseal_among(found):
                return True
        return _docseal_among(found)

    if ImageStat.Stat(image).stddev[0] < 3.0:
        return found, "cropped_or_absent"  # a blank image or page: nothing to look for
    work = _working(image)
    steps = _Steps(image, work, full)
    for step in steps:
        if run(step) or deadline.passed():
            break
    if _docseal_among(found) and not deadline.passed() and _room_for_more(found, shares):
        # a small code on a large page: the page may hold another result. Each reader
        # that has not seen the image as uploaded reads it now; on a photo larger than
        # the working size only the first (zxing-cpp): zbar would take half a second
        # on 12 MP, and zxing-cpp at full resolution finds what it would there
        plain = steps.plain()
        large = max(plain.image.size) > CHEAP_SIDE
        for reader in readers[:1] if large else readers:
            if reader.name not in plain_done and not deadline.passed():
                run(plain, only=[reader], every=True)
        if not large and not deadline.passed():
            run(Step(work.filter(SHARPEN), hard=True), only=readers[:1], every=True)
    if found or deadline.passed():
        return found, "" if found else "timeout"
    return found, no_code_hint(image)


def _room_for_more(found: Sequence[FoundCode], shares: dict[FoundCode, float]) -> bool:
    """Whether the docseal codes found leave room on the image for another code.
    A share of 1.0 is a reader's "unknown" (qr_readers.Decoded): it proves nothing."""
    covered = sum(
        share
        for code, share in shares.items()
        if code.text is not None and is_docseal(code.text) and share < 1.0
    )
    return covered < PAGE_SHARE


def _working(image: Image.Image) -> Image.Image:
    if max(image.size) <= CHEAP_SIDE:
        return image
    return ImageOps.contain(image, (CHEAP_SIDE, CHEAP_SIDE), Image.Resampling.LANCZOS)


class Step(NamedTuple):
    image: Image.Image
    hard: bool  # the readers may spend longer (more binarisers)
    plain: bool = False  # the image as uploaded, at full resolution: what a reader alone sees
    share: float = 1.0  # the part of the uploaded image this one shows (a crop: less)
    readers: slice = slice(None)  # which of the chain's readers read it
    name: str = ""  # what the variant is, for tests and measurements


class _Steps:
    """The variants of one image, cheapest first (see the module docstring).

    The first steps are what each reader alone would be given: the image as
    uploaded, at full resolution, with the reader's own default settings (for a
    large image, its working-size copy comes first: cheaper, and it holds
    every code with modules of a few pixels). So the chain never reads less than
    a reader alone; everything after adds what neither finds."""

    def __init__(
        self, image: Image.Image, work: Image.Image, full: Callable[[], Image.Image] | None
    ) -> None:
        self.image, self.work, self._full = image, work, full
        self._plain: Image.Image | None = None
        # every code region of a large photo has been cut and deconvolved for focus
        # blur: the whole image's focus sweep (at deblur.MAX_SIDE, where the modules
        # of such a photo's code are about a pixel) is not repeated
        self._focus_done = False
        self._cut = 0  # code regions cut from the full resolution and read
        self._searched = False  # every code-like region was cut (or there was none)

    def plain(self) -> Step:
        if self._plain is None:
            self._plain = self._full() if self._full is not None else self.image
        return Step(self._plain, hard=False, plain=True, name="full")

    def __iter__(self) -> Iterator[Step]:
        work, side = self.work, max(self.image.size)
        if work is self.image and self._full is None:
            yield Step(work, hard=False, plain=True, name="plain")
        else:
            # a photo larger than the working size: the first reader (zxing-cpp, a few
            # ms) on the working copy; then its likeliest code regions, cut from the
            # full resolution (a few ms each, and the full resolution is decoded for
            # the next steps anyway)
            yield Step(work, hard=False, readers=slice(0, 1), name="work")
            yield from self._crops()
            if max(self.plain().image.size) >= LARGE_SIDE:
                yield from self._large_rest()
                return
            # only then the other readers (zbar: a tenth of a second on the working
            # copy, half a second on 12 MP)
            yield Step(work, hard=False, readers=slice(1, None), name="work-rest")
            yield self.plain()  # full resolution: small codes in big photos
        if side <= UPSCALE_SIDE:  # tiny modules (a code 80 px wide in a screenshot)
            yield Step(_enlarged(work, 2), hard=False, name="x2")
        contrast = ImageOps.autocontrast(work, cutoff=2)
        yield Step(contrast, hard=True, name="autocontrast")
        yield Step(ImageOps.equalize(work), hard=True, name="equalize")
        yield Step(work.filter(SHARPEN), hard=True, name="sharpen")
        denoised = work.filter(ImageFilter.MedianFilter(3))
        yield Step(
            denoised.filter(ImageFilter.UnsharpMask(radius=2, percent=150, threshold=2)),
            True,
            name="median",
        )
        yield Step(
            work.filter(ImageFilter.GaussianBlur(1.2)), hard=True, name="smooth"
        )  # moiré, halftone, JPEG
        if side > 900:
            half = ImageOps.contain(work, (work.width // 2, work.height // 2), Image.Resampling.BOX)
            yield Step(ImageOps.autocontrast(half, cutoff=2), hard=True, name="half")
        for flat in rectified(work):  # folded, bent or curled paper
            yield Step(flat, hard=False, name="warp")
        if side <= UPSCALE_SIDE:  # modules of about one pixel: enlarge further, then sharpen
            yield Step(_enlarged(work, 4), hard=True, name="x4")
        for restored in deblurred(work, focus=not self._focus_done):  # out of focus, shaken
            yield Step(restored, hard=False, name="deblur")
        for angle in (30, 45, 60):
            yield Step(
                contrast.rotate(angle, expand=True, fillcolor=255), hard=True, name=f"rotate{angle}"
            )

    def _large_rest(self) -> Iterator[Step]:
        """What a photo of at least ``LARGE_SIDE`` pixels gets once its code-like
        regions were read at full resolution by every reader (or none was
        found): zxing-cpp on the whole full resolution (what it alone would be
        given) and nothing more.

        zbar alone on 12 MP costs half a second, and the regions it would read
        there it has read already (a photo with no code-like region has no ink
        texture a code would leave); the whole-image variants of the working
        copy (contrast, filters, deconvolution, rotations: two to three seconds
        on a 12 MP photo that holds no readable code) rescued none of the 87
        development photos (seeds 101-103, 201-203): at 2000 px a code in such
        a photo has modules of one or two pixels, and what the variants would
        restore, its full-resolution crop restores better.

        A region too large to cut (a close-up of a code, or a page of dense
        text) leaves the other readers the working copy, where a close-up's
        modules are several pixels wide."""
        if not self._searched:
            yield Step(self.work, hard=False, readers=slice(1, None), name="work-rest")
        yield self.plain()._replace(readers=slice(0, 1))

    def _crops(self) -> Iterator[Step]:
        """The likeliest code regions of a large photo (regions.py), each cut from
        the full resolution with a margin, then sharpened and deconvolved: its
        modules are twice as wide there as in the working copy. At most
        ``CROP_CANDIDATES`` regions; the deconvolutions (``CROP_SIGMAS`` for focus
        blur, ``CROP_MOTIONS`` for shake, the second region fewer) are read by
        zxing-cpp only, so a photo with no code pays about a tenth of a second
        for them."""
        work = self.work
        regions = code_regions(work, count=CROP_CANDIDATES)
        small = [
            r
            for r in regions
            if (r.right - r.left) * (r.bottom - r.top) <= CROP_MAX_SHARE * work.width * work.height
        ]
        # searched: every place that looks like a code is small enough to be cut
        # (or nothing does); a close-up (one region most of the image) is not
        self._searched = len(small) == len(regions)
        for region in regions:
            box_area = (region.right - region.left) * (region.bottom - region.top)
            if box_area > CROP_MAX_SHARE * work.width * work.height:
                continue  # most of the image: the whole-image variants cover it
            self._cut += 1
            cut = self._cut
            full = self.plain().image
            crop = _cut(full, region, full.width / work.width)
            share = crop.width * crop.height / (full.width * full.height)
            yield Step(crop, hard=False, share=share, name=f"crop{cut}")
            yield Step(crop.filter(SHARPEN), hard=True, share=share, name=f"crop{cut}-sharpen")
            first = cut == 1
            restored = deblurred(
                crop,
                focus_first=True,
                sigmas=CROP_SIGMAS if first else CROP_SIGMAS[:1],
                motions=CROP_MOTIONS if first else 0,
            )
            for image in restored:
                yield Step(image, False, share=share, readers=slice(0, 1), name=f"crop{cut}-deblur")
        self._focus_done = self._cut == len(regions) > 0


def _cut(image: Image.Image, region: Region, scale: float) -> Image.Image:
    """``region`` (in pixels of an image ``scale`` times smaller than ``image``) cut
    from ``image`` with a margin for the quiet zone and the box's own error;
    at most ``deblur.MAX_SIDE`` a side (a larger code has modules to spare)."""
    side = max(region.right - region.left, region.bottom - region.top) * scale
    margin = CROP_MARGIN * side + 8
    box = (
        max(int(region.left * scale - margin), 0),
        max(int(region.top * scale - margin), 0),
        min(int(region.right * scale + margin), image.width),
        min(int(region.bottom * scale + margin), image.height),
    )
    crop = image.crop(box)
    if max(crop.size) > MAX_SIDE:
        crop = ImageOps.contain(crop, (MAX_SIDE, MAX_SIDE), Image.Resampling.BOX)
    return crop


def _enlarged(image: Image.Image, factor: int) -> Image.Image:
    """Lanczos enlargement: a module of one or two pixels becomes several, with
    its edges where the pixel values put them (not on the pixel grid)."""
    return image.resize((image.width * factor, image.height * factor), Image.Resampling.LANCZOS)


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
