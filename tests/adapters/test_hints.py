"""The "blurred" hint only when the image is measurably blurred: a sharp page
with little on it is not, an out-of-focus photo of a code is."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from chalicelib.adapters.hints import edge_width, no_code_hint
from chalicelib.adapters.pdf_pages import pdf_pages
from chalicelib.adapters.scan import scan_file
from chalicelib.domain.intake import IntakeLimits
from tests.files import qr_image, save
from tests.files_builders import pdf_code_in_annotation, phone_page

VALID = "https://docseal.example.vn/v#DS1:" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" * 12
CODE = qr_image(VALID)
FONT = str(Path(__file__).resolve().parents[2] / "chalicelib" / "web" / "fonts" / "DejaVuSans.ttf")


def photographed(image: Image.Image, noise: float = 6) -> Image.Image:
    """Sensor noise and a phone's JPEG compression over the image."""
    grainy = ImageChops.add(image, Image.effect_noise(image.size, noise), 1, -128)
    return Image.open(io.BytesIO(save(grainy, "JPEG", quality=80))).convert("L")


def one_line_page() -> Image.Image:
    """An A4 page at 200 dpi with one line of 10-point text and nothing else."""
    page = Image.new("L", (1654, 2339), 255)
    font = ImageFont.truetype(FONT, 28)
    ImageDraw.Draw(page).text((200, 200), "Ma QR xac thuc o goc duoi ben phai.", 0, font)
    return page


def test_a_sharp_page_with_little_on_it_is_not_blurred() -> None:
    """The page of a PDF whose code a viewer without forms leaves out: two
    lines of text on white (what used to be called "blurred")."""
    data = pdf_code_in_annotation(CODE, "signature", rect=(500, 60, 501, 61))
    (page,) = pdf_pages(data, IntakeLimits())
    assert no_code_hint(page.rendered) == "cropped_or_absent"
    for sharp in (one_line_page(), photographed(one_line_page())):
        assert no_code_hint(sharp) == "cropped_or_absent"


def test_an_out_of_focus_photo_of_a_code_is_blurred() -> None:
    photo = photographed(phone_page(CODE).filter(ImageFilter.GaussianBlur(8)))
    assert no_code_hint(photo) == "blurred"
    result = scan_file(save(photo, "JPEG", quality=90))
    assert result.codes == () and result.hint == "blurred"


@pytest.mark.parametrize("sigma", [2, 3, 5, 8])
def test_edge_width_grows_with_the_blur(sigma: int) -> None:
    """About 2.5 sigma for a Gaussian blur of sigma pixels (the smoothing adds
    a little); sharp print measures under 2."""
    assert edge_width(phone_page(CODE)) < 2
    width = edge_width(phone_page(CODE).filter(ImageFilter.GaussianBlur(sigma)))
    assert width is not None and 2.2 * sigma < width < 3.2 * sigma


def test_a_sharp_noisy_photo_is_not_blurred() -> None:
    assert no_code_hint(photographed(phone_page(CODE), noise=12)) == "cropped_or_absent"


def test_blank_and_evenly_lit_pages_have_no_edges_to_measure() -> None:
    lit = Image.linear_gradient("L").resize((1200, 1600)).point(lambda v: 180 + v // 5)
    for page in (Image.new("L", (800, 600), 240), lit):
        assert edge_width(page) is None
        assert no_code_hint(page) == "cropped_or_absent"


def test_a_tiny_image_is_too_small() -> None:
    assert no_code_hint(CODE.resize((100, 100))) == "too_small"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 255), min_size=1, max_size=400), st.data())
def test_the_mean_of_the_largest_steps_from_their_counts(steps: list[int], data: Any) -> None:
    """Counting the steps and reading the largest off the counts gives what
    sorting them would (the fast path edge_width takes on 12 MP photos)."""
    import numpy as np

    from chalicelib.adapters.hints import _mean_of_largest

    count = data.draw(st.integers(1, len(steps)))
    expected = sum(sorted(steps)[-count:]) / count
    assert _mean_of_largest(np.bincount(steps, minlength=256), count) == pytest.approx(expected)
