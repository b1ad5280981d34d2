"""The local stage's file store (``ports.Blobs``): one file per key under a
root directory (``$DOCSEAL_HOME/files``).

Keys are checked by ``domain.blobkeys`` before they touch the filesystem, so
none can leave the root. A write goes to a temporary file in the target's
directory and is moved into place with ``os.replace``: a reader sees the old
bytes or the new ones, never a partial file. The content type is not kept
(the API knows what it serves). Any ``OSError`` other than "no such file" on
reading becomes ``Unavailable``; its message names the operation and the
error, never the key or the path.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from chalicelib.domain.blobkeys import check_key
from chalicelib.errors import Unavailable


def _unavailable(operation: str, exc: OSError) -> Unavailable:
    reason = errno.errorcode.get(exc.errno or 0, type(exc).__name__)
    return Unavailable(f"the local file store failed ({operation}: {reason})")


class LocalBlobs:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root.joinpath(*check_key(key).split("/"))

    def get(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise _unavailable("read", exc) from exc

    def put(self, key: str, body: bytes, content_type: str) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        except OSError as exc:
            raise _unavailable("write", exc) from exc
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(body)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise _unavailable("write", exc) from exc
