"""Blurred photos: codes a plain decoder misses are restored by deconvolution.

The blur is made the way a lens or a shaking hand makes it (a Gaussian of about
two thirds of a module; a straight smear of almost two modules), on a real QR
image; zxing-cpp on its own must fail on it, or the test would prove nothing.
"""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
import zxingcpp
from PIL import Image, ImageDraw, ImageFilter

from chalicelib.adapters.deblur import deblurred, motion_candidates
from chalicelib.adapters.scan import scan_file
from tests.files import qr_image

TEXT = "https://docseal.example.vn/v#DS1:" + "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U" * 10
MODULE = 8


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _zxing_alone(image: Image.Image) -> list[str]:
    return [b.text for b in zxingcpp.read_barcodes(image)]


def _smear(image: Image.Image, length: int, degrees: float) -> Image.Image:
    """A straight motion blur: the mean of the image shifted along a line."""
    pixels = np.asarray(image, dtype=np.float32)
    total = np.zeros_like(pixels)
    dx, dy = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    for step in range(length):
        offset = step - (length - 1) / 2
        total += np.roll(pixels, (round(offset * dy), round(offset * dx)), axis=(0, 1))
    return Image.fromarray((total / length).astype(np.uint8))


@pytest.fixture(scope="module")
def sharp() -> Image.Image:
    return qr_image(TEXT, box=MODULE).convert("L")


def test_out_of_focus_code_is_restored(sharp: Image.Image) -> None:
    blurred = sharp.filter(ImageFilter.GaussianBlur(0.68 * MODULE))
    assert _zxing_alone(blurred) == []
    assert [c.text for c in scan_file(_png(blurred)).codes] == [TEXT]


def test_shaken_code_is_restored(sharp: Image.Image) -> None:
    smeared = _smear(sharp, length=15, degrees=20)
    assert _zxing_alone(smeared) == []
    assert [c.text for c in scan_file(_png(smeared)).codes] == [TEXT]


@pytest.mark.parametrize(("length", "degrees"), [(12, 0), (15, 20), (9, 45), (6, 90)])
def test_motion_candidates_include_the_true_blur(
    sharp: Image.Image, length: int, degrees: float
) -> None:
    pixels = np.asarray(_smear(sharp, length, degrees), dtype=np.float32) / 255.0
    candidates = motion_candidates(pixels)

    def matches(found: float, angle: float) -> bool:
        turn = math.degrees(angle) % 180  # a line blur has no sign
        return abs(found - length) <= 2 and min(abs(turn - degrees), 180 - abs(turn - degrees)) < 8

    assert any(matches(found, angle) for found, angle in candidates), candidates


def test_too_small_for_the_cepstrum_is_not_guessed() -> None:
    assert motion_candidates(np.zeros((50, 50), dtype=np.float32)) == []


def test_variants_keep_the_size_and_stay_bounded(sharp: Image.Image) -> None:
    big = Image.new("L", (3000, 2000), 255)
    ImageDraw.Draw(big).rectangle((100, 100, 400, 400), fill=0)
    variants = list(deblurred(big))
    assert variants and all(max(v.size) <= 1200 and v.mode == "L" for v in variants)
    assert all(v.size == sharp.size for v in deblurred(sharp))


def test_a_crop_gets_the_focus_sweep_first_and_a_whole_image_can_skip_it() -> None:
    """A crop of a photo is deconvolved for focus blur first (widths in ascending
    order); a whole image whose regions were already swept gets motion blur only."""
    from chalicelib.adapters.deblur import FOCUS_SIGMAS

    blurred = qr_image(TEXT, box=MODULE).filter(ImageFilter.GaussianBlur(0.6 * MODULE))
    every = list(deblurred(blurred))
    focus_first = list(deblurred(blurred, focus_first=True))
    motion_only = list(deblurred(blurred, focus=False))
    sweep = len(FOCUS_SIGMAS)
    assert len(focus_first) == len(every) == len(motion_only) + sweep
    assert [i.tobytes() for i in focus_first[:sweep]] == [i.tobytes() for i in every[-sweep:]]
    assert [i.tobytes() for i in motion_only] == [i.tobytes() for i in every[:-sweep]]


def test_the_sweep_is_bounded_by_the_caller() -> None:
    """``sigmas`` and ``motions`` bound the variants: a caller paying per variant
    gets exactly the focus widths it names, then at most ``motions`` shakes."""
    blurred = qr_image(TEXT, box=MODULE).filter(ImageFilter.GaussianBlur(0.6 * MODULE))
    full = list(deblurred(blurred, focus_first=True))
    two = list(deblurred(blurred, focus_first=True, sigmas=(2.0, 3.0), motions=1))
    none = list(deblurred(blurred, focus_first=True, sigmas=(2.0,), motions=0))
    assert len(two) == 3 and len(none) == 1
    assert [i.tobytes() for i in two[:2]] == [i.tobytes() for i in full[:2]]
    assert none[0].tobytes() == full[0].tobytes()
