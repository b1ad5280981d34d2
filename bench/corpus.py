"""Ground-truth image corpus for the QR decoding benchmark.

    python bench/corpus.py OUT_DIR [--per-category N] [--seed S] [--home DIR]

Officers receive docseal results as phone photos, Zalo screenshots recompressed
to JPEG, scans and PDFs. This script makes such images from docseal's own demo
results (``docseal demo`` with ``DOCSEAL_PUBLIC_URL=https://docseal.example.vn``)
and writes ``OUT_DIR/<category>/<name>.<ext>`` plus ``OUT_DIR/manifest.json``,
a list of ``{"file", "category", "texts", "difficulty", "params"}``: ``texts``
are the exact QR texts in the image, ``difficulty`` is a rough a-priori score
in 0..1 computed from the distortion parameters (for sorting and grouping, not
a measured decode rate), ``params`` the parameters themselves.

Only Pillow, qrcode, pypdfium2 and fpdf2 are used. Every image draws its
parameters from its own ``random.Random(f"{seed}:{category}:{index}")``, so the
corpus is a pure function of the seed, of ``--per-category`` (the first N
images of a category do not depend on N) and of the demo texts. The demo texts
carry fresh keys and ECDSA signatures, so they are made once per docseal home:
by default ``OUT_DIR/.docseal-home``, kept between builds, which makes a
rebuild into the same OUT_DIR byte-identical (and lets the benchmark verify
the signatures with ``DOCSEAL_HOME=OUT_DIR/.docseal-home docseal verify``);
``--home`` shares one home between several output folders.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import io
import json
import math
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pypdfium2
import pypdfium2.raw as pdfium_c
import qrcode
import qrcode.constants
import qrcode.util
from fpdf import FPDF
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from chalicelib.adapters.qr_image import QrCodeRenderer  # noqa: E402

DOCSEAL = str(Path(sys.executable).parent / "docseal")
PUBLIC_URL = "https://docseal.example.vn"
FONT_DIR = ROOT / "chalicelib" / "web" / "fonts"
QUIET = 4  # quiet zone of every code drawn here, in modules (as docseal issues them)

CATEGORIES = (
    "clean",
    "perspective",
    "rotation",
    "motion_blur",
    "focus_blur",
    "jpeg",
    "screenshot",
    "low_contrast",
    "uneven_light",
    "noise",
    "print_scan",
    "moire",
    "fold_warp",
    "phone_12mp",
    "pdf",
    "multi",
)

BICUBIC = Image.Resampling.BICUBIC
BILINEAR = Image.Resampling.BILINEAR
NEAREST = Image.Resampling.NEAREST
BOX = Image.Resampling.BOX
LANCZOS = Image.Resampling.LANCZOS

RGB = tuple[int, int, int]
Point = tuple[float, float]

# -- sources: the demo results and QR codes of their texts ---------------------


@dataclasses.dataclass(frozen=True)
class Source:
    """One demo result: its QR text, issued qr.png and result.pdf, and where the
    QR code sits in the PDF (page index; box in points from the top left)."""

    name: str
    text: str
    qr_png: bytes
    pdf: bytes
    qr_page: int
    qr_box: tuple[float, float, float, float]  # left, top, right, bottom
    page_size: tuple[float, float]


@dataclasses.dataclass(frozen=True)
class Code:
    """A QR code of a source's text, one pixel per module, quiet zone included."""

    source: Source
    variant: str
    version: int
    modules: int  # symbol width without the quiet zone
    matrix: Image.Image  # mode L, 0 or 255


# How a code may be encoded: the issued form (two segments, ECC M, through
# docseal's own renderer) and what other encoders could make of the same text.
VARIANTS = ("issued", "ecc-L", "ecc-H", "byte-M")
VARIANT_WEIGHTS = (6, 1, 1, 2)
_ECC = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "H": qrcode.constants.ERROR_CORRECT_H,
}


