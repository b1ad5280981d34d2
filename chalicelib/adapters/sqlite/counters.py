"""Named counters in SQLite, incremented in one statement."""

from __future__ import annotations

from chalicelib.adapters.sqlite.db import Database


class SqliteCounters:
    def __init__(self, db: Database) -> None:
        self._db = db

    def next_counter(self, name: str) -> int:
        with self._db.tx() as db:
            row = db.execute(
                "INSERT INTO counters (name, value) VALUES (?, 0) "
                "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value",
                (name,),
            ).fetchone()
        return int(row[0])
