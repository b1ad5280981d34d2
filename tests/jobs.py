"""Jobs for the scanning worker that misbehave on purpose, to show that the
worker process contains them (run inside the spawned worker)."""

from __future__ import annotations

import ctypes
import time

from chalicelib.adapters.scan import scan_file
from chalicelib.domain.intake import IntakeLimits, ScanResult


def crash_on_marker(data: bytes, limits: IntakeLimits) -> ScanResult:
    """A real segmentation fault, as zbar has on some images, for files that ask."""
    if data.startswith(b"CRASH"):
        ctypes.string_at(0)
    return scan_file(data, limits)


def hang_on_marker(data: bytes, limits: IntakeLimits) -> ScanResult:
    if data.startswith(b"HANG"):
        time.sleep(3600)
    return scan_file(data, limits)


def hog_memory_on_marker(data: bytes, limits: IntakeLimits) -> ScanResult:
    if data.startswith(b"HOG"):
        blocks = [bytearray(256 * 1024 * 1024) for _ in range(64)]  # 16 GiB
        return ScanResult("png", len(blocks), (), ())
    return scan_file(data, limits)
