"""Identity records in SQLite: one row per holder reference, upserted."""

from __future__ import annotations

from collections.abc import Sequence

from chalicelib.adapters.records import decode, encode
from chalicelib.adapters.sqlite.db import Database, dumps
from chalicelib.domain.models import IdentityRecord


class SqliteIdentities:
    def __init__(self, db: Database) -> None:
        self._db = db

    def put_identities(self, records: Sequence[IdentityRecord]) -> None:
        with self._db.tx() as db:
            db.executemany(
                "INSERT INTO identities (holder_ref, body) VALUES (?, ?) "
                "ON CONFLICT (holder_ref) DO UPDATE SET body = excluded.body",
                [(r.holder_ref, dumps(encode(r))) for r in records],
            )

    def get_identity(self, holder_ref: str) -> IdentityRecord | None:
        body = self._db.one("SELECT body FROM identities WHERE holder_ref = ?", holder_ref)
        return None if body is None else decode(IdentityRecord, body)
