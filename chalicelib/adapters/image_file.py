"""Opening an uploaded image file into the pixels the QR readers look at.

``open_image`` decodes PNG, JPEG and WebP bytes with Pillow, after checking the
pixel count in the header (before any pixel is decoded), into 8-bit grayscale
("L"), upright (EXIF orientation), transparency flattened onto white.

A damaged file that a browser still shows is read as leniently as a browser
reads it: first strictly, then, if that fails as a damaged file fails (a
truncated JPEG or PNG, a bad checksum on a chunk that is not pixel data),
again with Pillow's ``LOAD_TRUNCATED_IMAGES``. Rows the file no longer holds
come out white, and the image carries ``info[INCOMPLETE] = True``. Every
limit holds in both reads; a limit broken (too many pixels, a text-chunk
bomb) is never retried.

``LOAD_TRUNCATED_IMAGES`` is a module global of Pillow's, so every decode here
holds ``_DECODING``: no strict read ever runs while another thread has it set.
That costs nothing where scans run (one at a time, in the worker process of
scan_worker.py); in-process callers (tests, the bench) decode one image at a
time.

Errors: ``FileRefused`` with ``IMAGE_TOO_LARGE`` (too many pixels, a
decompression bomb, out of memory) or ``CORRUPT_FILE`` (no usable pixels,
even read leniently).
"""

from __future__ import annotations

import io
import struct
import threading
import warnings
from collections.abc import Callable
from typing import Any

from PIL import Image, ImageFile, ImageOps, PngImagePlugin

from chalicelib.domain.intake import IntakeLimits
from chalicelib.errors import ErrorCode, FileRefused

PngImagePlugin.MAX_TEXT_CHUNK = 256 * 1024  # text-chunk bombs fail fast
PngImagePlugin.MAX_TEXT_MEMORY = 1024 * 1024
ImageFile.LOAD_TRUNCATED_IMAGES = False
# ``Image.info`` key set on an image that was read leniently (damaged file)
INCOMPLETE = "docseal_incomplete"

# A lenient read of no more rows than this is no image: one row of JPEG blocks
# (16 pixels at most) is what libjpeg makes up from padding bits when the file
# ends right after its headers.
MIN_ROWS = 16
_DECODING = threading.Lock()  # guards Pillow's LOAD_TRUNCATED_IMAGES (see above)
# How a damaged file fails a strict read (truncated data, a broken chunk): worth
# a lenient read. ValueError is not here: Pillow raises it for broken limits
# (MAX_TEXT_CHUNK, MAX_TEXT_MEMORY), and those stay refused.
_DAMAGED = (OSError, SyntaxError, EOFError, struct.error, IndexError)
_UNREADABLE = (*_DAMAGED, ValueError, TypeError)


def header_side(data: bytes) -> int:
    """The longer side, in pixels, that the image header declares.

    Raises ``FileRefused`` (``CORRUPT_FILE``) when there is no readable header."""
    with _DECODING:
        for lenient in (False, True):
            ImageFile.LOAD_TRUNCATED_IMAGES = lenient
            try:
                with Image.open(io.BytesIO(data)) as header:
                    return max(header.size)
            except _UNREADABLE:
                continue
            finally:
                ImageFile.LOAD_TRUNCATED_IMAGES = False
    raise FileRefused(ErrorCode.CORRUPT_FILE, "the image header cannot be read")


def open_image(data: bytes, limits: IntakeLimits, target_side: int | None = None) -> Image.Image:
    """Decode an image safely into grayscale ("L"), upright, on white.

    ``target_side``: a JPEG larger than this many pixels a side may be decoded
    at 1/2, 1/4 or 1/8 scale (DCT scaling), never below it. A damaged file is
    read leniently (see the module docstring) and marked ``info[INCOMPLETE]``.
    Raises ``FileRefused``: ``IMAGE_TOO_LARGE`` or ``CORRUPT_FILE``."""
    with _DECODING:
        try:
            return _translated(lambda: _decode(data, limits, target_side, lenient=False))
        except _Damaged:
            pass
        ImageFile.LOAD_TRUNCATED_IMAGES = True
        try:
            image = _translated(lambda: _decode(data, limits, target_side, lenient=True))
        except _Damaged as exc:
            raise FileRefused(
                ErrorCode.CORRUPT_FILE,
                f"the image cannot be decoded ({type(exc.__cause__).__name__})",
            ) from exc.__cause__
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = False
    image.info[INCOMPLETE] = True
    return image


class _Damaged(Exception):
    """A strict read failed as a damaged file fails; ``__cause__`` says how."""


def _translated(decode: Callable[[], Image.Image]) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return decode()
    except FileRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise FileRefused(
            ErrorCode.IMAGE_TOO_LARGE, "the image is too large to decode safely"
        ) from exc
    except MemoryError as exc:
        raise FileRefused(ErrorCode.IMAGE_TOO_LARGE, "the image needs too much memory") from exc
    except _DAMAGED as exc:
        raise _Damaged() from exc
    except (ValueError, TypeError) as exc:
        raise FileRefused(
            ErrorCode.CORRUPT_FILE, f"the image cannot be decoded ({type(exc).__name__})"
        ) from exc


def _decode(
    data: bytes, limits: IntakeLimits, target_side: int | None, lenient: bool
) -> Image.Image:
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
    if not lenient:
        return normalise(image)
    rows = _rows_read(image)
    if rows <= MIN_ROWS:
        raise FileRefused(ErrorCode.CORRUPT_FILE, "the image has no usable pixels")
    if rows < image.height and image.mode in ("L", "RGB"):
        # as a browser leaves them: blank, not the decoder's black or gray fill
        white = 255 if image.mode == "L" else (255, 255, 255)
        image.paste(white, (0, rows, image.width, image.height))
    return normalise(image)


def _rows_read(image: Image.Image) -> int:
    """How many rows, from the top, a lenient decode filled from the file.

    Pillow leaves the rows a truncated file no longer holds as the decoder's
    fill, one byte value throughout (0 for PNG, mid-gray 128 for JPEG), so the
    rows read end at the last row that is not that fill. A file whose real
    bottom rows are one flat value loses nothing by being counted short: those
    rows are painted white, and an image that is one flat value has no code."""
    import numpy as np

    pixels = np.asarray(image)
    rows = pixels.reshape(pixels.shape[0], -1)
    fill = rows[-1, 0]
    filled = (rows == fill).all(axis=1)
    read = np.flatnonzero(~filled)
    return int(read[-1]) + 1 if read.size else 0


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
