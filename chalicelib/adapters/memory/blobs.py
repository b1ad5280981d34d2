"""Generated files in memory (``ports.Blobs``): a dict from key to bytes.

Keys are checked by ``domain.blobkeys`` as the directory and S3 adapters
check them, so a key refused there is refused here. As in the directory
adapter, the content type is not kept."""

from __future__ import annotations

import threading

from chalicelib.domain.blobkeys import check_key


class MemoryBlobs:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._blobs: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        check_key(key)
        with self._lock:
            return self._blobs.get(key)

    def put(self, key: str, body: bytes, content_type: str) -> None:
        check_key(key)
        with self._lock:
            self._blobs[key] = bytes(body)
