"""Opening an uploaded image file into the pixels the QR readers look at.

``open_image`` decodes PNG, JPEG and WebP bytes with Pillow, after checking the
pixel count in the header (before any pixel is decoded), into 8-bit grayscale
("L"), upright (EXIF orientation), transparency flattened onto white. Errors:
``FileRefused`` with ``IMAGE_TOO_LARGE`` (too many pixels, a decompression bomb,
out of memory) or ``CORRUPT_FILE`` (no usable pixels).
"""

from __future__ import annotations

import io
import warnings
from typing import Any

from PIL import Image, ImageFile, ImageOps, PngImagePlugin, UnidentifiedImageError

from chalicelib.domain.intake import IntakeLimits
from chalicelib.errors import ErrorCode, FileRefused

PngImagePlugin.MAX_TEXT_CHUNK = 256 * 1024  # text-chunk bombs fail fast
PngImagePlugin.MAX_TEXT_MEMORY = 1024 * 1024
ImageFile.LOAD_TRUNCATED_IMAGES = False
# ``Image.info`` key set on an image that was read leniently (damaged file)
INCOMPLETE = "docseal_incomplete"


def header_side(data: bytes) -> int:
    """The longer side, in pixels, that the image header declares."""
    with Image.open(io.BytesIO(data)) as header:
        return max(header.size)


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
