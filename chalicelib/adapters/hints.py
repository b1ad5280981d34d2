"""Why no code was found, as a hint the officer can act on.

``no_code_hint(image)`` answers ``too_small`` (the image is under
``MIN_SIDE`` pixels a side), ``blurred`` (its edges are measurably wide, see
``edge_width``) or ``cropped_or_absent`` (anything else: a sharp page with no
readable code on it, a blank or evenly lit one).
"""

from __future__ import annotations

from typing import Any

from PIL import Image, ImageFilter, ImageOps

MIN_SIDE = 120  # pixels: smaller than this holds no readable code
MEASURE_SIDE = 2000  # pixels: edges are measured at the size the readers first work at
BLURRED_WIDTH = 4.5  # pixels: wider edges are blurred (a Gaussian blur of sigma 2 or more)
STRONGEST = 0.0002  # the share of neighbour steps taken as the strongest edges
MIN_STEP = 3  # gray levels per pixel: gentler than this everywhere, there are no edges


def no_code_hint(image: Image.Image) -> str:
    """A guess at why nothing was found in a grayscale ("L") image, for the
    officer: ``too_small``, ``blurred`` or ``cropped_or_absent``."""
    if min(image.size) < MIN_SIDE:
        return "too_small"
    width = edge_width(image)
    if width is not None and width > BLURRED_WIDTH:
        return "blurred"
    return "cropped_or_absent"


def edge_width(image: Image.Image) -> float | None:
    """How wide, in pixels, the sharpest edges of an image are; None when it
    has no edges to measure (blank, or only gentle shading).

    Blur is measured as the width of edges, as Marziliano, Dufaux, Winkler and
    Ebrahimi do ("A no-reference perceptual blur metric", ICIP 2002): a step
    from dark to light spread over w pixels rises by about contrast / w from
    one pixel to the next, so the contrast divided by the steepest steps
    estimates w. That depends neither on how much is in the picture (a sharp
    page with one line of text has narrow edges) nor on the lighting (the
    contrast cancels out). Measured: about 1 to 2 pixels for print, renders
    and screenshots; 2.5 x sigma for a Gaussian blur of sigma pixels.

    The image is taken at most ``MEASURE_SIDE`` pixels a side and smoothed a
    little (Gaussian, sigma 0.7: a sharp edge measures 1.6 instead of 1) so
    that sensor noise and JPEG speckle are not taken for edges. The contrast
    is the range of gray levels; the steepest steps are the mean of the
    largest ``STRONGEST`` share of differences between neighbours, across and
    down."""
    import numpy as np

    shown = image.convert("L")
    if max(shown.size) > MEASURE_SIDE:
        shown = ImageOps.contain(shown, (MEASURE_SIDE, MEASURE_SIDE), Image.Resampling.BOX)
    pixels = np.asarray(shown.filter(ImageFilter.GaussianBlur(0.7)), dtype=np.int16)
    # Steps are whole gray levels 0-255: count them, then average the largest
    # ``count`` from the counts (the same number as sorting, without sorting
    # millions of them).
    histogram = np.bincount(np.abs(np.diff(pixels, axis=1)).ravel(), minlength=256)
    histogram += np.bincount(np.abs(np.diff(pixels, axis=0)).ravel(), minlength=256)
    total = int(histogram.sum())
    count = max(int(total * STRONGEST), 16)
    if total < count:
        return None
    steepest = _mean_of_largest(histogram, count)
    if steepest < MIN_STEP:
        return None
    return (int(pixels.max()) - int(pixels.min())) / steepest


def _mean_of_largest(histogram: Any, count: int) -> float:
    """The mean of the ``count`` largest values counted in ``histogram``
    (``histogram[v]`` values equal to ``v``)."""
    taken = 0
    total = 0
    for value in range(len(histogram) - 1, -1, -1):
        here = min(int(histogram[value]), count - taken)
        taken += here
        total += here * value
        if taken == count:
            break
    return total / count
