"""The embedded default store: one SQLite file under ``DOCSEAL_HOME``.

Each record is a JSON body plus the columns its queries need. A connection is
opened per operation (the local server is threaded; SQLite in WAL mode handles
concurrent readers and serialises writers), so nothing is shared between
threads. Creation is conditional (primary keys), the key status change is a
compare-and-set, and every ``sqlite3.Error`` other than a key collision
becomes ``Unavailable``.
"""

from __future__ import annotations

import base64
import contextlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from chalicelib.adapters import records as rec
from chalicelib.domain.models import (
    DocumentRecord,
    IdempotencyRecord,
    IdentityRecord,
    Issuer,
    SigningKey,
)
from chalicelib.errors import Conflict, Unavailable

SCHEMA_VERSION = 2  # 2: type_notes (created by the idempotent SCHEMA on open)
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
CREATE TABLE IF NOT EXISTS type_notes (
    doc_type TEXT PRIMARY KEY, note_vi TEXT NOT NULL, note_en TEXT NOT NULL
);
"""


def _dumps(body: dict[str, Any]) -> str:
    def encode(value: Any) -> Any:
        if isinstance(value, bytes):
            return {"$b64": base64.b64encode(value).decode("ascii")}
        raise TypeError(type(value).__name__)

    return json.dumps(body, default=encode, ensure_ascii=False, sort_keys=True)


def _loads(text: str) -> dict[str, Any]:
    def decode(obj: dict[str, Any]) -> Any:
        if set(obj) == {"$b64"}:
            return base64.b64decode(obj["$b64"])
        return obj

    data = json.loads(text, object_hook=decode)
    assert isinstance(data, dict)
    return data


class SqliteStore:
    backend = "sqlite"

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
    def _tx(self) -> Iterator[sqlite3.Connection]:
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

    def _one(self, sql: str, *args: Any) -> dict[str, Any] | None:
        with self._tx() as db:
            row = db.execute(sql, args).fetchone()
        return None if row is None else _loads(row[0])

    def _all(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        with self._tx() as db:
            rows = db.execute(sql, args).fetchall()
        return [_loads(r[0]) for r in rows]

    # Issuers
    def create_issuer(self, issuer: Issuer) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO issuers (code, body) VALUES (?, ?)",
                (issuer.code, _dumps(rec.issuer_to(issuer))),
            )

    def save_issuer(self, issuer: Issuer) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO issuers (code, body) VALUES (?, ?) "
                "ON CONFLICT (code) DO UPDATE SET body = excluded.body",
                (issuer.code, _dumps(rec.issuer_to(issuer))),
            )

    def get_issuer(self, code: str) -> Issuer | None:
        body = self._one("SELECT body FROM issuers WHERE code = ?", code)
        return None if body is None else rec.issuer_from(body)

    def list_issuers(self) -> list[Issuer]:
        return [rec.issuer_from(b) for b in self._all("SELECT body FROM issuers ORDER BY code")]

    # Keys
    def create_key(self, key: SigningKey) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO keys (kid, issuer, status, body) VALUES (?, ?, ?, ?)",
                (key.kid, key.issuer, key.status, _dumps(rec.key_to(key))),
            )

    def replace_key(self, key: SigningKey, *, expected_status: str) -> None:
        with self._tx() as db:
            cursor = db.execute(
                "UPDATE keys SET status = ?, body = ? WHERE kid = ? AND status = ?",
                (key.status, _dumps(rec.key_to(key)), key.kid, expected_status),
            )
            if cursor.rowcount != 1:
                raise Conflict(f"key {key.kid} is no longer {expected_status}")

    def get_key(self, kid: str) -> SigningKey | None:
        body = self._one("SELECT body FROM keys WHERE kid = ?", kid)
        return None if body is None else rec.key_from(body)

    def list_keys(self, issuer: str | None = None) -> list[SigningKey]:
        if issuer is None:
            rows = self._all("SELECT body FROM keys ORDER BY issuer, kid")
        else:
            rows = self._all("SELECT body FROM keys WHERE issuer = ? ORDER BY kid", issuer)
        return [rec.key_from(b) for b in rows]

    # Documents
    def create_document(self, doc: DocumentRecord) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO documents (id, kid, holder_ref, body) VALUES (?, ?, ?, ?)",
                (doc.id, doc.kid, doc.holder_ref, _dumps(rec.document_to(doc))),
            )

    def get_document(self, doc_id: str) -> DocumentRecord | None:
        body = self._one("SELECT body FROM documents WHERE id = ?", doc_id)
        return None if body is None else rec.document_from(body)

    # Identities
    def put_identities(self, records: Sequence[IdentityRecord]) -> None:
        with self._tx() as db:
            db.executemany(
                "INSERT INTO identities (holder_ref, body) VALUES (?, ?) "
                "ON CONFLICT (holder_ref) DO UPDATE SET body = excluded.body",
                [(r.holder_ref, _dumps(rec.identity_to(r))) for r in records],
            )

    def get_identity(self, holder_ref: str) -> IdentityRecord | None:
        body = self._one("SELECT body FROM identities WHERE holder_ref = ?", holder_ref)
        return None if body is None else rec.identity_from(body)

    # Idempotency
    def claim_idempotency(self, record: IdempotencyRecord) -> IdempotencyRecord:
        with self._tx() as db:
            db.execute(
                "INSERT INTO idempotency (scope, key, body) VALUES (?, ?, ?) "
                "ON CONFLICT (scope, key) DO NOTHING",
                (record.scope, record.key, _dumps(rec.idempotency_to(record))),
            )
            row = db.execute(
                "SELECT body FROM idempotency WHERE scope = ? AND key = ?",
                (record.scope, record.key),
            ).fetchone()
        return rec.idempotency_from(_loads(row[0]))

    # Counters
    def save_type_note(self, doc_type: str, note_vi: str, note_en: str) -> None:
        with self._tx() as db:
            if note_vi or note_en:
                db.execute(
                    "INSERT INTO type_notes (doc_type, note_vi, note_en) VALUES (?, ?, ?) "
                    "ON CONFLICT (doc_type) DO UPDATE SET "
                    "note_vi = excluded.note_vi, note_en = excluded.note_en",
                    (doc_type, note_vi, note_en),
                )
            else:
                db.execute("DELETE FROM type_notes WHERE doc_type = ?", (doc_type,))

    def list_type_notes(self) -> dict[str, tuple[str, str]]:
        with self._tx() as db:
            rows = db.execute("SELECT doc_type, note_vi, note_en FROM type_notes").fetchall()
        return {str(r[0]): (str(r[1]), str(r[2])) for r in rows}

    def next_counter(self, name: str) -> int:
        with self._tx() as db:
            row = db.execute(
                "INSERT INTO counters (name, value) VALUES (?, 0) "
                "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value",
                (name,),
            ).fetchone()
        return int(row[0])
