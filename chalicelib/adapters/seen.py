"""A set of keys kept on disk, for streaming work whose memory must stay
bounded however large the input (duplicate rows in a 2 GB identity CSV)."""

from __future__ import annotations

import sqlite3
import tempfile
from types import TracebackType


class DiskSeen:
    """``remember(key, value)`` returns the value stored earlier for ``key``
    (None the first time). A temporary SQLite file, deleted on close."""

    def __init__(self) -> None:
        self._file = tempfile.NamedTemporaryFile(suffix=".seen.sqlite3")
        self._db = sqlite3.connect(self._file.name, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("CREATE TABLE seen (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        self._db.execute("BEGIN")

    def remember(self, key: str, value: str) -> str | None:
        row = self._db.execute("SELECT value FROM seen WHERE key = ?", (key,)).fetchone()
        if row is not None:
            return str(row[0])
        self._db.execute("INSERT INTO seen (key, value) VALUES (?, ?)", (key, value))
        return None

    def close(self) -> None:
        self._db.close()
        self._file.close()

    def __enter__(self) -> DiskSeen:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
