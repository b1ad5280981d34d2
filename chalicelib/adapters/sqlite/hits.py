"""Rate-limit counts in SQLite: one row per bucket, dropped once long dead."""

from __future__ import annotations

import datetime as dt

from chalicelib.adapters.sqlite.db import Database, stamp


class SqliteHits:
    def __init__(self, db: Database) -> None:
        self._db = db

    def count_hit(self, bucket: str, expires_at: dt.datetime) -> int:
        with self._db.tx() as db:
            # buckets are short windows: one that ended an hour before this one is dead
            db.execute(
                "DELETE FROM hits WHERE expires_at < ?",
                (stamp(expires_at - dt.timedelta(hours=1)),),
            )
            row = db.execute(
                "INSERT INTO hits (bucket, count, expires_at) VALUES (?, 1, ?) "
                "ON CONFLICT (bucket) DO UPDATE SET count = count + 1 RETURNING count",
                (bucket, stamp(expires_at)),
            ).fetchone()
        return int(row[0])
