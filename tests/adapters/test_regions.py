"""Code regions of large photos: the candidate finder points at the code, not at the
text around it, wherever the code is and however it is turned; a blank or smooth
image gives no candidate; and a blurred code in a 12 MP photo, which no reader
finds on the whole image, is read from its full-resolution crop.

The photos are drawn the way bench/corpus.py draws phone photos: a mottled
desk, a sheet of paper with lines of text and table rules, the code printed on
it, the whole blurred and noisy.
"""

from __future__ import annotations

import io
import random

import numpy as np
import pytest
import zxingcpp
from PIL import Image, ImageDraw, ImageFilter, ImageOps

from chalicelib.adapters.regions import code_regions
from chalicelib.adapters.scan import CROP_MARGIN, scan_file
from tests.files import qr_image

TEXT = "https://docseal.example.vn/v#DS1:" + "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U" * 10
WORDS = "Trich luc khai sinh Ho va ten Ngay sinh Noi sinh Quoc tich Dan toc 14/03/2025".split()


def _photo(
    size: tuple[int, int], code_px: int, at: tuple[float, float], degrees: float, blur: float
) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """A photo-like image of ``size`` holding a code about ``code_px`` wide (quiet
    zone included) centred at ``at`` (shares of the width and height), turned by
    ``degrees``; and the bounding box of the symbol's dark modules."""
    rng = random.Random(f"{size}{code_px}{at}{degrees}")
    width, height = size
    desk = Image.effect_noise((width // 16, height // 16), 40).resize(
        size, Image.Resampling.BICUBIC
    )
    photo = desk.point(lambda v: 70 + v // 4)
    paper = Image.new("L", (int(width * 0.7), int(height * 0.8)), 232)
    draw = ImageDraw.Draw(paper)
    for y in range(40, paper.height - 20, max(height // 60, 12)):
        x = 30
        while x < paper.width - 200:
            word = rng.choice(WORDS)
            draw.text((x, y), word, fill=rng.choice((20, 40, 60)), font_size=height // 80)
            x += int(len(word) * height / 130) + 12
        if rng.random() < 0.3:
            draw.line([(20, y - 4), (paper.width - 20, y - 4)], fill=90, width=2)
    left, top = (width - paper.width) // 2, (height - paper.height) // 2
    photo.paste(paper, (left, top))
    code = qr_image(TEXT, box=8)
    code = code.resize((code_px, code_px), Image.Resampling.BILINEAR)
    turned = code.rotate(degrees, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
    mask = Image.new("L", code.size, 255).rotate(degrees, expand=True)
    cx, cy = int(at[0] * width), int(at[1] * height)
    corner = (cx - turned.width // 2, cy - turned.height // 2)
    photo.paste(turned, corner, mask)
    dark = ImageOps.invert(turned).point(lambda v: 255 if v > 128 else 0).getbbox()
    assert dark is not None
    photo = photo.filter(ImageFilter.GaussianBlur(blur))
    noisy = np.asarray(photo, dtype=np.float32) + np.random.default_rng(1).normal(
        0, 4, (height, width)
    )
    photo = Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8))
    symbol = (corner[0] + dark[0], corner[1] + dark[1], corner[0] + dark[2], corner[1] + dark[3])
    return photo, symbol


def _covered(box: tuple[int, int, int, int], by: tuple[int, int, int, int]) -> float:
    width = max(0, min(box[2], by[2]) - max(box[0], by[0]))
    height = max(0, min(box[3], by[3]) - max(box[1], by[1]))
    return width * height / ((box[2] - box[0]) * (box[3] - box[1]))


@pytest.mark.parametrize(
    ("at", "degrees", "code_px"),
    [
        ((0.5, 0.5), 0, 200),
        ((0.3, 0.35), 17, 160),
        ((0.7, 0.6), 45, 150),
        ((0.62, 0.3), 96, 230),
        ((0.35, 0.7), 200, 300),
    ],
)
def test_the_best_candidate_is_the_code(
    at: tuple[float, float], degrees: float, code_px: int
) -> None:
    photo, truth = _photo((2000, 1500), code_px, at, degrees, blur=1.2)
    regions = code_regions(photo)
    assert regions, "no candidate at all"
    best = regions[0]
    # the box hugs the busy part (a turned symbol's corners are thin): the chain
    # cuts it with a margin, and that cut holds the whole symbol
    margin = CROP_MARGIN * max(best.right - best.left, best.bottom - best.top)
    box = (
        int(best.left - margin),
        int(best.top - margin),
        int(best.right + margin),
        int(best.bottom + margin),
    )
    assert _covered(truth, box) > 0.97, (truth, best)
    side = max(truth[2] - truth[0], truth[3] - truth[1])
    assert max(box[2] - box[0], box[3] - box[1]) < 1.8 * side, (truth, best)  # not the page


@pytest.mark.parametrize("level", [0, 128, 255])
def test_a_uniform_image_gives_no_candidate(level: int) -> None:
    assert code_regions(Image.new("L", (2000, 1500), level)) == []


def test_a_smooth_image_gives_no_candidate() -> None:
    gradient = Image.linear_gradient("L").resize((2000, 1500))
    desk = Image.effect_noise((125, 94), 40).resize((2000, 1500), Image.Resampling.BICUBIC)
    assert code_regions(gradient) == []
    assert code_regions(desk.point(lambda v: 70 + v // 4)) == []


def test_an_image_too_small_to_search_gives_no_candidate() -> None:
    assert code_regions(qr_image(TEXT, box=1)) == []


def test_a_blurred_code_in_a_12_mp_photo_is_read_from_its_crop() -> None:
    """Modules of 4.5 px under a focus blur of 2.4 px: in the 2000 px working copy
    they are 2.2 px under 1.2, too little to restore; at full resolution the
    crop is deconvolved."""
    photo, _ = _photo((4000, 3000), 320, (0.72, 0.58), 96, blur=2.4)
    assert not zxingcpp.read_barcodes(photo), "zxing-cpp alone reads it: the test proves nothing"
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=90)
    result = scan_file(out.getvalue())
    assert [c.text for c in result.codes] == [TEXT]
