"""Reading a QR code printed on folded, bent or curled paper: sample its module
grid piecewise, then hand the readers a flat, clean copy.

A reader maps the symbol with one perspective transform fitted to its corners
(and, from version 2, a few alignment patterns found near where that transform
puts them). On a fold the far side is foreshortened, so in the middle of the
symbol that transform is off by several modules and the alignment patterns are
looked for in the wrong place; the reader then finds the finder patterns, the
version and the format, and fails on the checksum. This module starts from
such a failed detection (zxing-cpp's ``return_errors``: the four corners of
the symbol and its version) and:

1. refines the three finder pattern centres by template matching (ISO/IEC
   18004 section 6.3.3: a 7x7 pattern in a ring of light modules);
2. locates the alignment patterns (section 6.3.6, positions from Annex E)
   one at a time, nearest to what is already located first, each predicted
   by an affine fit of its located neighbours and searched for around that
   prediction: the grid is followed across a fold instead of assumed flat;
3. interpolates between those control points with a thin-plate spline
   (Bookstein 1989), module space to image space;
4. corrects what remains block by block (4x4 modules), growing outwards from
   the control points: each block's shift, within half a module, is the one
   whose module centres look most black-or-white (samples on a module edge
   come out grey);
5. samples every module centre, thresholds it against its neighbourhood
   (shading across a fold), and draws the result as a clean code.

The drawn code goes back through the ordinary readers, so their error
correction still decides what the code says; a wrong sample costs a codeword,
not a wrong answer. numpy only, on a crop of the symbol: a few tens of
milliseconds for a version-20 code.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator
from typing import Any

import zxingcpp
from PIL import Image, ImageFilter

MODULE_PX = 4  # pixels per module of the drawn copy
QUIET = 4  # quiet zone of the drawn copy, in modules
BLOCK = 4  # modules a side of one block of the grid correction
MAX_CANDIDATES = 3  # failed detections worth rectifying, per image
MIN_MODULE_PX = 2.0  # smaller modules cannot be sampled piecewise
_QR: Any = zxingcpp.BarcodeFormat.QRCode

Array = Any  # numpy arrays (numpy is imported lazily, as in deblur.py)


def rectified(image: Image.Image) -> Iterator[Image.Image]:
    """Flat, redrawn copies of the QR codes a reader detected in ``image`` (mode L)
    but could not decode; nothing when it detected none."""
    try:
        failed = zxingcpp.read_barcodes(image, formats=_QR, return_errors=True)
    except (ValueError, RuntimeError):
        return
    seen: list[list[tuple[float, float]]] = []
    for barcode in failed:
        if barcode.valid or len(seen) >= MAX_CANDIDATES:
            continue
        version = _version(barcode)
        corners = _corners(barcode.position)
        if version is None or any(_same_corners(corners, s, version) for s in seen):
            continue  # the same detection twice (another binariser or scale)
        # the same symbol detected again with other corners is kept: across a fold
        # one binariser's corners can be off by modules where another's are not
        seen.append(corners)
        drawn = redraw(image, corners, version)
        if drawn is not None:
            yield drawn


def _same_corners(a: list[tuple[float, float]], b: list[tuple[float, float]], version: int) -> bool:
    """Whether two detections put every corner of a symbol within a module of
    each other (in the same order: the same orientation)."""
    module = math.dist(a[0], a[1]) / (17 + 4 * version)
    return all(math.dist(p, q) < module for p, q in zip(a, b, strict=True))


def _version(barcode: Any) -> int | None:
    try:
        version = int(barcode.extra.get("Version", ""))
    except (TypeError, ValueError, AttributeError):
        return None
    return version if 1 <= version <= 40 else None


def _corners(position: Any) -> list[tuple[float, float]]:
    return [
        (float(p.x), float(p.y))
        for p in (
            position.top_left,
            position.top_right,
            position.bottom_right,
            position.bottom_left,
        )
    ]


def alignment_centres(version: int) -> list[float]:
    """The row/column coordinates of the alignment pattern centres (ISO/IEC 18004
    Annex E), in modules from the symbol's edge; [] for version 1."""
    if version < 2:
        return []
    count = version // 7 + 2
    size = 17 + 4 * version
    step = 26 if version == 32 else (version * 4 + count * 2 + 1) // (count * 2 - 2) * 2
    coords = [6] + [size - 7 - i * step for i in range(count - 2, -1, -1)]
    return [c + 0.5 for c in coords]


