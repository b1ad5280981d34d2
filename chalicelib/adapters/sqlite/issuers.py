"""Issuers in SQLite: one row per issuer code."""

from __future__ import annotations

from chalicelib.adapters.records import decode, encode
from chalicelib.adapters.sqlite.db import Database, dumps
from chalicelib.domain.models import Issuer


class SqliteIssuers:
    def __init__(self, db: Database) -> None:
        self._db = db

    def create_issuer(self, issuer: Issuer) -> None:
        with self._db.tx() as db:
            db.execute(
                "INSERT INTO issuers (code, body) VALUES (?, ?)",
                (issuer.code, dumps(encode(issuer))),
            )

    def save_issuer(self, issuer: Issuer) -> None:
        with self._db.tx() as db:
            db.execute(
                "INSERT INTO issuers (code, body) VALUES (?, ?) "
                "ON CONFLICT (code) DO UPDATE SET body = excluded.body",
                (issuer.code, dumps(encode(issuer))),
            )

    def get_issuer(self, code: str) -> Issuer | None:
        body = self._db.one("SELECT body FROM issuers WHERE code = ?", code)
        return None if body is None else decode(Issuer, body)

    def list_issuers(self) -> list[Issuer]:
        return [decode(Issuer, b) for b in self._db.all("SELECT body FROM issuers ORDER BY code")]
