"""Where a QR code may be in a large photo: a few candidate boxes, found cheaply.

In a phone photo of a printed result the code is a small part of the frame
(a 300-650 px square in 4000x3000). When it is out of focus, the chain's
variants of the whole working image (at most 2000 px a side) leave its
modules two pixels wide under a blur of about one: too little to restore. Cut
from the full-resolution image, the same code keeps modules of four to nine
pixels, and deblurring or sharpening that crop costs a few milliseconds.

A QR symbol is a square of about half dark modules (ISO/IEC 18004 section
5.3: the mask patterns of section 7.8.2 balance dark and light), with an
edge between neighbouring modules of different colour every module or two.
Printed text is mostly paper between thin strokes, and the table or desk
around the page is smooth (the camera focuses on the page). So, on the
working image, in blocks of ``BLOCK`` x ``BLOCK`` pixels:

1. ink: how much darker than the surrounding paper a block is, the paper
   being the brightest block level around (a grey-level dilation, as in
   background estimation for document binarisation: Sauvola and
   Pietikäinen 2000 use local statistics the same way);
2. texture: the standard deviation of the pixels inside the block, which
   stays high across a code even when blur hides its modules, and is low on
   a blurred background and on paper;
3. the product, averaged over a window the size of the smallest code looked
   for: a QR code scores about twice as high as a dense paragraph of text.

The highest-scoring places, apart from one another, are grown into boxes
while their edges stay busy, and returned as boxes in the working image's
pixels, best first. numpy only, about 15 ms on a 2000x1500 image.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from PIL import Image, ImageChops, ImageFilter

BLOCK = 4  # working-image pixels per block a side
MIN_CODE_BLOCKS = 24  # smallest code looked for, in blocks (96 working px)
MAX_CANDIDATES = 3
RELATIVE_FLOOR = 0.45  # a candidate scores at least this share of the best one
ABSOLUTE_FLOOR = 2.0  # ...and at least this (grey levels^2 / 255; blank or smooth: ~0)
GROW_FILL = 0.3  # a box grows while this share of the strip beyond it is busy (a code
# turned by 45 degrees is a diamond: its corners fill little of a strip)
OVERSIZED = 0.75  # a box this share of the image's shorter side is not a code region
PAPER_SHRINK = 8  # the paper level is estimated on blocks this many times coarser
PAPER_WINDOW = 13  # ...with a grey-level dilation this many coarse blocks wide

Array = Any  # numpy arrays (numpy is imported lazily, as in deblur.py)


class Region(NamedTuple):
    """A box (left, top, right, bottom) in the pixels of the image searched, and its
    score (higher: more like a QR code)."""

    left: int
    top: int
    right: int
    bottom: int
    score: float


def code_regions(image: Image.Image, count: int = MAX_CANDIDATES) -> list[Region]:
    """Up to ``count`` boxes of ``image`` (mode L) that may hold a QR code, best first;
    none on an image too small to search or with nothing code-like on it."""
    import numpy as np

    rows, cols = image.height // BLOCK, image.width // BLOCK
    if min(rows, cols) < 2 * MIN_CODE_BLOCKS:
        return []
    # per block: its mean level, and its texture (the mean distance of its pixels
    # from their 5x5 neighbourhood's mean), both computed by Pillow in C
    shrunk = image.reduce(BLOCK)
    mean = np.asarray(shrunk, dtype=np.float32)[:rows, :cols]
    half = image.reduce(2)
    detail = ImageChops.difference(half, half.filter(ImageFilter.BoxBlur(1)))
    texture = np.asarray(detail.reduce(BLOCK // 2), dtype=np.float32)[:rows, :cols]
    ink = np.maximum(_paper(mean) - mean, 0.0)
    busy = ink * texture / 255.0
    score = _box_mean(busy, MIN_CODE_BLOCKS)
    smooth = _box_mean(busy, 5)
    found: list[Region] = []
    work = score.copy()
    best = float(work.max())
    if best < ABSOLUTE_FLOOR:
        return []
    while len(found) < count:
        flat = int(np.argmax(work))
        row, col = divmod(flat, cols)
        peak = float(work[row, col])
        if peak < max(RELATIVE_FLOOR * best, ABSOLUTE_FLOOR):
            break
        top, bottom, left, right = _grown(smooth >= 0.3 * smooth[row, col], row, col)
        # a box grown to most of the image is no code-sized blob: the best candidate
        # is kept (a close-up of a code: the caller reads the whole image then),
        # any other is busy background or a page of text
        oversized = max(bottom - top, right - left) >= OVERSIZED * min(rows, cols)
        if not oversized or not found:
            box = (left * BLOCK, top * BLOCK, right * BLOCK, bottom * BLOCK)
            found.append(Region(*box, round(peak, 2)))
        # no second candidate inside (or overlapping most of) this one
        pad = MIN_CODE_BLOCKS // 2
        work[max(top - pad, 0) : bottom + pad, max(left - pad, 0) : right + pad] = 0.0
    return found


def _paper(mean: Array) -> Array:
    """The paper's level around each block: the brightest coarse block nearby."""
    import numpy as np

    rows, cols = mean.shape
    coarse = Image.fromarray(np.clip(mean, 0, 255).astype(np.uint8)).reduce(PAPER_SHRINK)
    bright = coarse.filter(ImageFilter.MaxFilter(PAPER_WINDOW))
    return np.asarray(bright.resize((cols, rows), Image.Resampling.BILINEAR), dtype=np.float32)


def _box_mean(values: Array, size: int) -> Array:
    """The mean over a ``size`` x ``size`` window centred on each cell (edges clipped)."""
    import numpy as np

    rows, cols = values.shape
    half = size // 2
    r0 = np.clip(np.arange(rows) - half, 0, rows)
    r1 = np.clip(np.arange(rows) + size - half, 0, rows)
    c0 = np.clip(np.arange(cols) - half, 0, cols)
    c1 = np.clip(np.arange(cols) + size - half, 0, cols)
    down = np.zeros((rows + 1, cols), dtype=np.float32)
    np.cumsum(values, axis=0, out=down[1:])
    band = down[r1] - down[r0]  # sums over the window's rows
    across = np.zeros((rows, cols + 1), dtype=np.float32)
    np.cumsum(band, axis=1, out=across[:, 1:])
    sums = across[:, c1] - across[:, c0]
    area = (r1 - r0)[:, None] * (c1 - c0)[None, :]
    return sums / area.astype(np.float32)


def _grown(mask: Array, row: int, col: int) -> tuple[int, int, int, int]:
    """A box (top, bottom, left, right; bottom and right exclusive) around (row, col),
    each side pushed out while ``GROW_FILL`` of the strip just beyond it is set in
    ``mask``."""
    rows, cols = mask.shape
    half = MIN_CODE_BLOCKS // 2
    top, bottom = max(row - half, 0), min(row + half, rows)
    left, right = max(col - half, 0), min(col + half, cols)
    step = 2
    grew = True
    while grew:
        grew = False
        if top > 0 and mask[max(top - step, 0) : top, left:right].mean() > GROW_FILL:
            top, grew = max(top - step, 0), True
        if bottom < rows and mask[bottom : bottom + step, left:right].mean() > GROW_FILL:
            bottom, grew = min(bottom + step, rows), True
        if left > 0 and mask[top:bottom, max(left - step, 0) : left].mean() > GROW_FILL:
            left, grew = max(left - step, 0), True
        if right < cols and mask[top:bottom, right : right + step].mean() > GROW_FILL:
            right, grew = min(right + step, cols), True
    return top, bottom, left, right
