"""Opening damaged image files as a browser shows them, within every limit."""

from __future__ import annotations

import io
import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFile

from chalicelib.adapters.image_file import INCOMPLETE, header_side, open_image
from chalicelib.adapters.scan import scan_file
from chalicelib.domain.intake import IntakeLimits
from chalicelib.errors import FileRefused
from tests.files import png_header_only, qr_image, save, text_chunk_bomb
from tests.files_builders import (
    jpeg_cut,
    jpeg_headers_only,
    jpeg_without_eoi,
    phone_jpeg,
    phone_page,
    png_cut_after_row,
    png_with_bad_header_checksum,
    png_with_bad_text_checksum,
    png_with_trailing_garbage,
    png_without_end,
)

VALID = "https://docseal.example.vn/v#DS1:" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" * 12
CODE = qr_image(VALID)
LIMITS = IntakeLimits()


def texts(data: bytes) -> list[str | None]:
    return [c.text for c in scan_file(data).codes]


@pytest.fixture(scope="module")
def jpeg() -> bytes:
    return phone_jpeg(CODE)


@pytest.fixture(scope="module")
def png() -> bytes:
    return save(phone_page(CODE), "PNG")


def test_a_whole_file_is_read_strictly_and_not_marked(jpeg: bytes, png: bytes) -> None:
    for data in (jpeg, png):
        image = open_image(data, LIMITS)
        assert image.mode == "L" and image.size == (1200, 1600)
        assert INCOMPLETE not in image.info
        assert scan_file(data).notes == ()


def test_a_jpeg_short_of_its_last_rows_is_read_and_noted(jpeg: bytes) -> None:
    data = jpeg_cut(jpeg, 4096)
    with pytest.raises(OSError):  # what Pillow alone does with it
        Image.open(io.BytesIO(data)).load()
    image = open_image(data, LIMITS)
    assert image.info[INCOMPLETE] is True and image.size == (1200, 1600)
    result = scan_file(data)
    assert [c.text for c in result.codes] == [VALID]
    assert result.notes == ("incomplete",)


def test_a_jpeg_without_its_end_marker_is_read(jpeg: bytes) -> None:
    """Whether libjpeg misses the marker depends on where the last block's
    bits end; read strictly or leniently, the code is read."""
    result = scan_file(jpeg_without_eoi(jpeg))
    assert [c.text for c in result.codes] == [VALID]
    assert result.notes in {(), ("incomplete",)}


