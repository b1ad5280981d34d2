"""The embedded default store: one SQLite file under ``DOCSEAL_HOME``.

Each record is a JSON body plus the columns its queries need. A connection is
opened per operation (the local server is threaded; SQLite in WAL mode handles
concurrent readers and serialises writers), so nothing is shared between
threads. Creation is conditional (primary keys; for keys also "no other active
key of the issuer", checked under the write lock), the key status change is a
compare-and-set, and every ``sqlite3.Error`` other than a key collision
becomes ``Unavailable``.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime as dt
import json
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from chalicelib.adapters import records as rec
from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.catalogue import DocType
from chalicelib.domain.models import (
    DocumentRecord,
    IdempotencyRecord,
    IdentityRecord,
    Issuer,
    LinkView,
    ShareLink,
    SigningKey,
)
from chalicelib.errors import Conflict, NotFound, Unavailable

SCHEMA_VERSION = 5  # 2 type_notes, 3 links/views/hits, 4 audit, 5 doc_types (idempotent)
# A link's record (and its views) outlive its expiry by this much, so the
# citizen still sees a recently expired link and who opened it.
LINK_RETENTION = dt.timedelta(days=30)


def _stamp(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


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

    # Keys: _tx holds the write lock (BEGIN IMMEDIATE), so "the issuer has no
    # active key" and the write are one step, and a database written before
    # this rule needs no migration.
    def create_key(self, key: SigningKey) -> None:
        with self._tx() as db:
            if key.status == "active":
                self._refuse_second_active(db, key.issuer)
            db.execute(
                "INSERT INTO keys (kid, issuer, status, body) VALUES (?, ?, ?, ?)",
                (key.kid, key.issuer, key.status, _dumps(rec.key_to(key))),
            )

    @staticmethod
    def _refuse_second_active(db: sqlite3.Connection, issuer: str) -> None:
        row = db.execute(
            "SELECT kid FROM keys WHERE issuer = ? AND status = 'active' LIMIT 1", (issuer,)
        ).fetchone()
        if row is not None:
            raise Conflict(
                f"issuer {issuer} already has an active key ({row[0]})", code="KEY_ALREADY_ACTIVE"
            )

    def replace_key(self, key: SigningKey, *, expected_status: str) -> None:
        with self._tx() as db:
            if key.status == "active" and expected_status != "active":
                self._refuse_second_active(db, key.issuer)
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

    def save_document(self, doc: DocumentRecord, *, expected_status: str | None = None) -> None:
        with self._tx() as db:
            row = db.execute(
                "SELECT json_extract(body, '$.status') FROM documents WHERE id = ?", (doc.id,)
            ).fetchone()
            if row is None:
                raise NotFound(f"no document {doc.id}", code="DOCUMENT_NOT_FOUND")
            if expected_status is not None and row[0] != expected_status:
                raise Conflict(f"document {doc.id} is no longer {expected_status}")
            db.execute(
                "UPDATE documents SET body = ? WHERE id = ?", (_dumps(rec.document_to(doc)), doc.id)
            )

    def list_documents_by_key(self, kid: str) -> list[DocumentRecord]:
        rows = self._all(
            "SELECT body FROM documents WHERE kid = ? "
            "ORDER BY json_extract(body, '$.issued_at'), id",
            kid,
        )
        return [rec.document_from(b) for b in rows]

    def list_documents(self, holder_ref: str) -> list[DocumentRecord]:
        rows = self._all(
            "SELECT body FROM documents WHERE holder_ref = ? ORDER BY rowid DESC", holder_ref
        )
        return [rec.document_from(b) for b in rows]

    # Share links: expired records are swept on writes (SQLite has no TTL)
    def create_link(self, link: ShareLink) -> None:
        with self._tx() as db:
            self._sweep(db, link.created_at)
            db.execute(
                "INSERT INTO links (id, token_hash, holder_ref, expires_at, body) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    link.id,
                    link.token_hash,
                    link.holder_ref,
                    _stamp(link.expires_at + LINK_RETENTION),
                    _dumps(rec.link_to(link)),
                ),
            )

    def get_link(self, link_id: str) -> ShareLink | None:
        body = self._one("SELECT body FROM links WHERE id = ?", link_id)
        return None if body is None else rec.link_from(body)

    def find_link(self, token_hash: str) -> ShareLink | None:
        body = self._one("SELECT body FROM links WHERE token_hash = ?", token_hash)
        return None if body is None else rec.link_from(body)

    def list_links(self, holder_ref: str) -> list[ShareLink]:
        rows = self._all(
            "SELECT body FROM links WHERE holder_ref = ? ORDER BY rowid DESC", holder_ref
        )
        return [rec.link_from(b) for b in rows]

    def claim_view(self, link_id: str, now: dt.datetime) -> ShareLink | None:
        with self._tx() as db:
            # _tx holds the write lock (BEGIN IMMEDIATE): the check and the count are one step
            row = db.execute("SELECT body FROM links WHERE id = ?", (link_id,)).fetchone()
            link = None if row is None else rec.link_from(_loads(row[0]))
            if link is None or not link.usable(now):
                return None
            counted = dataclasses.replace(link, views=link.views + 1)
            db.execute(
                "UPDATE links SET body = ? WHERE id = ?", (_dumps(rec.link_to(counted)), link_id)
            )
        return counted

    def revoke_link(self, link_id: str, now: dt.datetime) -> None:
        with self._tx() as db:
            row = db.execute("SELECT body FROM links WHERE id = ?", (link_id,)).fetchone()
            if row is not None:
                link = rec.link_from(_loads(row[0]))
                if link.revoked_at is None:
                    revoked = dataclasses.replace(link, revoked_at=now)
                    db.execute(
                        "UPDATE links SET body = ? WHERE id = ?",
                        (_dumps(rec.link_to(revoked)), link_id),
                    )

    def add_view(self, view: LinkView) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO link_views (link_id, at, expires_at, body) VALUES (?, ?, ?, ?)",
                (
                    view.link_id,
                    _stamp(view.at),
                    _stamp(view.at + LINK_RETENTION + dt.timedelta(days=30)),
                    _dumps(rec.view_to(view)),
                ),
            )

    def list_views(self, link_id: str) -> list[LinkView]:
        rows = self._all(
            "SELECT body FROM link_views WHERE link_id = ? ORDER BY at DESC, rowid DESC", link_id
        )
        return [rec.view_from(b) for b in rows]

    def append_audit(self, entry: AuditEntry) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO audit (seq, body) VALUES (?, ?)",
                (entry.seq, _dumps(rec.audit_to(entry))),
            )

    def last_audit(self) -> AuditEntry | None:
        body = self._one("SELECT body FROM audit ORDER BY seq DESC LIMIT 1")
        return None if body is None else rec.audit_from(body)

    def list_audit(self, after: int = 0, limit: int = 100) -> list[AuditEntry]:
        rows = self._all(
            "SELECT body FROM audit WHERE seq > ? ORDER BY seq LIMIT ?", after, max(0, limit)
        )
        return [rec.audit_from(b) for b in rows]

    def count_hit(self, bucket: str, expires_at: dt.datetime) -> int:
        with self._tx() as db:
            # buckets are short windows: one that ended an hour before this one is dead
            db.execute(
                "DELETE FROM hits WHERE expires_at < ?",
                (_stamp(expires_at - dt.timedelta(hours=1)),),
            )
            row = db.execute(
                "INSERT INTO hits (bucket, count, expires_at) VALUES (?, 1, ?) "
                "ON CONFLICT (bucket) DO UPDATE SET count = count + 1 RETURNING count",
                (bucket, _stamp(expires_at)),
            ).fetchone()
        return int(row[0])

    @staticmethod
    def _sweep(db: sqlite3.Connection, now: dt.datetime) -> None:
        """What a TTL would have removed by ``now``."""
        stamp = _stamp(now)
        db.execute("DELETE FROM links WHERE expires_at < ?", (stamp,))
        db.execute("DELETE FROM link_views WHERE expires_at < ?", (stamp,))
        db.execute("DELETE FROM hits WHERE expires_at < ?", (stamp,))

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
    def save_doc_type(self, doc_type: DocType) -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO doc_types (code, body) VALUES (?, ?) "
                "ON CONFLICT (code) DO UPDATE SET body = excluded.body",
                (doc_type.code, _dumps(rec.doc_type_to(doc_type))),
            )

    def list_doc_types(self) -> list[DocType]:
        return [rec.doc_type_from(b) for b in self._all("SELECT body FROM doc_types ORDER BY code")]

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
