"""Signing keys in SQLite. The transaction holds the write lock, so "the issuer
has no active key" and the write are one step, and a database written before
this rule needs no migration."""

from __future__ import annotations

import sqlite3

from chalicelib.adapters.records import decode, encode
from chalicelib.adapters.sqlite.db import Database, dumps
from chalicelib.domain.models import SigningKey, claims_active
from chalicelib.errors import Conflict, ErrorCode


class SqliteKeys:
    def __init__(self, db: Database) -> None:
        self._db = db

    def create_key(self, key: SigningKey) -> None:
        with self._db.tx() as db:
            if claims_active(key, None):
                _refuse_second_active(db, key.issuer)
            db.execute(
                "INSERT INTO keys (kid, issuer, status, body) VALUES (?, ?, ?, ?)",
                (key.kid, key.issuer, key.status, dumps(encode(key))),
            )

    def replace_key(self, key: SigningKey, *, expected_status: str) -> None:
        with self._db.tx() as db:
            if claims_active(key, expected_status):
                _refuse_second_active(db, key.issuer)
            cursor = db.execute(
                "UPDATE keys SET status = ?, body = ? WHERE kid = ? AND status = ?",
                (key.status, dumps(encode(key)), key.kid, expected_status),
            )
            if cursor.rowcount != 1:
                raise Conflict(f"key {key.kid} is no longer {expected_status}")

    def get_key(self, kid: str) -> SigningKey | None:
        body = self._db.one("SELECT body FROM keys WHERE kid = ?", kid)
        return None if body is None else decode(SigningKey, body)

    def list_keys(self, issuer: str | None = None) -> list[SigningKey]:
        if issuer is None:
            rows = self._db.all("SELECT body FROM keys ORDER BY issuer, kid")
        else:
            rows = self._db.all("SELECT body FROM keys WHERE issuer = ? ORDER BY kid", issuer)
        return [decode(SigningKey, b) for b in rows]


def _refuse_second_active(db: sqlite3.Connection, issuer: str) -> None:
    row = db.execute(
        "SELECT kid FROM keys WHERE issuer = ? AND status = 'active' LIMIT 1", (issuer,)
    ).fetchone()
    if row is not None:
        raise Conflict(
            f"issuer {issuer} already has an active key ({row[0]})",
            code=ErrorCode.KEY_ALREADY_ACTIVE,
        )
