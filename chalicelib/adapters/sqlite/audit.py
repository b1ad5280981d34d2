"""The audit trail in SQLite: one row per sequence number."""

from __future__ import annotations

from chalicelib.adapters.records import decode, encode
from chalicelib.adapters.sqlite.db import Database, dumps
from chalicelib.domain.audit import AuditEntry


class SqliteAudit:
    def __init__(self, db: Database) -> None:
        self._db = db

    def append_audit(self, entry: AuditEntry) -> None:
        with self._db.tx() as db:
            db.execute(
                "INSERT INTO audit (seq, body) VALUES (?, ?)", (entry.seq, dumps(encode(entry)))
            )

    def last_audit(self) -> AuditEntry | None:
        body = self._db.one("SELECT body FROM audit ORDER BY seq DESC LIMIT 1")
        return None if body is None else decode(AuditEntry, body)

    def list_audit(self, after: int = 0, limit: int = 100) -> list[AuditEntry]:
        rows = self._db.all(
            "SELECT body FROM audit WHERE seq > ? ORDER BY seq LIMIT ?", after, max(0, limit)
        )
        return [decode(AuditEntry, b) for b in rows]
