"""The keys generated files are kept under (``ports.Blobs``), checked the same
way by every adapter.

A key is a relative path: segments of ``[A-Za-z0-9_.-]`` joined by single
``/``, with no ``.`` or ``..`` segment and no ``..`` anywhere. On disk such a
key cannot leave the root directory, and on S3 it names the same object the
directory adapter would name (no empty or ``.`` segments that a filesystem
would fold away), so both adapters keep one set of keys.
"""

from __future__ import annotations

import re

from chalicelib.errors import BadRequest

MAX_KEY_LENGTH = 512  # well under S3's 1024 bytes and common path limits
_SEGMENT = re.compile(r"[A-Za-z0-9_.-]+")


def check_key(key: str) -> str:
    """``key`` itself if it is a valid blob key; otherwise ``BadRequest``."""
    if not isinstance(key, str) or not key or len(key) > MAX_KEY_LENGTH:
        raise BadRequest("a file key must be 1 to 512 characters")
    if ".." in key:
        raise BadRequest("a file key may not contain '..'")
    for segment in key.split("/"):
        # An empty segment is a leading, trailing or doubled "/".
        if segment in ("", ".") or not _SEGMENT.fullmatch(segment):
            raise BadRequest(
                "a file key is '/'-separated segments of letters, digits, '_', '.' and '-'"
            )
    return key
