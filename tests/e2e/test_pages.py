"""The verification page in a real headless Chromium against a real server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from tests.e2e.browser import demo_server, dom, screenshot

GREEN = (0x1E, 0x7A, 0x35)
RED = (0xB3, 0x26, 0x1E)


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, dict[str, str]]]:
    with demo_server() as (base, texts, _folder):
        yield base, texts


def verdict_area(page: str) -> str:
    """The rendered result, without the page's own script text."""
    start = page.index('id="result"')
    return page[start : page.index("<form", start)]


def colour_share(path: Path, rgb: tuple[int, int, int]) -> float:
    image = Image.open(path).convert("RGB")
    pixels = list(image.get_flattened_data())
    close = sum(1 for p in pixels if all(abs(a - b) < 12 for a, b in zip(p, rgb, strict=True)))
    return close / len(pixels)


def test_phone_camera_link_shows_valid_verdict(
    server: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    _base, texts = server
    page = verdict_area(dom(texts["birth-registration"]))  # the URL the QR code holds
    assert "✔ HỢP LỆ (VALID)" in page and "KHÔNG HỢP LỆ" not in page
    assert "Nguyễn Thị Hồng Nhung" in page
    assert "********2345" in page and "001325012345" not in page
    assert "14/03/2025" in page
    assert "Ủy ban nhân dân phường Dịch Vọng Hậu (có thẩm quyền cấp loại này)" in page
    shot = screenshot(texts["birth-registration"], tmp_path / "valid.png")
    assert colour_share(shot, GREEN) > 0.001 and colour_share(shot, RED) == 0


def test_damaged_code_shows_invalid_with_reason(
    server: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    _base, texts = server
    damaged = texts["criminal-record"][:-12] + "A" * 12
    page = verdict_area(dom(damaged))
    assert "✘ KHÔNG HỢP LỆ (INVALID)" in page
    assert "Mã QR không đọc được thành kết quả docseal" in page
    shot = screenshot(damaged, tmp_path / "invalid.png")
    assert colour_share(shot, RED) > 0.001 and colour_share(shot, GREEN) == 0


def test_home_page_has_the_paste_form(server: tuple[str, dict[str, str]]) -> None:
    base, _texts = server
    page = dom(base + "/")
    assert '<html lang="vi">' in page
    assert 'id="qr"' in page and "Kiểm tra" in page