def test_the_rows_a_jpeg_lost_are_blank_not_gray(jpeg: bytes) -> None:
    image = open_image(jpeg_cut(jpeg, len(jpeg) // 3), LIMITS)
    bottom = image.crop((0, image.height - 100, image.width, image.height))
    assert bottom.getextrema() == (255, 255)
    top = image.crop((0, 0, image.width, 100))
    assert 225 <= top.getextrema()[0] <= top.getextrema()[1] <= 245  # the page's own gray


def test_a_large_truncated_jpeg_is_read_at_reduced_scale_too(jpeg: bytes) -> None:
    data = jpeg_cut(jpeg, 4096)
    image = open_image(data, LIMITS, target_side=700)
    assert image.info[INCOMPLETE] is True and max(image.size) < 1600
    assert header_side(data) == 1600


def test_a_png_with_a_bad_checksum_outside_the_pixels_is_read(png: bytes) -> None:
    data = png_with_bad_text_checksum(png)
    with pytest.raises(OSError):
        Image.open(io.BytesIO(data))
    result = scan_file(data)
    assert [c.text for c in result.codes] == [VALID] and result.notes == ("incomplete",)


@pytest.mark.parametrize("damage", [png_without_end, png_with_trailing_garbage])
def test_a_png_without_its_end_or_with_garbage_after_it_is_read(png: bytes, damage: object) -> None:
    assert texts(damage(png)) == [VALID]  # type: ignore[operator]


def test_a_png_with_a_bad_header_checksum_is_corrupt(png: bytes) -> None:
    with pytest.raises(FileRefused) as info:
        open_image(png_with_bad_header_checksum(png), LIMITS)
    assert info.value.code == "CORRUPT_FILE"


def test_a_truncated_png_keeps_the_rows_it_has_and_the_rest_is_blank() -> None:
    page = phone_page(CODE, top=900)  # the code is in the bottom half
    data = png_cut_after_row(page, 600)
    image = open_image(data, LIMITS)
    assert image.info[INCOMPLETE] is True
    assert image.crop((0, 0, 1200, 600)).tobytes() == page.crop((0, 0, 1200, 600)).tobytes()
    assert image.crop((0, 600, 1200, 1600)).getextrema() == (255, 255)


def test_a_truncated_png_whose_code_is_in_the_missing_rows_is_not_a_crash() -> None:
    data = png_cut_after_row(phone_page(CODE, top=900), 1000)  # the code's top 100 rows
    try:
        result = scan_file(data)
    except FileRefused as exc:
        assert exc.code == "CORRUPT_FILE"
    else:
        assert result.codes == () and result.hint in {"cropped_or_absent", "blurred"}
        assert result.notes == ("incomplete",)


@pytest.mark.parametrize(
    "data",
    [
        png_cut_after_row(phone_page(CODE), 0),
        png_header_only(300, 200),
        jpeg_headers_only(phone_jpeg(CODE)),
    ],
    ids=["png-cut-before-row-1", "png-empty-pixel-data", "jpeg-headers-only"],
)
def test_a_file_without_usable_pixels_is_still_corrupt(data: bytes) -> None:
    with pytest.raises(FileRefused) as info:
        open_image(data, LIMITS)
    assert info.value.code == "CORRUPT_FILE"


def test_the_pixel_limit_holds_for_a_damaged_file_before_decoding() -> None:
    data = png_cut_after_row(phone_page(CODE), 500)
    started = time.monotonic()
    with pytest.raises(FileRefused) as info:
        open_image(data, IntakeLimits(max_pixels=1200 * 1600 - 1))
    assert info.value.code == "IMAGE_TOO_LARGE"
    assert time.monotonic() - started < 1


def test_a_text_chunk_bomb_is_not_read_leniently(png: bytes) -> None:
    """Over MAX_TEXT_CHUNK is a broken limit, not damage: still refused."""
    with pytest.raises(FileRefused) as info:
        open_image(text_chunk_bomb(png), LIMITS)
    assert info.value.code == "CORRUPT_FILE"


def test_pillows_global_is_left_strict(jpeg: bytes) -> None:
    open_image(jpeg_without_eoi(jpeg), LIMITS)
    with pytest.raises(FileRefused):
        open_image(png_header_only(300, 200), LIMITS)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_lenient_reads_in_other_threads_do_not_leak_into_strict_ones(jpeg: bytes) -> None:
    """Many threads at once, damaged and whole files mixed: each answer is the
    one it gets alone (a strict read that saw another thread's lenient flag
    would read the header-only file as black pixels, not refuse it)."""
    damaged, empty = jpeg_without_eoi(jpeg), png_header_only(300, 200)
    answers: list[str] = []

    def read(data: bytes) -> None:
        try:
            image = open_image(data, LIMITS, target_side=400)
            answers.append("incomplete" if image.info.get(INCOMPLETE) else "whole")
        except FileRefused as exc:
            answers.append(exc.code)

    work = [jpeg, damaged, empty] * 8
    threads = [threading.Thread(target=read, args=(data,)) for data in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == sorted(["whole", "incomplete", "CORRUPT_FILE"] * 8)


SMALL = save(qr_image("https://docseal.example.vn/v#DS1:ABC", box=2), "PNG")
SMALL_JPEG = save(qr_image("https://docseal.example.vn/v#DS1:ABC", box=2), "JPEG", quality=80)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    base=st.sampled_from([SMALL, SMALL_JPEG]),
    cut=st.integers(min_value=0, max_value=4000),
    flips=st.lists(st.tuples(st.integers(0, 4000), st.integers(1, 255)), max_size=4),
)
def test_any_cut_or_flipped_file_gives_gray_pixels_or_a_refusal(
    base: bytes, cut: int, flips: list[tuple[int, int]]
) -> None:
    data = bytearray(base[: max(len(base) - cut, 1)])
    for position, mask in flips:
        if position < len(data):
            data[position] ^= mask
    try:
        image = open_image(bytes(data), LIMITS)
    except FileRefused as exc:
        assert exc.code in {"CORRUPT_FILE", "IMAGE_TOO_LARGE"}
    else:
        assert image.mode == "L" and min(image.size) > 0
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
