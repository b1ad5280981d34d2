"""Why no code was found, as a hint the officer can act on."""

from __future__ import annotations

from PIL import Image, ImageFilter, ImageStat


def no_code_hint(image: Image.Image) -> str:
    """A guess at why nothing was found, for the officer: small, blurred or cropped."""
    if min(image.size) < 120:
        return "too_small"
    edges = image.filter(ImageFilter.FIND_EDGES)
    if ImageStat.Stat(edges).mean[0] < 4.0:
        return "blurred"
    return "cropped_or_absent"
