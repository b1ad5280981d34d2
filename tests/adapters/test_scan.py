"""Reading QR codes from awkward and hostile files (real images, real PDFs)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from chalicelib.adapters.scan import scan_file
from chalicelib.adapters.scan_worker import IsolatedScanner
from chalicelib.domain.intake import IntakeLimits, sniff
from chalicelib.errors import FileRefused
from tests.files import write_all

VALID = "https://docseal.example.vn/v#DS1:" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" * 12
OTHER = "https://docseal.example.vn/v#DS1:" + "QRSTUVWXYZ234567ABCDEFGHIJKLMNOP" * 11


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_all(tmp_path_factory.mktemp("files"), VALID, OTHER)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("empty.png", "CORRUPT_FILE"),
        ("huge_100000x100000.png", "IMAGE_TOO_LARGE"),
        ("zero_width.png", "CORRUPT_FILE"),
        ("text_chunk_bomb.png", "CORRUPT_FILE"),
        ("animated.gif", "UNSUPPORTED_FILE"),
        ("drawing.svg", "UNSUPPORTED_FILE"),
        ("photo.heic", "UNSUPPORTED_FILE"),
        ("pages_500.pdf", "TOO_MANY_PAGES"),
        ("encrypted.pdf", "CORRUPT_FILE"),
        ("broken.pdf", "CORRUPT_FILE"),
    ],
)
def test_refused_quickly_with_its_code(files: dict[str, Path], name: str, code: str) -> None:
    started = time.monotonic()
    with pytest.raises(FileRefused) as info:
        scan_file(files[name].read_bytes())
    assert info.value.code == code
    assert time.monotonic() - started < 5  # refused up front, not after decoding


@pytest.mark.parametrize(
    "name",
    [
        "clean.png",
        "cmyk.jpg",
        "sixteen_bit.png",
        "transparent.png",
        "exif_rotated.jpg",
        "webp.webp",
        "qr_on_page_2.pdf",
    ],
)
def test_awkward_but_valid_files_are_read_exactly(files: dict[str, Path], name: str) -> None:
    result = scan_file(files[name].read_bytes())
    assert [c.text for c in result.codes] == [VALID]


def test_two_codes_on_one_image(files: dict[str, Path]) -> None:
    result = scan_file(files["two_codes.png"].read_bytes())
    assert sorted(c.text or "" for c in result.codes) == sorted([VALID, OTHER])


def test_page_number_is_reported_for_pdfs(files: dict[str, Path]) -> None:
    result = scan_file(files["qr_on_page_2.pdf"].read_bytes())
    assert result.pages == 2 and [c.page for c in result.codes] == [2]


def test_no_qr_gives_a_hint(files: dict[str, Path]) -> None:
    result = scan_file(files["no_qr.png"].read_bytes())
    assert result.codes == () and result.hint == "cropped_or_absent"


def test_non_utf8_bytes_come_back_exact(files: dict[str, Path]) -> None:
    result = scan_file(files["non_utf8.png"].read_bytes())
    assert [c.data for c in result.codes] == [bytes([0xFF, 0xFE, 0x80, 0x41, 0xC3])]
    assert result.codes[0].text == "ÿþ\x80AÃ" and not result.has_docseal  # as ISO-8859-1


def test_structured_append_parts_are_read_without_error(files: dict[str, Path]) -> None:
    for number in (1, 2, 3):
        result = scan_file(files[f"structured_append_{number}.png"].read_bytes())
        assert result.codes and not result.has_docseal


def test_file_size_limit() -> None:
    with pytest.raises(FileRefused) as info:
        scan_file(b"\x89PNG\r\n\x1a\n" + b"\0" * 2000, IntakeLimits(max_file_bytes=1000))
    assert info.value.code == "FILE_TOO_LARGE"


def test_time_limit_refuses_with_decode_timeout(files: dict[str, Path]) -> None:
    with pytest.raises(FileRefused) as info:
        scan_file(files["noise_no_qr.png"].read_bytes(), IntakeLimits(seconds=0))
    assert info.value.code == "DECODE_TIMEOUT"


def test_magic_bytes_decide_the_format(files: dict[str, Path]) -> None:
    assert sniff(files["cmyk.jpg"].read_bytes()) == "jpeg"
    assert sniff(files["webp.webp"].read_bytes()) == "webp"
    assert sniff(files["drawing.svg"].read_bytes()) == "svg"
    assert sniff(b"not an image") is None


@pytest.fixture
def worker() -> Iterator[IsolatedScanner]:
    scanner = IsolatedScanner(IntakeLimits(seconds=2), job="tests.jobs:crash_on_marker")
    yield scanner
    scanner.close()


def test_a_crash_in_the_worker_costs_one_file(
    worker: IsolatedScanner, files: dict[str, Path]
) -> None:
    clean = files["clean.png"].read_bytes()
    assert [c.text for c in worker.scan(clean).codes] == [VALID]
    with pytest.raises(FileRefused) as info:
        worker.scan(b"CRASH")
    assert info.value.code == "CORRUPT_FILE"
    assert [c.text for c in worker.scan(clean).codes] == [VALID]  # a new worker took over


def test_a_hang_is_cut_off_and_the_next_file_works(files: dict[str, Path]) -> None:
    scanner = IsolatedScanner(IntakeLimits(seconds=1), job="tests.jobs:hang_on_marker")
    try:
        scanner.scan(files["clean.png"].read_bytes())  # warm the worker up
        started = time.monotonic()
        with pytest.raises(FileRefused) as info:
            scanner.scan(b"HANG")
        assert info.value.code == "DECODE_TIMEOUT"
        assert time.monotonic() - started < 10
        assert scanner.scan(files["clean.png"].read_bytes()).codes
    finally:
        scanner.close()


def test_a_memory_bomb_hits_the_workers_limit(files: dict[str, Path]) -> None:
    scanner = IsolatedScanner(job="tests.jobs:hog_memory_on_marker", memory_bytes=1024**3)
    try:
        with pytest.raises(FileRefused) as info:
            scanner.scan(b"HOG")
        assert info.value.code == "IMAGE_TOO_LARGE"
        assert scanner.scan(files["clean.png"].read_bytes()).codes
    finally:
        scanner.close()


def test_real_worker_reads_real_files(files: dict[str, Path]) -> None:
    scanner = IsolatedScanner()
    try:
        assert [c.text for c in scanner.scan(files["exif_rotated.jpg"].read_bytes()).codes] == [
            VALID
        ]
        with pytest.raises(FileRefused) as info:
            scanner.scan(files["huge_100000x100000.png"].read_bytes())
        assert info.value.code == "IMAGE_TOO_LARGE"
        assert "zxing-cpp" in scanner.decoders()
    finally:
        scanner.close()