def redraw(
    image: Image.Image, corners: list[tuple[float, float]], version: int
) -> Image.Image | None:
    """The symbol whose outer corners (TL, TR, BR, BL, as the reader oriented it)
    are ``corners``, sampled piecewise and drawn flat; None when it cannot be."""
    import numpy as np

    size = 17 + 4 * version
    side = max(math.dist(corners[0], corners[1]), math.dist(corners[0], corners[3]))
    module = side / size
    if module < MIN_MODULE_PX:
        return None
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    margin = 6 * module
    left = max(0, int(min(xs) - margin))
    top = max(0, int(min(ys) - margin))
    right = min(image.width, int(max(xs) + margin) + 1)
    bottom = min(image.height, int(max(ys) + margin) + 1)
    if right - left < 16 or bottom - top < 16:
        return None
    crop = image.crop((left, top, right, bottom))
    crop = crop.filter(ImageFilter.GaussianBlur(max(0.5, module * 0.2)))
    pixels = np.asarray(crop, dtype=np.float32)
    local = [(x - left, y - top) for x, y in corners]
    grid = _Grid(pixels, size, local)
    if not grid.anchor():
        return None
    modules = grid.modules()
    return _draw(modules)


class _Grid:
    """The map from module space (u right, v down, 0..size) to crop pixels."""

    def __init__(self, pixels: Array, size: int, corners: list[tuple[float, float]]) -> None:
        import numpy as np

        self.pixels = pixels
        self.size = size
        square = [(0.0, 0.0), (float(size), 0.0), (float(size), float(size)), (0.0, float(size))]
        self.src: list[tuple[float, float]] = list(square)
        self.dst: list[tuple[float, float]] = list(corners)
        self._h = _homography(square, corners)
        self.module = math.dist(corners[0], corners[1]) / size
        self.contrast = float(np.percentile(pixels, 90) - np.percentile(pixels, 10))

    # -- 1 and 2: control points -------------------------------------------------

    def anchor(self) -> bool:
        """Locate the finder and alignment patterns; False when the finders are not
        where the reader said (nothing to build on)."""
        s = self.size
        finders = [(3.5, 3.5), (s - 3.5, 3.5), (3.5, s - 3.5)]
        found = 0
        for u, v in finders:
            at = self._locate(u, v, _finder(), reach=2.0, predicted=self._project(u, v))
            if at is not None:
                self._add(u, v, at)
                found += 1
        if found < 2 or self.contrast < 10:
            return False
        centres = alignment_centres((s - 17) // 4)
        todo = [
            (u, v)
            for u in centres
            for v in centres
            if not ((u < 9 and v < 9) or (u > s - 9 and v < 9) or (u < 9 and v > s - 9))
        ]
        while todo:
            todo.sort(key=lambda p: min(math.dist(p, q) for q in self.src))
            u, v = todo.pop(0)
            predicted = self._predict(u, v)
            reach = 1.5 + 0.08 * min(math.dist((u, v), q) for q in self.src)
            at = self._locate(u, v, _alignment(), reach=reach, predicted=predicted)
            if at is not None:
                self._add(u, v, at)
        return True

    def _add(self, u: float, v: float, at: tuple[float, float]) -> None:
        self.src.append((u, v))
        self.dst.append(at)

    def _project(self, u: float, v: float) -> tuple[float, float]:
        return _apply(self._h, u, v)

    def _predict(self, u: float, v: float) -> tuple[float, float]:
        """Where the spline through the points located so far puts (u, v)."""
        x, y = _ThinPlate(self.src, self.dst)([u], [v])
        return float(x[0]), float(y[0])

    def _jacobian(self, u: float, v: float) -> Array:
        import numpy as np

        x0, y0 = self._predict(u, v)
        x1, y1 = self._predict(u + 1, v)
        x2, y2 = self._predict(u, v + 1)
        return np.array([[x1 - x0, x2 - x0], [y1 - y0, y2 - y0]])

    def _locate(
        self,
        u: float,
        v: float,
        template: Array,
        reach: float,
        predicted: tuple[float, float],
    ) -> tuple[float, float] | None:
        """Where the pattern centred at module (u, v) is, searched within ``reach``
        modules of ``predicted``: the best normalised correlation, if good."""
        import numpy as np

        jac = self._jacobian(u, v) if len(self.src) > 4 else _h_jacobian(self._h, u, v)
        n = template.shape[0]
        # two samples a module across the template, relative to its centre
        steps = (np.arange(2 * n) + 0.5) / 2 - n / 2
        du, dv = np.meshgrid(steps, steps)
        want = 1.0 - np.repeat(np.repeat(template, 2, axis=0), 2, axis=1).ravel()  # dark: low
        known = ~np.isnan(want)
        want = want[known] - want[known].mean()
        du, dv = du.ravel()[known], dv.ravel()[known]

        def best(centre: tuple[float, float], reach: float, step: float) -> tuple[Array, float]:
            offsets = np.arange(-reach, reach + 1e-9, step)
            ou, ov = (a.ravel() for a in np.meshgrid(offsets + centre[0], offsets + centre[1]))
            pu, pv = du[None, :] + ou[:, None], dv[None, :] + ov[:, None]
            px = predicted[0] + jac[0, 0] * pu + jac[0, 1] * pv
            py = predicted[1] + jac[1, 0] * pu + jac[1, 1] * pv
            got = _sample(self.pixels, px, py)
            got = got - got.mean(axis=1, keepdims=True)
            score = (got @ want) / (np.sqrt((got**2).sum(axis=1) * (want**2).sum()) + 1e-6)
            i = int(np.argmax(score))
            return np.array([ou[i], ov[i]]), float(score[i])

        coarse, _ = best((0.0, 0.0), reach, 0.5)
        (bu, bv), score = best((float(coarse[0]), float(coarse[1])), 0.5, 0.125)
        if score < 0.6:
            return None
        return (
            predicted[0] + jac[0, 0] * bu + jac[0, 1] * bv,
            predicted[1] + jac[1, 0] * bu + jac[1, 1] * bv,
        )

    # -- 3, 4 and 5: the map, its correction, the samples -------------------------

    def modules(self) -> Array:
        """Every module, True for dark, size x size."""
        import numpy as np

        spline = _Lattice(_ThinPlate(self.src, self.dst), self.size)
        s, b = self.size, BLOCK
        blocks = math.ceil(s / b)
        shift = np.full((blocks, blocks, 2), np.nan, dtype=np.float64)
        # grow outwards from the blocks holding control points
        seeds = {(min(int(v // b), blocks - 1), min(int(u // b), blocks - 1)) for u, v in self.src}
        order = sorted(
            ((r, c) for r in range(blocks) for c in range(blocks)),
            key=lambda rc: min(abs(rc[0] - r) + abs(rc[1] - c) for r, c in seeds),
        )
        coarse, fine = np.arange(-0.5, 0.5001, 0.25), np.arange(-0.125, 0.1251, 0.125)
        for r, c in order:
            guess = _extrapolated(shift, r, c)
            guess = guess + self._best_shift(spline, r, c, guess, coarse)
            shift[r, c] = guess + self._best_shift(spline, r, c, guess, fine)
        # smooth the shifts: a lone block that chose a neighbouring module is outvoted
        smooth = shift.copy()
        for r in range(blocks):
            for c in range(blocks):
                near = shift[max(0, r - 1) : r + 2, max(0, c - 1) : c + 2].reshape(-1, 2)
                smooth[r, c] = np.median(near, axis=0)
        centres = np.arange(s) + 0.5
        uu, vv = np.meshgrid(centres, centres)
        bu = np.clip(uu / b - 0.5, 0, blocks - 1)
        bv = np.clip(vv / b - 0.5, 0, blocks - 1)
        su = _bilinear(smooth[:, :, 0], bu, bv)
        sv = _bilinear(smooth[:, :, 1], bu, bv)
        x, y = spline(uu.ravel() + su.ravel(), vv.ravel() + sv.ravel())
        values = _sample(self.pixels, x, y).reshape(s, s)
        return values < _local_mean(values, 7)

    def _best_shift(self, spline: _Lattice, r: int, c: int, guess: Array, fine: Array) -> Array:
        import numpy as np

        s, b = self.size, BLOCK
        us = np.arange(c * b, min(s, (c + 1) * b)) + 0.5
        vs = np.arange(r * b, min(s, (r + 1) * b)) + 0.5
        uu, vv = np.meshgrid(us, vs)
        grid_u, grid_v = np.meshgrid(fine, fine)
        su, sv = grid_u.ravel(), grid_v.ravel()
        pu = uu.ravel()[None, :] + guess[0] + su[:, None]
        pv = vv.ravel()[None, :] + guess[1] + sv[:, None]
        x, y = spline(pu.ravel(), pv.ravel())
        got = _sample(self.pixels, x, y).reshape(len(su), -1)
        # black-or-white: samples near the block's dark or light level, not between
        dark, light = np.percentile(got, (10, 90))
        grey = np.minimum(np.abs(got - dark), np.abs(got - light)).mean(axis=1)
        score = -grey - 0.02 * np.hypot(su, sv) * max(float(light - dark), 1.0)
        best = int(np.argmax(score))
        return np.array([su[best], sv[best]])


def _extrapolated(shift: Array, r: int, c: int) -> Array:
    """A block's shift foreseen from its corrected neighbours: each neighbour's,
    carried on linearly where the block beyond it is corrected too (the grid keeps
    drifting the same way past a fold)."""
    import numpy as np

    rows, cols = shift.shape[:2]
    votes = []
    for dr, dc in ((-1, 0), (1, 0), (0, -1), (0, 1)):
        r1, c1, r2, c2 = r + dr, c + dc, r + 2 * dr, c + 2 * dc
        if not (0 <= r1 < rows and 0 <= c1 < cols) or np.isnan(shift[r1, c1, 0]):
            continue
        if 0 <= r2 < rows and 0 <= c2 < cols and not np.isnan(shift[r2, c2, 0]):
            votes.append(2 * shift[r1, c1] - shift[r2, c2])
        else:
            votes.append(shift[r1, c1])
    return np.mean(votes, axis=0) if votes else np.zeros(2)


# the patterns, 1 dark, 0 light, nan unknown (data modules around an alignment pattern)
@functools.cache
def _finder() -> Array:
    import numpy as np

    t = np.zeros((9, 9))
    t[1:8, 1:8] = 1
    t[2:7, 2:7] = 0
    t[3:6, 3:6] = 1
    return t


@functools.cache
def _alignment() -> Array:
    import numpy as np

    t = np.full((7, 7), np.nan)
    t[1:6, 1:6] = 1
    t[2:5, 2:5] = 0
    t[3, 3] = 1
    return t


class _ThinPlate:
    """A thin-plate spline through control points (Bookstein 1989), R^2 -> R^2."""

    def __init__(self, src: list[tuple[float, float]], dst: list[tuple[float, float]]) -> None:
        import numpy as np

        self.points = np.array(src, dtype=np.float64)
        n = len(src)
        k = _tps_kernel(self.points, self.points)
        p = np.hstack([np.ones((n, 1)), self.points])
        system = np.zeros((n + 3, n + 3))
        system[:n, :n] = k + np.eye(n) * 1e-3  # a little smoothing against a bad point
        system[:n, n:] = p
        system[n:, :n] = p.T
        rhs = np.zeros((n + 3, 2))
        rhs[:n] = np.array(dst, dtype=np.float64)
        self.coeffs = np.linalg.lstsq(system, rhs, rcond=None)[0]

    def __call__(self, u: Array, v: Array) -> tuple[Array, Array]:
        import numpy as np

        at = np.stack([np.ravel(u), np.ravel(v)], axis=1)
        n = len(self.points)
        k = _tps_kernel(at, self.points)
        out = k @ self.coeffs[:n] + self.coeffs[n] + at @ self.coeffs[n + 1 :]
        return out[:, 0], out[:, 1]


class _Lattice:
    """A map from module space evaluated once every half module and interpolated
    between: a thin-plate spline is smooth at that scale, and the grid correction
    asks for it a few hundred thousand times."""

    def __init__(self, spline: _ThinPlate, size: int) -> None:
        import numpy as np

        self.extent = size + 2  # one module beyond the symbol on each side
        steps = np.arange(2 * (size + 2) + 1) / 2 - 1
        uu, vv = np.meshgrid(steps, steps)
        x, y = spline(uu.ravel(), vv.ravel())
        self.x = x.reshape(uu.shape)
        self.y = y.reshape(uu.shape)

    def __call__(self, u: Array, v: Array) -> tuple[Array, Array]:
        import numpy as np

        gu, gv = (np.ravel(u) + 1) * 2, (np.ravel(v) + 1) * 2
        return _sample(self.x, gu, gv), _sample(self.y, gu, gv)


def _tps_kernel(a: Array, b: Array) -> Array:
    import numpy as np

    d2 = ((a[:, None, :] - b[None, :, :]) ** 2).sum(axis=2)
    with np.errstate(divide="ignore", invalid="ignore"):
        k = 0.5 * d2 * np.log(d2)
    return np.nan_to_num(k)


def _homography(src: list[tuple[float, float]], dst: list[tuple[float, float]]) -> Array:
    import numpy as np

    rows, rhs = [], []
    for (u, v), (x, y) in zip(src, dst, strict=True):
        rows.append([u, v, 1, 0, 0, 0, -u * x, -v * x])
        rhs.append(x)
        rows.append([0, 0, 0, u, v, 1, -u * y, -v * y])
        rhs.append(y)
    h = np.linalg.lstsq(np.array(rows, dtype=np.float64), np.array(rhs), rcond=None)[0]
    return np.append(h, 1.0).reshape(3, 3)


def _apply(h: Array, u: float, v: float) -> tuple[float, float]:
    x, y, w = h @ (u, v, 1.0)
    return float(x / w), float(y / w)


def _h_jacobian(h: Array, u: float, v: float) -> Array:
    import numpy as np

    x0, y0 = _apply(h, u, v)
    x1, y1 = _apply(h, u + 1, v)
    x2, y2 = _apply(h, u, v + 1)
    return np.array([[x1 - x0, x2 - x0], [y1 - y0, y2 - y0]])


def _sample(pixels: Array, x: Array, y: Array) -> Array:
    """Bilinear samples of ``pixels`` at (x, y) (pixel centres at integers),
    clamped to the edge."""
    import numpy as np

    h, w = pixels.shape
    x = np.clip(x, 0, w - 1.001)
    y = np.clip(y, 0, h - 1.001)
    x0, y0 = np.floor(x).astype(np.intp), np.floor(y).astype(np.intp)
    fx, fy = x - x0, y - y0
    top = pixels[y0, x0] * (1 - fx) + pixels[y0, x0 + 1] * fx
    low = pixels[y0 + 1, x0] * (1 - fx) + pixels[y0 + 1, x0 + 1] * fx
    out: Array = top * (1 - fy) + low * fy
    return out


def _bilinear(grid: Array, u: Array, v: Array) -> Array:
    """``grid`` (rows v, columns u) interpolated at fractional (u, v)."""
    return _sample(grid, u, v)


def _local_mean(values: Array, reach: int) -> Array:
    """The mean of each value's (2 reach + 1)^2 neighbourhood (edges clamped)."""
    import numpy as np

    padded = np.pad(values, reach, mode="edge")
    total = padded.cumsum(axis=0).cumsum(axis=1)
    total = np.pad(total, ((1, 0), (1, 0)))
    n = 2 * reach + 1
    sums = total[n:, n:] - total[:-n, n:] - total[n:, :-n] + total[:-n, :-n]
    out: Array = sums / (n * n)
    return out


def _draw(modules: Array) -> Image.Image:
    import numpy as np

    grid = np.where(modules, 0, 255).astype(np.uint8)
    grid = np.pad(grid, QUIET, constant_values=255)
    small = Image.fromarray(grid)
    side = small.width * MODULE_PX
    return small.resize((side, side), Image.Resampling.NEAREST)
