"""The SQLite file every local repository shares: schema, transactions, codec.

Each record is a JSON body (``adapters.records``, bytes as ``{"$b64": ...}``)
plus the columns its queries need. A connection is opened per operation (the
local server is threaded; SQLite in WAL mode handles concurrent readers and
serialises writers), so nothing is shared between threads. Every transaction
takes the write lock at once (``BEGIN IMMEDIATE``), so a check and the write
after it are one step; a key collision becomes ``Conflict`` and every other
``sqlite3.Error`` ``Unavailable``.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from chalicelib.errors import Conflict, Unavailable

SCHEMA_VERSION = 6  # 2 type_notes, 3 links/views/hits, 4 audit, 5 doc_types,
# 6 agencies/officers (each step idempotent: CREATE ... IF NOT EXISTS)

SCHEMA = """
CREATE TABLE IF NOT EXISTS issuers (code TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS keys (
    kid TEXT PRIMARY KEY, issuer TEXT NOT NULL, status TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS keys_by_issuer ON keys (issuer);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, kid TEXT NOT NULL, holder_ref TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS documents_by_kid ON documents (kid);
CREATE INDEX IF NOT EXISTS documents_by_holder ON documents (holder_ref);
CREATE TABLE IF NOT EXISTS identities (holder_ref TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS idempotency (
    scope TEXT NOT NULL, key TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (scope, key));
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS links (
    id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, holder_ref TEXT NOT NULL,
    expires_at TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS links_by_holder ON links (holder_ref);
CREATE TABLE IF NOT EXISTS link_views (
    link_id TEXT NOT NULL, at TEXT NOT NULL, expires_at TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS views_by_link ON link_views (link_id);
CREATE TABLE IF NOT EXISTS hits (bucket TEXT PRIMARY KEY, count INTEGER NOT NULL,
    expires_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit (seq INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS doc_types (code TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS type_notes (
    doc_type TEXT PRIMARY KEY, note_vi TEXT NOT NULL, note_en TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS agencies (code TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS officers (
    subject TEXT PRIMARY KEY, agency TEXT NOT NULL, status TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS officers_by_agency ON officers (agency, subject);
"""


def stamp(when: dt.datetime) -> str:
    """A time as the expiry columns hold it (UTC, seconds, comparable as text)."""
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def dumps(body: dict[str, Any]) -> str:
    def encode(value: Any) -> Any:
        if isinstance(value, bytes):
            return {"$b64": base64.b64encode(value).decode("ascii")}
        raise TypeError(type(value).__name__)

    return json.dumps(body, default=encode, ensure_ascii=False, sort_keys=True)


def loads(text: str) -> dict[str, Any]:
    def decode(obj: dict[str, Any]) -> Any:
        if set(obj) == {"$b64"}:
            return base64.b64decode(obj["$b64"])
        return obj

    data = json.loads(text, object_hook=decode)
    assert isinstance(data, dict)
    return data


class Database:
    """One SQLite file, its schema made (idempotently) when opened."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
            try:
                db.execute("PRAGMA journal_mode=WAL")
                db.executescript(SCHEMA)
                db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            finally:
                db.close()
        except sqlite3.Error as exc:
            raise Unavailable(f"the local database cannot be opened: {exc}") from exc

    @contextlib.contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """A write transaction on a connection of its own."""
        try:
            db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        except sqlite3.Error as exc:
            raise Unavailable(f"the local database cannot be opened: {exc}") from exc
        try:
            db.execute("BEGIN IMMEDIATE")
            yield db
            db.execute("COMMIT")
        except sqlite3.IntegrityError as exc:
            db.execute("ROLLBACK")
            raise Conflict("a record with this key already exists") from exc
        except sqlite3.Error as exc:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise Unavailable(f"the local database failed: {exc}") from exc
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        finally:
            db.close()

    def one(self, sql: str, *args: Any) -> dict[str, Any] | None:
        """The body of the first row ``sql`` selects, or None."""
        with self.tx() as db:
            row = db.execute(sql, args).fetchone()
        return None if row is None else loads(row[0])

    def all(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        """The bodies of every row ``sql`` selects."""
        with self.tx() as db:
            rows = db.execute(sql, args).fetchall()
        return [loads(r[0]) for r in rows]

    @staticmethod
    def sweep(db: sqlite3.Connection, now: dt.datetime) -> None:
        """What a TTL would have removed by ``now`` (SQLite has none)."""
        when = stamp(now)
        db.execute("DELETE FROM links WHERE expires_at < ?", (when,))
        db.execute("DELETE FROM link_views WHERE expires_at < ?", (when,))
        db.execute("DELETE FROM hits WHERE expires_at < ?", (when,))
