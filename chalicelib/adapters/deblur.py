"""Undoing camera blur before decoding: Wiener deconvolution with numpy's FFT.

Phone photos of a printed result are often out of focus (a Gaussian-like
blur) or shaken (a short straight-line blur). Sharpening filters only lift
edges; once the blur is about half a module wide the finder patterns survive
but the modules between them merge. Deconvolution recovers them when the blur
is known, so:

- motion blur: the length and direction come from the image's cepstrum,
  where a line blur of length L leaves a sharp negative peak at distance L
  in its direction (Rom 1975; Cannon 1976). A QR code's own module grid
  leaves dips too, at the module pitch along its two axes, so the few
  deepest dips are each tried;
- focus blur: a short sweep of Gaussian widths, each a separate variant the
  readers try, widest last.

Large images are worked on at most ``MAX_SIDE`` pixels a side, in float32,
so one deconvolution costs a few tens of milliseconds and a few megabytes.
numpy is imported here only, on first use, so verifying a QR text never
pays for it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any

from PIL import Image, ImageDraw, ImageOps

MAX_SIDE = 1200
PAD = 24  # edge padding, against wrap-around ringing
# Wiener's noise-to-signal ratios: a line blur's spectrum has true zeros and needs
# more damping than a Gaussian's, which only fades
MOTION_NOISE = (0.02,)
FOCUS_NOISE = 0.001
FOCUS_SIGMAS = (2.0, 3.0, 4.0, 5.0, 6.0)
CEPSTRUM_RADIUS = 40  # the longest motion blur looked for, in pixels
MOTION_CANDIDATES = 4


def deblurred(
    image: Image.Image,
    focus_first: bool = False,
    focus: bool = True,
    sigmas: Sequence[float] = FOCUS_SIGMAS,
    motions: int = MOTION_CANDIDATES,
) -> Iterator[Image.Image]:
    """Deconvolved versions of a grayscale image, likeliest first: motion blur first
    for a whole image, focus blur first for a crop of a photo (``focus_first``:
    a phone held still still focuses on the wrong plane); no focus blur at all
    when ``focus`` is False (the caller has tried it where it can help).
    ``sigmas`` (Gaussian widths, pixels of the image worked on) and ``motions``
    (cepstrum dips tried) bound the sweep where the caller pays per variant."""
    import numpy as np

    work = image
    if max(image.size) > MAX_SIDE:
        work = ImageOps.contain(image, (MAX_SIDE, MAX_SIDE), Image.Resampling.BOX)
    pixels = np.pad(np.asarray(work, dtype=np.float32) / 255.0, PAD, mode="edge")
    spectrum = np.fft.rfft2(pixels)

    def focused() -> Iterator[Image.Image]:
        for sigma in sigmas:
            otf = _gaussian_otf(pixels.shape, sigma)
            yield _wiener(spectrum, otf, pixels.shape, FOCUS_NOISE)

    if focus_first:
        yield from focused()
    for motion in motion_candidates(pixels, motions) if motions > 0 else []:
        otf = _line_otf(pixels.shape, *motion)
        for noise in MOTION_NOISE:
            yield _wiener(spectrum, otf, pixels.shape, noise)
    if focus and not focus_first:
        yield from focused()


def motion_candidates(pixels: Any, count: int = MOTION_CANDIDATES) -> list[tuple[float, float]]:
    """The cepstrum's deepest dips as (length, angle in radians), deepest first."""
    import numpy as np

    height, width = pixels.shape
    if min(height, width) < 4 * CEPSTRUM_RADIUS:
        return []
    window = np.outer(np.hanning(height), np.hanning(width)).astype(np.float32)
    magnitude = np.abs(np.fft.fft2((pixels - pixels.mean()) * window))
    cepstrum = np.fft.fftshift(np.real(np.fft.ifft2(np.log(1e-3 + magnitude))))
    cy, cx, r = height // 2, width // 2, CEPSTRUM_RADIUS
    # the cepstrum of a real image is symmetric: the upper half holds every dip once
    near = cepstrum[cy - r : cy + 1, cx - r : cx + r + 1].copy()
    dy, dx = np.mgrid[-r:1, -r : r + 1]
    distance = np.hypot(dy, dx)
    near[(distance < 3) | (distance > r) | ((dy == 0) & (dx < 0))] = np.inf
    found: list[tuple[float, float]] = []
    for flat in np.argsort(near, axis=None)[: count * 12]:
        iy, ix = divmod(int(flat), 2 * r + 1)
        y, x = iy - r, ix - r
        if not np.isfinite(near[iy, ix]) or any(
            math.hypot(y - fy, x - fx) < 1.5 for fy, fx in _points(found)
        ):
            continue  # a neighbour of a dip already taken
        # the dip sits about a pixel beyond the blur's drawn length
        found.append((max(math.hypot(y, x) - 1.0, 2.0), math.atan2(y, x)))
        if len(found) == count:
            break
    return found


def _points(found: list[tuple[float, float]]) -> list[tuple[float, float]]:
    return [
        ((length + 1) * math.sin(angle), (length + 1) * math.cos(angle)) for length, angle in found
    ]


def _gaussian_otf(shape: tuple[int, int], sigma: float) -> Any:
    import numpy as np

    fy = np.fft.fftfreq(shape[0]).astype(np.float32)[:, None]
    fx = np.fft.rfftfreq(shape[1]).astype(np.float32)[None, :]
    return np.exp(-2.0 * math.pi**2 * sigma**2 * (fx**2 + fy**2))


def _line_otf(shape: tuple[int, int], length: float, angle: float) -> Any:
    import numpy as np

    n = int(length) + 3
    kernel = Image.new("F", (2 * n + 1, 2 * n + 1), 0.0)
    dx, dy = math.cos(angle) * length / 2, math.sin(angle) * length / 2
    ImageDraw.Draw(kernel).line([(n - dx, n - dy), (n + dx, n + dy)], fill=1.0, width=1)
    psf = np.array(kernel, dtype=np.float32)
    psf /= psf.sum()
    full = np.zeros(shape, dtype=np.float32)
    full[: psf.shape[0], : psf.shape[1]] = psf
    return np.fft.rfft2(np.roll(full, (-n, -n), axis=(0, 1)))


def _wiener(spectrum: Any, otf: Any, shape: tuple[int, int], noise: float) -> Image.Image:
    import numpy as np

    restored = np.fft.irfft2(spectrum * np.conj(otf) / (np.abs(otf) ** 2 + noise), s=shape)
    restored = restored[PAD:-PAD, PAD:-PAD]
    low, high = np.percentile(restored, (1, 99))
    scaled = (restored - low) * (255.0 / max(float(high - low), 1e-6))
    return Image.fromarray(np.clip(scaled, 0, 255).astype(np.uint8))
