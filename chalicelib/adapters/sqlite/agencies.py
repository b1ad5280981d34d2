"""Verifying agencies in SQLite: one row per agency code."""

from __future__ import annotations

from chalicelib.adapters.records import decode, encode
from chalicelib.adapters.sqlite.db import Database, dumps
from chalicelib.domain.officers import Agency


class SqliteAgencies:
    def __init__(self, db: Database) -> None:
        self._db = db

    def create_agency(self, agency: Agency) -> None:
        with self._db.tx() as db:
            db.execute(
                "INSERT INTO agencies (code, body) VALUES (?, ?)",
                (agency.code, dumps(encode(agency))),
            )

    def get_agency(self, code: str) -> Agency | None:
        body = self._db.one("SELECT body FROM agencies WHERE code = ?", code)
        return None if body is None else decode(Agency, body)

    def list_agencies(self) -> list[Agency]:
        return [decode(Agency, b) for b in self._db.all("SELECT body FROM agencies ORDER BY code")]
