"""PDF pages as a viewer shows them: form fields drawn, and the images in
annotation appearance streams looked at, within the pixel limit."""

from __future__ import annotations

import pytest
import zxingcpp
from PIL import Image

from chalicelib.adapters.pdf_pages import pdf_pages
from chalicelib.adapters.scan import scan_file
from chalicelib.domain.intake import IntakeLimits
from tests.files import plain_qr, qr_image
from tests.files_builders import owner_password_pdf, pdf_code_in_annotation

VALID = "https://docseal.example.vn/v#DS1:" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" * 12
CODE = qr_image(VALID)
TINY = (500, 60, 530, 90)  # 30 points: too small to read on the rendered page
LIMITS = IntakeLimits()


def read(image: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize("kind", ["signature", "button", "stamp"])
def test_the_rendered_page_shows_the_annotation_as_a_viewer_does(kind: str) -> None:
    (page,) = pdf_pages(pdf_code_in_annotation(CODE, kind), LIMITS)
    assert read(page.rendered) == [VALID]


@pytest.mark.parametrize("kind", ["signature", "button", "stamp"])
def test_images_in_annotation_appearances_are_embedded_images(kind: str) -> None:
    data = pdf_code_in_annotation(CODE, kind, rect=TINY)
    pages = pdf_pages(data, LIMITS)
    page = next(pages)
    assert read(page.rendered) == []  # drawn 30 points wide, as the file says
    embedded = list(page.embedded())
    assert [image.size for image in embedded] == [CODE.size]
    assert read(embedded[0]) == [VALID]
    pages.close()
    assert [c.text for c in scan_file(data).codes] == [VALID]


def test_an_annotation_image_over_the_pixel_limit_is_left_out() -> None:
    data = pdf_code_in_annotation(CODE, "signature", rect=TINY)
    limits = IntakeLimits(max_pixels=CODE.width * CODE.height - 1)
    pages = pdf_pages(data, limits)
    assert list(next(pages).embedded()) == []
    pages.close()


def test_stopping_early_leaves_nothing_open() -> None:
    """An annotation's images are copied out before they are handed over, so
    a caller that stops after the first one (the scan found its code) can
    close the page and the document safely."""
    data = pdf_code_in_annotation(CODE, "button", rect=TINY)
    for page in pdf_pages(data, LIMITS):
        first = next(iter(page.embedded()))
        assert first.size == CODE.size
        break
    assert read(first) == [VALID]


def test_a_form_field_holding_another_systems_code_is_read_as_such() -> None:
    other = "https://dichvucong.gov.vn/p/tra-cuu-ho-so?ma=000.00.01.H26-250314-0001"
    result = scan_file(pdf_code_in_annotation(plain_qr(other), "signature"))
    assert [c.text for c in result.codes] == [other] and not result.has_docseal


@pytest.mark.parametrize("method", ["RC4", "AES_128", "AES_256"])
def test_a_pdf_with_only_a_permissions_password_is_read(method: str) -> None:
    assert [c.text for c in scan_file(owner_password_pdf(CODE, method)).codes] == [VALID]