def run_demo(home: Path) -> list[Source]:
    """Seed docseal's demo data into ``home`` (idempotent) and read the results."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCSEAL_")}
    env.update(DOCSEAL_HOME=str(home), DOCSEAL_PUBLIC_URL=PUBLIC_URL, DOCSEAL_BACKEND="local")
    home.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [DOCSEAL, "demo"], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"docseal demo failed ({done.returncode}): {done.stderr[-2000:]}")
    sources = []
    for doc in json.loads(done.stdout)["documents"]:
        folder = Path(doc["folder"])
        pdf = (folder / "result.pdf").read_bytes()
        page, box, size = _qr_position(pdf)
        sources.append(
            Source(
                name=doc["name"],
                text=(folder / "qr.txt").read_text().strip(),
                qr_png=(folder / "qr.png").read_bytes(),
                pdf=pdf,
                qr_page=page,
                qr_box=box,
                page_size=size,
            )
        )
    if len(sources) < 2:
        raise RuntimeError("docseal demo made fewer than two documents")
    return sources


def _qr_position(pdf: bytes) -> tuple[int, tuple[float, float, float, float], tuple[float, float]]:
    doc = pypdfium2.PdfDocument(pdf)
    try:
        for index in range(len(doc)):
            page = doc[index]
            width, height = page.get_size()
            images = [
                obj.get_bounds() for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])
            ]
            if images:
                left, bottom, right, top = max(images, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
                return index, (left, height - top, right, height - bottom), (width, height)
    finally:
        doc.close()
    raise RuntimeError("no QR image in result.pdf")


def make_code(source: Source, variant: str) -> Code:
    url_part, _, payload = source.text.rpartition("#")
    url_part += "#"
    if variant == "issued":
        png = QrCodeRenderer(box_size=1, border=QUIET).png(url_part, payload)
        matrix = Image.open(io.BytesIO(png)).convert("L")
        modules = matrix.width - 2 * QUIET
        return Code(source, variant, (modules - 17) // 4, modules, matrix)
    ecc = _ECC[variant[-1]]
    qr = qrcode.QRCode(version=None, error_correction=ecc, box_size=1, border=QUIET)
    if variant.startswith("byte"):
        qr.add_data(
            qrcode.util.QRData(source.text.encode(), mode=qrcode.util.MODE_8BIT_BYTE), optimize=0
        )
    else:
        qr.add_data(
            qrcode.util.QRData(url_part.encode(), mode=qrcode.util.MODE_8BIT_BYTE), optimize=0
        )
        qr.add_data(qrcode.util.QRData(payload, mode=qrcode.util.MODE_ALPHA_NUM), optimize=0)
    qr.make(fit=True)
    rows = qr.get_matrix()
    size = len(rows)
    data = bytes(0 if dark else 255 for row in rows for dark in row)
    return Code(
        source, variant, int(qr.version), size - 2 * QUIET, Image.frombytes("L", (size, size), data)
    )


# -- small image tools -----------------------------------------------------------


def png_bytes(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, "PNG", compress_level=6)
    return out.getvalue()


def jpeg_bytes(img: Image.Image, quality: int, subsampling: int = 2) -> bytes:
    out = io.BytesIO()
    img.convert("RGB" if img.mode not in ("L", "RGB") else img.mode).save(
        out, "JPEG", quality=quality, subsampling=subsampling
    )
    return out.getvalue()


def jpeg_roundtrip(img: Image.Image, quality: int, subsampling: int = 2) -> Image.Image:
    decoded = Image.open(io.BytesIO(jpeg_bytes(img, quality, subsampling)))
    decoded.load()
    return decoded


def clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, value))


def combine(*terms: float) -> float:
    """Difficulty of independent hardships: 1 - prod(1 - t)."""
    keep = 1.0
    for t in terms:
        keep *= 1.0 - clamp(t)
    return round(1.0 - keep, 3)


def size_term(module_px: float) -> float:
    """How much the module size alone makes a code hard to read."""
    return clamp((3.0 - module_px) / 2.0) * 0.6


def version_term(code: Code) -> float:
    return clamp((code.version - 12) / 20) * 0.25


def jitter(color: RGB, rng: random.Random, amount: int) -> RGB:
    r, g, b = (clamp(c + rng.randint(-amount, amount), 0, 255) for c in color)
    return int(r), int(g), int(b)


DESKS: tuple[RGB, ...] = (
    (128, 92, 60),  # wood
    (170, 126, 84),  # light wood
    (62, 62, 68),  # dark grey laminate
    (196, 196, 190),  # grey counter
    (232, 228, 218),  # white desk
    (46, 72, 108),  # blue mat
    (92, 110, 84),  # green felt
)


def desk_color(rng: random.Random) -> RGB:
    return jitter(rng.choice(DESKS), rng, 12)


def paper_color(rng: random.Random) -> RGB:
    base = rng.randint(236, 255)
    return (base, clamp_int(base - rng.randint(0, 6)), clamp_int(base - rng.randint(0, 14)))


def clamp_int(value: float) -> int:
    return int(clamp(round(value), 0, 255))


def noise_image(rng: random.Random, size: tuple[int, int], mode: str = "L") -> Image.Image:
    """Uniform noise from ``rng`` (Pillow's effect_noise uses C rand(): not reproducible)."""
    bands = len(mode)
    return Image.frombytes(mode, size, rng.randbytes(size[0] * size[1] * bands))


def gaussianish(rng: random.Random, size: tuple[int, int], mode: str, sigma: float) -> Image.Image:
    """Zero-mean noise around 128 with about ``sigma`` grey levels of spread
    (the mean of two uniform draws: triangular, std 52 before scaling)."""
    a, b = noise_image(rng, size, mode), noise_image(rng, size, mode)
    factor = sigma / 52.0
    lut = [clamp_int(128 + (v - 128) * factor) for v in range(256)] * len(mode)
    return Image.blend(a, b, 0.5).point(lut)


def add_noise(
    img: Image.Image, rng: random.Random, sigma: float, color: bool = False
) -> Image.Image:
    if sigma <= 0:
        return img
    if img.mode == "RGB" and not color:
        noise = gaussianish(rng, img.size, "L", sigma).convert("RGB")
    else:
        noise = gaussianish(rng, img.size, img.mode, sigma)
    return ImageChops.add(img, noise, 1.0, -128)


def levels(img: Image.Image, low: float, high: float) -> Image.Image:
    """Map 0..255 linearly onto low..high (each band)."""
    lut = [clamp_int(low + (high - low) * v / 255) for v in range(256)]
    return img.point(lut * len(img.getbands()))


def shade_rgb(shade: Image.Image, tint: tuple[float, float, float]) -> Image.Image:
    """An L shading map as RGB, each band scaled by ``tint`` (1 = neutral)."""
    return Image.merge("RGB", [shade.point([clamp_int(v * t) for v in range(256)]) for t in tint])


def multiply(img: Image.Image, shade: Image.Image) -> Image.Image:
    if shade.mode != img.mode:
        shade = shade.convert(img.mode)
    if shade.size != img.size:
        shade = shade.resize(img.size, BILINEAR)
    return ImageChops.multiply(img, shade)


def low_res(size: tuple[int, int], limit: int = 384) -> tuple[int, int]:
    f = min(1.0, limit / max(size))
    return max(2, round(size[0] * f)), max(2, round(size[1] * f))


def field(
    size: tuple[int, int], fn: Callable[[float, float], float], limit: int = 160
) -> Image.Image:
    """An L image of ``fn(x, y)`` (full-size coordinates, values 0..255) computed
    on a coarse grid and smoothly enlarged: for lighting, which has no detail."""
    w, h = low_res(size, limit)
    fx, fy = size[0] / w, size[1] / h
    data = bytes(clamp_int(fn((x + 0.5) * fx, (y + 0.5) * fy)) for y in range(h) for x in range(w))
    return Image.frombytes("L", (w, h), data).resize(size, BILINEAR)


def linear_shade(
    size: tuple[int, int], angle: float, lo: float, hi: float, edge: float = 1.0, at: float = 0.5
) -> Image.Image:
    """Brightness falling from ``hi`` to ``lo`` across the image towards ``angle``
    degrees; ``edge`` < 1 sharpens the ramp into a soft shadow edge placed at
    ``at`` (0..1 along the ramp)."""
    w, h = size
    ca, sa = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    reach = abs(ca) * w + abs(sa) * h

    def value(x: float, y: float) -> float:
        t = 0.5 + ((x - w / 2) * ca + (y - h / 2) * sa) / reach
        return hi - (hi - lo) * clamp((t - at) / max(edge, 1e-3) + 0.5)

    return field(size, value)


def spot_shade(
    size: tuple[int, int], center: Point, radius: float, lo: float, hi: float, gamma: float = 1.5
) -> Image.Image:
    """A lamp's pool of light: ``hi`` at ``center`` falling to ``lo`` at ``radius``."""
    w, h = low_res(size)
    f = w / size[0]
    r = max(2, round(radius * f))
    canvas = Image.new("L", (w, h), 255)
    spot = Image.radial_gradient("L").resize((2 * r, 2 * r), BILINEAR)
    canvas.paste(spot, (round(center[0] * f) - r, round(center[1] * f) - r))
    lut = [clamp_int(hi - (hi - lo) * (v / 255) ** gamma) for v in range(256)]
    return canvas.point(lut).resize(size, BILINEAR)


def textured(size: tuple[int, int], rng: random.Random, base: RGB, amount: float) -> Image.Image:
    """A surface of colour ``base``: soft blotches and a faint grain (made at low
    resolution and enlarged; the photo's own noise adds the fine detail)."""
    small = low_res(size, 640)
    w, h = small
    blotch = noise_image(rng, (max(2, w // 24), max(2, h // 24))).resize(small, BICUBIC)
    grain = noise_image(rng, (max(2, w // 2), max(2, h // 16))).resize(small, BICUBIC)
    mix = Image.blend(blotch, grain, 0.3).filter(ImageFilter.GaussianBlur(4))
    lo = [clamp_int(c - amount) for c in base]
    hi = [clamp_int(c + amount) for c in base]
    surface = ImageOps.colorize(ImageOps.autocontrast(mix, cutoff=1), tuple(lo), tuple(hi))
    return surface.resize(size, BICUBIC)


# -- geometry ---------------------------------------------------------------------


def solve(matrix: list[list[float]], rhs: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting."""
    n = len(rhs)
    a = [[*row, v] for row, v in zip(matrix, rhs, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        if abs(a[col][col]) < 1e-12:
            raise ValueError("degenerate point pairs")
        for r in range(n):
            if r != col:
                f = a[r][col] / a[col][col]
                a[r] = [x - f * y for x, y in zip(a[r], a[col], strict=True)]
    return [a[i][n] / a[i][i] for i in range(n)]


def perspective_coeffs(out_pts: Sequence[Point], in_pts: Sequence[Point]) -> list[float]:
    """The 8 coefficients of ``Image.transform(..., PERSPECTIVE)`` taking each
    output point to its input point."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(out_pts, in_pts, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -x * u, -y * u])
        rhs.append(u)
        rows.append([0, 0, 0, x, y, 1, -x * v, -y * v])
        rhs.append(v)
    return solve(rows, rhs)


def apply_h(c: Sequence[float], x: float, y: float) -> Point:
    w = c[6] * x + c[7] * y + 1
    return (c[0] * x + c[1] * y + c[2]) / w, (c[3] * x + c[4] * y + c[5]) / w


def tilt_quad(
    w: float, h: float, tilt: float, axis: float, distance: float, roll: float
) -> list[Point]:
    """Corners (NW, NE, SE, SW, centred on 0,0) of a w×h plane seen by a pinhole
    camera after tilting it ``tilt`` degrees about an in-plane axis at ``axis``
    degrees, then rolling it ``roll`` degrees; ``distance`` in units of max(w, h)."""
    t, a, r = math.radians(tilt), math.radians(axis), math.radians(roll)
    kx, ky = math.cos(a), math.sin(a)
    cos_t, sin_t = math.cos(t), math.sin(t)
    d = distance * max(w, h)
    quad = []
    for px, py in ((-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)):
        # Rodrigues rotation of (px, py, 0) about the unit axis (kx, ky, 0)
        dot = kx * px + ky * py
        cross = (ky * 0 - 0 * py, 0 * px - kx * 0, kx * py - ky * px)
        x = px * cos_t + cross[0] * sin_t + kx * dot * (1 - cos_t)
        y = py * cos_t + cross[1] * sin_t + ky * dot * (1 - cos_t)
        z = cross[2] * sin_t
        s = d / (d + z)
        x, y = x * s, y * s
        quad.append((x * math.cos(r) - y * math.sin(r), x * math.sin(r) + y * math.cos(r)))
    return quad


def quad_side(quad: Sequence[Point]) -> float:
    """Mean side length of a quadrilateral."""
    return sum(math.dist(quad[i], quad[(i + 1) % 4]) for i in range(4)) / 4


def symbol_quad(box: tuple[float, float, float, float], code_modules: int) -> list[Point]:
    """The corners of the symbol (quiet zone excluded) inside a QR image box."""
    left, top, right, bottom = box
    inset = QUIET / (code_modules + 2 * QUIET)
    dx, dy = (right - left) * inset, (bottom - top) * inset
    return [
        (left + dx, top + dy),
        (right - dx, top + dy),
        (right - dx, bottom - dy),
        (left + dx, bottom - dy),
    ]


def warp_perspective(
    img: Image.Image, quad: Sequence[Point], size: tuple[int, int], fill: RGB | int
) -> Image.Image:
    w, h = img.size
    coeffs = perspective_coeffs(quad, [(0, 0), (w, 0), (w, h), (0, h)])
    return img.transform(size, Image.Transform.PERSPECTIVE, coeffs, BICUBIC, fillcolor=fill)


def mesh_warp(
    img: Image.Image, displace: Callable[[float, float], Point], fill: RGB | int, step: int = 16
) -> Image.Image:
    w, h = img.size
    cache: dict[tuple[int, int], Point] = {}

    def src(x: int, y: int) -> Point:
        if (x, y) not in cache:
            dx, dy = displace(x, y)
            cache[(x, y)] = (x + dx, y + dy)
        return cache[(x, y)]

    mesh = []
    for y0 in range(0, h, step):
        for x0 in range(0, w, step):
            x1, y1 = min(x0 + step, w), min(y0 + step, h)
            quad = (*src(x0, y0), *src(x0, y1), *src(x1, y1), *src(x1, y0))
            mesh.append(((x0, y0, x1, y1), quad))
    return img.transform(img.size, Image.Transform.MESH, mesh, BICUBIC, fillcolor=fill)


def motion_blur(img: Image.Image, length: float, angle: float, fill: RGB | int) -> Image.Image:
    """A straight-line blur of ``length`` px along ``angle`` degrees: rotate the
    direction onto the x axis, box-blur along x only, rotate back."""
    pad = math.ceil(length) + 4
    big = ImageOps.expand(img, pad, fill)
    turned = big.rotate(angle, BICUBIC, expand=True, fillcolor=fill)
    blurred = turned.filter(ImageFilter.BoxBlur((length / 2, 0)))
    back = blurred.rotate(-angle, BICUBIC, expand=True, fillcolor=fill)
    left = (back.width - img.width) // 2
    top = (back.height - img.height) // 2
    return back.crop((left, top, left + img.width, top + img.height))


# -- drawing codes and pages ---------------------------------------------------------


def draw_code(
    code: Code,
    module_px: float,
    *,
    margin: float = 0.0,
    ink: RGB = (0, 0, 0),
    paper: RGB = (255, 255, 255),
    mode: str = "RGB",
) -> Image.Image:
    """The code at ``module_px`` pixels per module (fractions are area-averaged,
    like a display or printer scaling it), with ``margin`` extra modules of paper
    around the quiet zone."""
    extra = math.ceil(margin)
    m = ImageOps.expand(code.matrix, extra, 255) if extra else code.matrix
    full = max(8, round(m.width * module_px))
    img = m.resize((full, full), NEAREST if float(module_px).is_integer() else BOX)
    side = max(8, round((code.matrix.width + 2 * margin) * module_px))
    if side < full:
        cut = (full - side) // 2
        img = img.crop((cut, cut, cut + side, cut + side))
    if mode == "L" and ink == (0, 0, 0) and paper == (255, 255, 255):
        return img
    colored = ImageOps.colorize(img, ink, paper)
    return colored.convert("L") if mode == "L" else colored


def render_page(source: Source, px_per_pt: float, page: int = 0, gray: bool = False) -> Image.Image:
    doc = pypdfium2.PdfDocument(source.pdf)
    try:
        bitmap = doc[page].render(scale=px_per_pt, grayscale=gray)
        img: Image.Image = bitmap.to_pil().copy()
    finally:
        doc.close()
    return img.convert("L" if gray else "RGB")


def page_qr_box(source: Source, px_per_pt: float) -> tuple[float, float, float, float]:
    left, top, right, bottom = source.qr_box
    return left * px_per_pt, top * px_per_pt, right * px_per_pt, bottom * px_per_pt


def scale_for_symbol(source: Source, code: Code, symbol_px: float) -> float:
    """Pixels per PDF point that make the page's QR symbol ``symbol_px`` wide."""
    box_pt = source.qr_box[2] - source.qr_box[0]
    return symbol_px / (box_pt * code.modules / (code.modules + 2 * QUIET))


# -- the categories -------------------------------------------------------------------


@dataclasses.dataclass
class Item:
    data: bytes
    ext: str
    texts: list[str]
    difficulty: float
    params: dict[str, object]


class Context:
    def __init__(self, sources: list[Source]) -> None:
        self.sources = sources
        self._codes: dict[tuple[int, str], Code] = {}

    def code(self, index: int, variant: str = "issued") -> Code:
        key = (index % len(self.sources), variant)
        if key not in self._codes:
            self._codes[key] = make_code(self.sources[key[0]], variant)
        return self._codes[key]

    def pick(self, rng: random.Random, i: int, offset: int = 0) -> Code:
        variant = rng.choices(VARIANTS, weights=VARIANT_WEIGHTS)[0]
        return self.code(i + offset, variant)


def _base(code: Code, module_px: float, **extra: object) -> dict[str, object]:
    return {
        "source": code.source.name,
        "variant": code.variant,
        "version": code.version,
        "module_px": round(module_px, 3),
        "qr_px": round(module_px * code.modules, 1),
        **extra,
    }


def _r(value: float, digits: int = 3) -> float:
    return round(value, digits)


def cat_clean(ctx: Context, rng: random.Random, i: int) -> Item:
    n = len(ctx.sources)
    if i % 2 == 0 and i // 2 < n:  # the issued qr.png itself, byte for byte
        code = ctx.code(i // 2)
        module_px = Image.open(io.BytesIO(code.source.qr_png)).width / code.matrix.width
        return Item(
            code.source.qr_png,
            "png",
            [code.source.text],
            0.0,
            _base(code, module_px, as_issued=True),
        )
    code = ctx.pick(rng, i)
    module_px = rng.choice((2, 2.5, 3, 3.5, 4, 5, 6, 8, 10, 12))
    margin = rng.choice((0, 0, 2, 6))
    img = draw_code(code, module_px, margin=margin, mode="L")
    return Item(
        png_bytes(img),
        "png",
        [code.source.text],
        combine(size_term(module_px), version_term(code)),
        _base(code, module_px, margin_modules=margin),
    )


def cat_perspective(ctx: Context, rng: random.Random, i: int) -> Item:
    code = ctx.pick(rng, i)
    module_px = rng.uniform(2.5, 7)
    paper = paper_color(rng)
    img = draw_code(code, module_px, margin=rng.uniform(0, 4), paper=paper)
    tilt, axis = rng.uniform(0, 35), rng.uniform(0, 180)
    distance, roll = rng.uniform(1.2, 4.0), rng.uniform(-15, 15)
    quad = tilt_quad(img.width, img.height, tilt, axis, distance, roll)
    margin = rng.randint(10, 60)
    xs, ys = [p[0] for p in quad], [p[1] for p in quad]
    quad = [(x - min(xs) + margin, y - min(ys) + margin) for x, y in quad]
    size = (math.ceil(max(xs) - min(xs)) + 2 * margin, math.ceil(max(ys) - min(ys)) + 2 * margin)
    out = warp_perspective(img, quad, size, desk_color(rng))
    out = add_noise(out, rng, rng.uniform(0, 4))
    eff = module_px * quad_side(quad) / img.width * min(1.0, math.cos(math.radians(tilt)) + 0.15)
    return Item(
        png_bytes(out),
        "png",
        [code.source.text],
        combine((tilt / 35) ** 1.5 * 0.6, size_term(eff), version_term(code)),
        _base(
            code,
            module_px,
            tilt_deg=_r(tilt, 2),
            axis_deg=_r(axis, 2),
            camera_distance=_r(distance),
            roll_deg=_r(roll, 2),
        ),
    )


def cat_rotation(ctx: Context, rng: random.Random, i: int) -> Item:
    code = ctx.pick(rng, i)
    module_px = rng.uniform(2, 7)
    angle = rng.uniform(0, 360)
    fill = (255, 255, 255) if rng.random() < 0.4 else desk_color(rng)
    img = draw_code(code, module_px, margin=rng.uniform(0, 6), paper=paper_color(rng))
    out = img.rotate(angle, BICUBIC, expand=True, fillcolor=fill)
    out = ImageOps.expand(out, rng.randint(0, 40), fill)
    off_axis = abs(math.sin(math.radians(2 * angle)))
    return Item(
        png_bytes(out),
        "png",
        [code.source.text],
        combine(0.1 * off_axis, size_term(module_px), version_term(code)),
        _base(code, module_px, angle_deg=_r(angle, 2), fill=list(fill)),
    )


def cat_motion_blur(ctx: Context, rng: random.Random, i: int) -> Item:
    code = ctx.pick(rng, i)
    module_px = rng.uniform(3, 8)
    length = module_px * rng.uniform(0.3, 2.0)
    angle = rng.uniform(0, 180)
    img = draw_code(code, module_px, margin=2, paper=paper_color(rng))
    out = motion_blur(img, length, angle, img.getpixel((0, 0)))  # type: ignore[arg-type]
    out = add_noise(out, rng, rng.uniform(0, 5))
    ratio = length / module_px
    return Item(
        png_bytes(out),
        "png",
        [code.source.text],
        combine(clamp((ratio - 0.3) / 1.7) * 0.95, size_term(module_px), version_term(code)),
        _base(
            code,
            module_px,
            length_px=_r(length, 2),
            angle_deg=_r(angle, 2),
            length_modules=_r(ratio),
        ),
    )


def cat_focus_blur(ctx: Context, rng: random.Random, i: int) -> Item:
    code = ctx.pick(rng, i)
    module_px = rng.uniform(3, 8)
    sigma = module_px * rng.uniform(0.15, 0.75)
    img = draw_code(code, module_px, margin=2, paper=paper_color(rng))
    out = img.filter(ImageFilter.GaussianBlur(sigma))
    out = add_noise(out, rng, rng.uniform(0, 5))
    ratio = sigma / module_px
    return Item(
        png_bytes(out),
        "png",
        [code.source.text],
        combine(clamp((ratio - 0.15) / 0.6) * 0.95, size_term(module_px), version_term(code)),
        _base(code, module_px, sigma_px=_r(sigma), sigma_modules=_r(ratio)),
    )


def cat_jpeg(ctx: Context, rng: random.Random, i: int) -> Item:
    code = ctx.pick(rng, i)
    module_px = rng.uniform(2, 5)
    color = rng.random() < 0.6
    paper = paper_color(rng) if color else (255, 255, 255)
    ink = jitter((20, 20, 30), rng, 15) if color else (0, 0, 0)
    img = draw_code(
        code,
        module_px,
        margin=rng.uniform(1, 5),
        ink=ink,
        paper=paper,
        mode="RGB" if color else "L",
    )
    q1 = rng.randint(20, 60)
    sub1 = rng.choice((2, 2, 2, 1, 0))
    qualities, scale = [q1], 1.0
    twice = rng.random() < 0.5
    if twice:
        img = jpeg_roundtrip(img, q1, sub1)
        scale = rng.uniform(0.6, 1.0)
        if scale < 0.98:
            img = img.resize((round(img.width * scale), round(img.height * scale)), BICUBIC)
        qualities.append(rng.randint(20, 60))
    data = jpeg_bytes(img, qualities[-1], 2 if twice else sub1)
    eff = module_px * scale
    return Item(
        data,
        "jpg",
        [code.source.text],
        combine((60 - min(qualities)) / 40 * 0.45, 0.1 * twice, size_term(eff), version_term(code)),
        _base(code, eff, qualities=qualities, subsampling=sub1, scale=_r(scale), color=color),
    )


def _phone_frame(rng: random.Random, page: Image.Image) -> tuple[Image.Image, tuple[int, int]]:
    """A phone screenshot of a PDF viewer showing ``page``; returns it and the
    page's top-left corner in it."""
    side = rng.randint(6, 24)
    width = page.width + 2 * side
    height = round(width * rng.choice((16 / 9, 19.5 / 9, 20 / 9)))
    dark = rng.random() < 0.4
    shot = Image.new("RGB", (width, height), (38, 38, 40) if dark else (228, 229, 232))
    draw = ImageDraw.Draw(shot)
    status = max(10, round(height * 0.03))
    bar = max(16, round(height * 0.055))
    draw.rectangle((0, 0, width, status), fill=(0, 0, 0) if dark else (245, 245, 245))
    fg = (230, 230, 230) if dark else (30, 30, 30)
    draw.rectangle((side, status // 4, side + status * 2, status * 3 // 4), fill=fg)
    draw.rectangle((width - side - status * 3, status // 4, width - side, status * 3 // 4), fill=fg)
    draw.rectangle((0, status, width, status + bar), fill=(0, 104, 255))  # Zalo-blue viewer bar
    draw.rectangle(
        (side, status + bar // 3, side + width // 3, status + 2 * bar // 3), fill=(255, 255, 255)
    )
    top = status + bar + rng.randint(4, 30)
    top = min(top, max(0, height - page.height))
    shot.paste(page, (side, top))
    nav = max(10, round(height * 0.04))
    draw.rectangle((0, height - nav, width, height), fill=(0, 0, 0) if dark else (245, 245, 245))
    return shot, (side, top)


def cat_screenshot(ctx: Context, rng: random.Random, i: int) -> Item:
    code = ctx.code(i)  # the page shows the issued code
    source = code.source
    symbol = rng.uniform(81, 149)
    scale = scale_for_symbol(source, code, symbol)
    page_w = round(source.page_size[0] * scale)
    page_h = round(source.page_size[1] * scale)
    scale = page_w / source.page_size[0]
    symbol = (
        scale * (source.qr_box[2] - source.qr_box[0]) * code.modules / (code.modules + 2 * QUIET)
    )
    oversample = rng.choice((1, 2, 2, 3))
    page = render_page(source, scale * oversample, page=source.qr_page)
    if oversample > 1:
        page = page.resize((page_w, page_h), rng.choice((BICUBIC, LANCZOS, BILINEAR)))
    shot, _ = _phone_frame(rng, page)
    qualities = [rng.randint(40, 70)]
    if rng.random() < 0.35:  # forwarded: recompressed once more
        shot = jpeg_roundtrip(shot, qualities[0], 2)
        qualities.append(rng.randint(40, 70))
    module_px = symbol / code.modules
    return Item(
        jpeg_bytes(shot, qualities[-1], 2),
        "jpg",
        [source.text],
        combine(
            size_term(module_px), (70 - min(qualities)) / 30 * 0.2, 0.05 * (len(qualities) - 1)
        ),
        _base(
            code,
            module_px,
            page_px=[page_w, page_h],
            screen_px=list(shot.size),
            qualities=qualities,
            oversample=oversample,
        ),
    )


def cat_low_contrast(ctx: Context, rng: random.Random, i: int) -> Item:
    code = ctx.pick(rng, i)
    module_px = rng.uniform(2.5, 7)
    kind = rng.choice(("faded", "dark", "washed", "tinted"))
    contrast = rng.uniform(0.05, 0.45)
    span = contrast * 255
    if kind == "faded":
        paper_level = rng.uniform(235, 255)
    elif kind == "dark":
        paper_level = rng.uniform(span + 10, span + 70)
    elif kind == "washed":
        paper_level = 255
    else:
        paper_level = rng.uniform(150, 230)
    ink_level = paper_level - span
    tint = jitter((0, 0, 0), rng, 18) if kind == "tinted" else (0, 0, 0)
    paper = tuple(clamp_int(paper_level + t) for t in tint)
    ink = tuple(clamp_int(ink_level + t) for t in tint)
    img = draw_code(code, module_px, margin=rng.uniform(1, 4), ink=ink, paper=paper)  # type: ignore[arg-type]
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0, 0.8)))
    sigma = rng.uniform(1, 6)
    out = add_noise(img, rng, sigma)
    return Item(
        png_bytes(out),
        "png",
        [code.source.text],
        combine(
            clamp((0.45 - contrast) / 0.4) * 0.8,
            sigma / contrast / 255 * 2,
            size_term(module_px),
            version_term(code),
        ),
        _base(
            code,
            module_px,
            kind=kind,
            contrast=_r(contrast),
            ink=list(ink),
            paper=list(paper),
            noise_sigma=_r(sigma, 2),
        ),
    )


def cat_uneven_light(ctx: Context, rng: random.Random, i: int) -> Item:
    code = ctx.pick(rng, i)
    module_px = rng.uniform(2.5, 7)
    img = draw_code(code, module_px, margin=rng.uniform(2, 10), paper=paper_color(rng))
    size = img.size
    shade = Image.new("L", size, 255)
    effects: dict[str, object] = {}
    hardest = 0.0
    chosen = [e for e in ("gradient", "shadow", "lamp") if rng.random() < 0.6] or ["lamp"]
    if "gradient" in chosen:
        s = rng.uniform(0.3, 0.85)
        angle = rng.uniform(0, 360)
        shade = multiply(shade, linear_shade(size, angle, 255 * (1 - s), 255))
        effects["gradient"] = {"strength": _r(s), "angle_deg": _r(angle, 1)}
        hardest = max(hardest, s * 0.6)
    if "shadow" in chosen:  # a hand or a phone between the lamp and the paper
        s = rng.uniform(0.3, 0.85)
        angle, at, edge = rng.uniform(0, 360), rng.uniform(0.3, 0.7), rng.uniform(0.03, 0.3)
        shade = multiply(shade, linear_shade(size, angle, 255 * (1 - s), 255, edge=edge, at=at))
        effects["shadow"] = {
            "darkness": _r(s),
            "angle_deg": _r(angle, 1),
            "at": _r(at),
            "edge": _r(edge),
        }
        hardest = max(hardest, s * (1.2 - edge) * 0.8)
    if "lamp" in chosen:
        s = rng.uniform(0.3, 0.9)
        center = (rng.uniform(0, size[0]), rng.uniform(0, size[1]))
        radius = rng.uniform(0.5, 1.5) * max(size)
        shade = multiply(shade, spot_shade(size, center, radius, 255 * (1 - s), 255))
        effects["lamp"] = {
            "falloff": _r(s),
            "center": [round(c) for c in center],
            "radius": round(radius),
        }
        hardest = max(hardest, s * 0.5)
    warm = (1.0, rng.uniform(0.9, 1.0), rng.uniform(0.75, 0.95))
    out = multiply(img, shade_rgb(shade, warm))
    out = add_noise(out, rng, rng.uniform(1, 4))
    return Item(
        jpeg_bytes(out, 90),
        "jpg",
        [code.source.text],
        combine(hardest, size_term(module_px), version_term(code)),
        _base(code, module_px, effects=effects, tint=[_r(t) for t in warm]),
    )


def cat_noise(ctx: Context, rng: random.Random, i: int) -> Item:
    code = ctx.pick(rng, i)
    module_px = rng.uniform(3, 7)
    kind = rng.choice(("gaussian", "color", "salt_pepper"))
    color = kind == "color"
    img = draw_code(
        code,
        module_px,
        margin=rng.uniform(1, 4),
        paper=paper_color(rng) if color else (250, 250, 250),
        ink=(15, 15, 15),
        mode="RGB" if color else "L",
    )
    if kind == "salt_pepper":
        amount = rng.uniform(0.01, 0.12)
        k = round(amount * 128)
        n = noise_image(rng, img.size)
        img.paste(255, mask=n.point([255 if v >= 256 - k else 0 for v in range(256)]))
        img.paste(0, mask=n.point([255 if v < k else 0 for v in range(256)]))
        params: dict[str, object] = {"fraction": _r(amount)}
        hard = amount / 0.06
    else:
        sigma = rng.uniform(8, 70)
        img = add_noise(img, rng, sigma, color=color)
        params = {"sigma": _r(sigma, 2)}
        hard = (sigma - 8) / 70
    return Item(
        png_bytes(img),
        "png",
        [code.source.text],
        combine(hard * 0.85, size_term(module_px), version_term(code)),
        _base(code, module_px, kind=kind, **params),
    )


def paper_texture(rng: random.Random, size: tuple[int, int], depth: float) -> Image.Image:
    """Multiplicative paper texture: fibres and blotches, 255 - depth .. 255."""
    w, h = size
    fibre = noise_image(rng, (max(2, w // 2), max(2, h // 2))).resize(size, BICUBIC)
    blotch = noise_image(rng, (max(2, w // 40), max(2, h // 40))).resize(size, BICUBIC)
    mix = Image.blend(fibre, blotch, 0.5)
    return mix.point([clamp_int(255 - depth * (1 - v / 255)) for v in range(256)])


def cat_print_scan(ctx: Context, rng: random.Random, i: int) -> Item:
    code = ctx.pick(rng, i)
    module_px = rng.uniform(2.5, 6)
    printer = 3  # the printer lays the code down at 3x the scan resolution
    img = draw_code(code, module_px * printer, margin=rng.uniform(2, 6), mode="L")
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 2.0)))
    threshold = rng.randint(70, 190)  # toner spread (low) or starved (high)
    dither = rng.random() < 0.5
    if dither:
        img = add_noise(levels(img, 40, 230), rng, rng.uniform(5, 20))
        img = img.convert("1", dither=Image.Dither.FLOYDSTEINBERG).convert("L")
    else:
        img = add_noise(img, rng, rng.uniform(5, 25))
        img = img.point([0 if v < threshold else 255 for v in range(256)])
    scan = img.resize((round(img.width / printer),) * 2, BOX)
    depth = rng.uniform(8, 40)
    scan = multiply(scan, paper_texture(rng, scan.size, depth))
    skew = rng.uniform(-3, 3)
    lid = rng.randint(235, 255)
    scan = scan.rotate(skew, BICUBIC, expand=True, fillcolor=lid)
    scan = scan.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.0)))
    scan = add_noise(scan, rng, rng.uniform(1, 4))
    as_jpeg = rng.random() < 0.5
    quality = rng.randint(70, 90)
    data = jpeg_bytes(scan, quality) if as_jpeg else png_bytes(scan)
    toner = abs(threshold - 128) / 62 if not dither else 0.35
    return Item(
        data,
        "jpg" if as_jpeg else "png",
        [code.source.text],
        combine(toner * 0.35, depth / 40 * 0.2, size_term(module_px), version_term(code)),
        _base(
            code,
            module_px,
            dither=dither,
            threshold=None if dither else threshold,
            paper_depth=_r(depth, 2),
            skew_deg=_r(skew, 2),
            jpeg_quality=quality if as_jpeg else None,
        ),
    )


def grating(size: tuple[int, int], period: float, angle: float, amount: float) -> Image.Image:
    """A multiplicative sinusoidal grating: 255 * (1 - amount * (0.5 + 0.5 sin))."""
    w, h = size
    d = math.ceil(math.hypot(w, h)) + 2
    row = bytes(
        clamp_int(255 * (1 - amount * (0.5 + 0.5 * math.sin(2 * math.pi * x / period))))
        for x in range(d)
    )
    img = Image.frombytes("L", (d, 1), row).resize((d, d), NEAREST).rotate(angle, BILINEAR)
    return img.crop(((d - w) // 2, (d - h) // 2, (d - w) // 2 + w, (d - h) // 2 + h))


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def panel_mask(pitch: int, w: int, h: int) -> bytes:
    """RGB bytes of a w×h screen-panel mask, ``pitch`` px per screen pixel:
    three vertical sub-pixel stripes and a dark gap (area coverage per px)."""
    stripe = pitch / 3
    tile_rows = []
    for y in range(pitch):
        cov_y = _overlap(y, y + 1, 0, 0.85 * pitch)
        row = bytearray()
        for x in range(pitch):
            row += bytes(
                clamp_int(255 * cov_y * _overlap(x, x + 1, b * stripe, (b + 0.8) * stripe))
                for b in range(3)
            )
        line = bytes(row) * (w // pitch + 1)
        tile_rows.append(line[: w * 3])
    return b"".join(tile_rows[y % pitch] for y in range(h))


def cat_moire(ctx: Context, rng: random.Random, i: int) -> Item:
    code = ctx.pick(rng, i)
    screen_module = rng.choice((2, 3, 3, 4, 5))  # screen pixels per module
    pitch = rng.choice((3, 4, 5))  # camera pixels per screen pixel before the photo
    content = draw_code(code, screen_module, margin=rng.uniform(1, 4), paper=(250, 250, 250))
    screen = content.resize((content.width * pitch, content.height * pitch), NEAREST)
    # the panel: each pixel an R, G and B stripe, with dark gaps between pixels
    w, h = screen.size
    mask = Image.frombytes("RGB", (w, h), panel_mask(pitch, w, h))
    lit = ImageChops.multiply(screen, mask)
    lit = Image.blend(lit, screen, rng.uniform(0.2, 0.5))  # sub-pixels bleed into each other
    lit = lit.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.0)))
    # the photo: a slightly rotated, aliased resampling (no area averaging)
    scale = min(0.65, rng.uniform(2.5, 7) / (screen_module * pitch))  # 2.5-7 px per module
    angle = math.radians(rng.uniform(-8, 8))
    out_w, out_h = round(w * scale) + 20, round(h * scale) + 20
    cos_a, sin_a = math.cos(angle) / scale, math.sin(angle) / scale
    cx, cy, ox, oy = w / 2, h / 2, out_w / 2, out_h / 2
    affine = (
        cos_a,
        -sin_a,
        cx - cos_a * ox + sin_a * oy,
        sin_a,
        cos_a,
        cy - sin_a * ox - cos_a * oy,
    )
    photo = lit.transform(
        (out_w, out_h), Image.Transform.AFFINE, affine, BILINEAR, fillcolor=(20, 20, 22)
    )
    photo = ImageOps.autocontrast(photo, cutoff=0.5, preserve_tone=True)  # auto exposure
    period = rng.uniform(3, 12)
    amount = rng.uniform(0.05, 0.45)
    photo = multiply(photo, grating(photo.size, period, rng.uniform(0, 180), amount))
    photo = multiply(
        photo,
        shade_rgb(
            Image.new("L", photo.size, 255), (rng.uniform(0.8, 0.95), rng.uniform(0.9, 1.0), 1.0)
        ),
    )
    photo = photo.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.9)))
    photo = add_noise(photo, rng, rng.uniform(2, 6))
    module_px = screen_module * pitch * scale
    return Item(
        jpeg_bytes(photo, 88),
        "jpg",
        [code.source.text],
        combine(amount / 0.45 * 0.4, 0.15, size_term(module_px), version_term(code)),
        _base(
            code,
            module_px,
            screen_px_per_module=screen_module,
            camera_px_per_screen_px=_r(pitch * scale),
            angle_deg=_r(math.degrees(angle), 2),
            grating_period=_r(period, 2),
            grating_amount=_r(amount),
        ),
    )


def cat_fold_warp(ctx: Context, rng: random.Random, i: int) -> Item:
    code = ctx.pick(rng, i)
    module_px = rng.uniform(4, 7)
    paper = paper_color(rng)
    img = draw_code(code, module_px, margin=rng.uniform(2, 8), paper=paper)
    w, h = img.size
    symbol = code.modules * module_px
    # the fold: a line through the code; the far side is tilted away by ``bend``
    theta = rng.uniform(0, math.pi)
    nx, ny = math.cos(theta), math.sin(theta)
    px0 = w / 2 + rng.uniform(-0.3, 0.3) * symbol
    py0 = h / 2 + rng.uniform(-0.3, 0.3) * symbol
    bend = rng.uniform(10, 45)
    stretch = 1 / math.cos(math.radians(bend)) - 1
    soft = module_px * rng.uniform(1, 4)
    curl = module_px * rng.uniform(0, 1.2)
    wavelength = max(w, h) * rng.uniform(0.6, 1.6)
    phase = rng.uniform(0, 2 * math.pi)

    def displace(x: float, y: float) -> Point:
        u = (x - px0) * nx + (y - py0) * ny
        # a rounded crease: smooth max(u, 0)
        ramp = soft * math.log1p(math.exp(u / soft)) if u / soft < 30 else u
        push = ramp * stretch
        wave = curl * math.sin(2 * math.pi * (x * ny - y * nx) / wavelength + phase)
        return nx * push + ny * wave * 0.3, ny * push + wave

    desk = desk_color(rng)
    warped = mesh_warp(img, displace, desk)
    darker = rng.uniform(0.55, 0.92)

    def shading(x: float, y: float) -> float:
        u = (x - px0) * nx + (y - py0) * ny
        return 255 * (1 - (1 - darker) / (1 + math.exp(-max(-30.0, min(30.0, u / soft)))))

    side = field((w, h), shading, 256)
    half = math.hypot(w, h)
    tx, ty = -ny, nx
    ImageDraw.Draw(side).line(
        (px0 - tx * half, py0 - ty * half, px0 + tx * half, py0 + ty * half),
        fill=clamp_int(255 * darker * rng.uniform(0.75, 0.95)),
        width=max(1, round(module_px * 0.4)),
    )
    side = side.filter(ImageFilter.GaussianBlur(max(0.6, module_px * 0.25)))
    out = multiply(warped, side)
    out = add_noise(out, rng, rng.uniform(1, 4))
    as_jpeg = rng.random() < 0.5
    data = jpeg_bytes(out, 90) if as_jpeg else png_bytes(out)
    return Item(
        data,
        "jpg" if as_jpeg else "png",
        [code.source.text],
        combine(
            stretch / 0.41 * 0.45,
            curl / module_px * 0.25,
            (1 - darker) * 0.5,
            size_term(module_px),
            version_term(code),
        ),
        _base(
            code,
            module_px,
            fold_angle_deg=_r(math.degrees(theta), 1),
            bend_deg=_r(bend, 1),
            curl_px=_r(curl, 2),
            shade=_r(darker),
        ),
    )


PHONE = (4000, 3000)


def cat_phone_12mp(ctx: Context, rng: random.Random, i: int) -> Item:
    code = ctx.code(i)
    source = code.source
    ph_pt = source.page_size[1]
    sideways = rng.random() < 0.5
    long_side = rng.uniform(1600, 3700) if sideways else rng.uniform(1200, 2850)
    scale = long_side / ph_pt
    page = render_page(source, scale, page=source.qr_page)
    tilt, axis = rng.uniform(0, 25), rng.uniform(0, 180)
    roll = (90 if rng.random() < 0.5 else -90) * sideways + rng.uniform(-8, 8)
    quad = tilt_quad(page.width, page.height, tilt, axis, rng.uniform(1.5, 3.0), roll)
    xs, ys = [p[0] for p in quad], [p[1] for p in quad]
    fit = min(1.0, 0.97 * PHONE[0] / (max(xs) - min(xs)), 0.97 * PHONE[1] / (max(ys) - min(ys)))
    quad = [(x * fit, y * fit) for x, y in quad]
    xs, ys = [p[0] for p in quad], [p[1] for p in quad]
    cx = rng.uniform(
        PHONE[0] / 2 - (PHONE[0] - (max(xs) - min(xs))) / 2 * 0.8,
        PHONE[0] / 2 + (PHONE[0] - (max(xs) - min(xs))) / 2 * 0.8,
    )
    cy = rng.uniform(
        PHONE[1] / 2 - (PHONE[1] - (max(ys) - min(ys))) / 2 * 0.8,
        PHONE[1] / 2 + (PHONE[1] - (max(ys) - min(ys))) / 2 * 0.8,
    )
    quad = [(x - (max(xs) + min(xs)) / 2 + cx, y - (max(ys) + min(ys)) / 2 + cy) for x, y in quad]

    desk = textured(PHONE, rng, desk_color(rng), rng.uniform(6, 22))
    # the page's soft shadow on the desk
    small = low_res(PHONE, 500)
    f = small[0] / PHONE[0]
    shadow = Image.new("L", small, 0)
    dx, dy = rng.uniform(-12, 12), rng.uniform(-12, 12)
    ImageDraw.Draw(shadow).polygon(
        [(x * f + dx * f * 3, y * f + dy * f * 3) for x, y in quad], fill=255
    )
    shadow = shadow.filter(ImageFilter.GaussianBlur(6))
    shadow = shadow.point([clamp_int(255 - 0.45 * v) for v in range(256)])
    desk = multiply(desk, shadow)
    warped = warp_perspective(page, quad, PHONE, (0, 0, 0))
    mask = Image.new("L", PHONE, 0)
    ImageDraw.Draw(mask).polygon(quad, fill=255)
    photo = Image.composite(warped, desk, mask)
    del warped, desk, mask
    # light: a lamp or window gradient, a warm or cool cast
    light = spot_shade(
        PHONE,
        (rng.uniform(0, PHONE[0]), rng.uniform(0, PHONE[1])),
        rng.uniform(0.6, 1.4) * PHONE[0],
        255 * rng.uniform(0.45, 0.8),
        255,
    )
    light = multiply(
        light, linear_shade(PHONE, rng.uniform(0, 360), 255 * rng.uniform(0.7, 1), 255)
    )
    cast = rng.choice(((1.0, 0.96, 0.86), (0.92, 0.97, 1.0), (1.0, 1.0, 0.97)))
    photo = multiply(photo, shade_rgb(light, cast))
    blur = rng.uniform(0.5, 2.5)
    photo = photo.filter(ImageFilter.GaussianBlur(blur))
    sigma = rng.uniform(2, 7)
    photo = add_noise(photo, rng, sigma)

    fwd = perspective_coeffs(
        [(0, 0), (page.width, 0), (page.width, page.height), (0, page.height)], quad
    )
    qr = [apply_h(fwd, x, y) for x, y in symbol_quad(page_qr_box(source, scale), code.modules)]
    module_px = quad_side(qr) / code.modules
    return Item(
        jpeg_bytes(photo, 85, 2),
        "jpg",
        [source.text],
        combine((tilt / 25) * 0.3, size_term(module_px), blur / module_px * 0.3, sigma / 7 * 0.1),
        _base(
            code,
            module_px,
            sideways=sideways,
            tilt_deg=_r(tilt, 2),
            axis_deg=_r(axis, 2),
            roll_deg=_r(roll, 2),
            blur_sigma=_r(blur),
            noise_sigma=_r(sigma, 2),
            jpeg_quality=85,
            qr_quad=[[round(x, 1), round(y, 1)] for x, y in qr],
        ),
    )


PDF_DATE = dt.datetime(2026, 1, 15, 9, 30, tzinfo=dt.UTC)


def _fpdf() -> FPDF:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_creation_date(PDF_DATE)
    pdf.set_creator("docseal bench corpus")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(0, 0, 0)
    return pdf


def _scanned_page(
    rng: random.Random, source: Source, dpi: int, gray: bool
) -> tuple[Image.Image, float]:
    scale = dpi / 72
    page = render_page(source, scale, page=source.qr_page, gray=gray)
    page = page.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.9) * dpi / 200))
    skew = rng.uniform(-2, 2)
    page = page.rotate(skew, BICUBIC, expand=False, fillcolor=255 if gray else (255, 255, 255))
    page = levels(page, rng.uniform(0, 30), rng.uniform(225, 255))
    page = add_noise(page, rng, rng.uniform(1, 5))
    return page, skew


def _page_pdf(pages: list[Image.Image | None], qualities: list[int], cover: str = "") -> bytes:
    pdf = _fpdf()
    for img, quality in zip(pages, qualities, strict=True):
        pdf.add_page()
        if img is None:
            pdf.add_font("DejaVu", "", FONT_DIR / "DejaVuSans.ttf")
            pdf.set_margins(20, 20, 20)
            pdf.set_xy(20, 25)
            pdf.set_font("DejaVu", "", 11)
            pdf.multi_cell(0, 6, cover)
            pdf.set_margins(0, 0, 0)
            continue
        pdf.image(io.BytesIO(jpeg_bytes(img, quality)), x=0, y=0, w=pdf.w, h=pdf.h)
    return bytes(pdf.output())


COVER = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
    "ĐƠN ĐỀ NGHỊ\n\nKính gửi: Bộ phận tiếp nhận và trả kết quả\n\n"
    "Tôi xin gửi kèm theo đơn này kết quả giải quyết thủ tục hành chính (trang 2) "
    "để bổ sung hồ sơ. Kết quả có mã QR và chữ ký số của cơ quan cấp.\n\n"
    "Người làm đơn\n(ký, ghi rõ họ tên)"
)


def cat_pdf(ctx: Context, rng: random.Random, i: int) -> Item:
    kinds = ("issued", "scan", "two_page", "camscan")
    kind = kinds[i % 4]
    index = i // 4 + i % 4
    if kind == "issued" and i // 4 >= len(ctx.sources):
        kind = "scan"
    code = ctx.code(index)
    source = code.source
    box_pt = (source.qr_box[2] - source.qr_box[0]) * code.modules / (code.modules + 2 * QUIET)
    if kind == "issued":
        return Item(
            source.pdf,
            "pdf",
            [source.text],
            0.0,
            _base(
                code,
                box_pt / code.modules * 2,
                kind=kind,
                pages=1,
                qr_page=1,
                note="module_px at 144 dpi (scale 2)",
            ),
        )
    if kind in ("scan", "two_page"):
        dpi = rng.choice((100, 150, 150, 200, 300)) if kind == "scan" else rng.choice((150, 200))
        gray = rng.random() < 0.6
        page, skew = _scanned_page(rng, source, dpi, gray)
        quality = rng.randint(55, 90)
        if kind == "scan":
            data = _page_pdf([page], [quality])
        else:
            data = _page_pdf([None, page], [0, quality], COVER)
        module_px = box_pt * dpi / 72 / code.modules
        return Item(
            data,
            "pdf",
            [source.text],
            combine(size_term(module_px), (90 - quality) / 35 * 0.2, 0.05 * (kind != "scan")),
            _base(
                code,
                module_px,
                kind=kind,
                pages=1 if kind == "scan" else 2,
                qr_page=1 if kind == "scan" else 2,
                dpi=dpi,
                gray=gray,
                skew_deg=_r(skew, 2),
                jpeg_quality=quality,
            ),
        )
    # camscan: a phone "scanner app" PDF: a colour photo, imperfectly flattened
    dpi = rng.choice((120, 150, 180))
    scale = dpi / 72
    page = render_page(source, scale, page=source.qr_page)
    w, h = page.size
    tilt = rng.uniform(0, 8)
    quad = tilt_quad(w, h, tilt, rng.uniform(0, 180), 2.0, rng.uniform(-1.5, 1.5))
    quad = [(x + w / 2, y + h / 2) for x, y in quad]
    page = warp_perspective(page, quad, (w, h), desk_color(rng))
    light = spot_shade(
        (w, h),
        (rng.uniform(0, w), rng.uniform(0, h)),
        rng.uniform(0.8, 1.5) * h,
        255 * rng.uniform(0.6, 0.85),
        255,
    )
    page = multiply(page, shade_rgb(light, (1.0, 0.97, 0.9)))
    page = add_noise(
        page.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 1.0))), rng, rng.uniform(2, 5)
    )
    quality = rng.randint(60, 85)
    module_px = box_pt * scale / code.modules
    return Item(
        _page_pdf([page], [quality]),
        "pdf",
        [source.text],
        combine(size_term(module_px), tilt / 8 * 0.2, 0.15),
        _base(
            code,
            module_px,
            kind=kind,
            pages=1,
            qr_page=1,
            dpi=dpi,
            tilt_deg=_r(tilt, 2),
            jpeg_quality=quality,
        ),
    )


def cat_multi(ctx: Context, rng: random.Random, i: int) -> Item:
    n = len(ctx.sources)
    a, b = i % n, (i + 1 + (i // n) % (n - 1)) % n
    if a == b:
        b = (a + 1) % n
    if i % 2 == 0:  # two codes side by side on one sheet
        codes = [ctx.pick(rng, a), ctx.pick(rng, b)]
        sizes = [rng.uniform(3, 6), rng.uniform(3, 6)]
        paper = paper_color(rng)
        imgs = [
            draw_code(c, m, margin=rng.uniform(0, 3), paper=paper)
            for c, m in zip(codes, sizes, strict=True)
        ]
        gap = rng.randint(0, 60)
        pad = rng.randint(10, 60)
        width = imgs[0].width + imgs[1].width + gap + 2 * pad
        height = max(im.height for im in imgs) + 2 * pad
        sheet = Image.new("RGB", (width, height), paper)
        sheet.paste(imgs[0], (pad, pad + (height - 2 * pad - imgs[0].height) // 2))
        sheet.paste(
            imgs[1], (pad + imgs[0].width + gap, pad + (height - 2 * pad - imgs[1].height) // 2)
        )
        angle = rng.uniform(-6, 6)
        sheet = sheet.rotate(angle, BICUBIC, expand=True, fillcolor=desk_color(rng))
        sheet = add_noise(sheet, rng, rng.uniform(1, 4))
        quality = rng.randint(70, 92)
        module_px = min(sizes)
        return Item(
            jpeg_bytes(sheet, quality),
            "jpg",
            [c.source.text for c in codes],
            combine(0.15, size_term(module_px), max(version_term(c) for c in codes)),
            {
                "kind": "codes",
                "sources": [c.source.name for c in codes],
                "variants": [c.variant for c in codes],
                "module_px": [_r(m) for m in sizes],
                "gap_px": gap,
                "angle_deg": _r(angle, 2),
                "jpeg_quality": quality,
            },
        )
    # two result pages side by side on a desk (a scan or photo of both)
    codes = [ctx.code(a), ctx.code(b)]
    symbol = rng.uniform(120, 230)
    pages = [
        render_page(c.source, scale_for_symbol(c.source, c, symbol), page=c.source.qr_page)
        for c in codes
    ]
    gap = rng.randint(10, 80)
    pad = rng.randint(20, 80)
    width = pages[0].width + pages[1].width + gap + 2 * pad
    height = max(p.height for p in pages) + 2 * pad
    desk = textured((width, height), rng, desk_color(rng), 15)
    desk.paste(pages[0], (pad, pad))
    desk.paste(pages[1], (pad + pages[0].width + gap, pad))
    angle = rng.uniform(-4, 4)
    desk = desk.rotate(angle, BICUBIC, expand=False, fillcolor=(90, 80, 70))
    light = linear_shade(desk.size, rng.uniform(0, 360), 255 * rng.uniform(0.7, 0.95), 255)
    desk = multiply(desk, light)
    desk = add_noise(
        desk.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.8))), rng, rng.uniform(1, 4)
    )
    quality = rng.randint(75, 90)
    module_px = symbol / max(c.modules for c in codes)
    return Item(
        jpeg_bytes(desk, quality),
        "jpg",
        [c.source.text for c in codes],
        combine(0.2, size_term(module_px)),
        {
            "kind": "pages",
            "sources": [c.source.name for c in codes],
            "qr_px": _r(symbol, 1),
            "module_px": _r(module_px),
            "gap_px": gap,
            "angle_deg": _r(angle, 2),
            "jpeg_quality": quality,
        },
    )


MAKERS: dict[str, Callable[[Context, random.Random, int], Item]] = {
    "clean": cat_clean,
    "perspective": cat_perspective,
    "rotation": cat_rotation,
    "motion_blur": cat_motion_blur,
    "focus_blur": cat_focus_blur,
    "jpeg": cat_jpeg,
    "screenshot": cat_screenshot,
    "low_contrast": cat_low_contrast,
    "uneven_light": cat_uneven_light,
    "noise": cat_noise,
    "print_scan": cat_print_scan,
    "moire": cat_moire,
    "fold_warp": cat_fold_warp,
    "phone_12mp": cat_phone_12mp,
    "pdf": cat_pdf,
    "multi": cat_multi,
}


def count_for(category: str, per_category: int) -> int:
    return max(4, per_category // 4) if category == "phone_12mp" else per_category


# -- building ----------------------------------------------------------------------


def build(
    out_dir: Path, per_category: int = 20, seed: int = 7, *, home: Path | None = None
) -> list[dict[str, Any]]:
    """Write the corpus into ``out_dir`` and return its manifest entries.

    ``home`` is the docseal home holding the demo results (default
    ``out_dir/.docseal-home``, created on first use and reused after)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    sources = run_demo(Path(home) if home is not None else out_dir / ".docseal-home")
    ctx = Context(sources)
    manifest: list[dict[str, Any]] = []
    for category in CATEGORIES:
        folder = out_dir / category
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir()
        for i in range(count_for(category, per_category)):
            rng = random.Random(f"{seed}:{category}:{i}")
            item = MAKERS[category](ctx, rng, i)
            name = f"{category}/{i:03d}-{_short(item)}.{item.ext}"
            (out_dir / name).write_bytes(item.data)
            manifest.append(
                {
                    "file": name,
                    "category": category,
                    "texts": item.texts,
                    "difficulty": item.difficulty,
                    "params": item.params,
                }
            )
    (out_dir / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return manifest


def _short(item: Item) -> str:
    p = item.params
    names = p["sources"] if "sources" in p else [p["source"]]
    assert isinstance(names, list)
    return "+".join(str(n) for n in names)


def load_manifest(out_dir: Path) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(
        (Path(out_dir) / "manifest.json").read_text(encoding="utf-8")
    )
    return entries


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("out_dir", type=Path)
    p.add_argument("--per-category", type=int, default=20)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--home", type=Path, help="docseal home of the demo results to reuse")
    a = p.parse_args(argv)
    if a.per_category < 1:
        p.error("--per-category must be at least 1")
    start = time.perf_counter()
    manifest = build(a.out_dir, a.per_category, a.seed, home=a.home)
    counts = {c: sum(1 for e in manifest if e["category"] == c) for c in CATEGORIES}
    print(
        f"corpus: {len(manifest)} files in {time.perf_counter() - start:.1f} s -> {a.out_dir} ("
        + ", ".join(f"{c} {n}" for c, n in counts.items())
        + ")"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
