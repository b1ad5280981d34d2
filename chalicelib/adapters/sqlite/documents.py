"""Issued documents and idempotency keys in SQLite."""

from __future__ import annotations

from chalicelib.adapters.records import decode, encode
from chalicelib.adapters.sqlite.db import Database, dumps, loads
from chalicelib.domain.models import DocumentRecord, IdempotencyRecord
from chalicelib.errors import Conflict, ErrorCode, NotFound


class SqliteDocuments:
    def __init__(self, db: Database) -> None:
        self._db = db

    def create_document(self, doc: DocumentRecord) -> None:
        with self._db.tx() as db:
            db.execute(
                "INSERT INTO documents (id, kid, holder_ref, body) VALUES (?, ?, ?, ?)",
                (doc.id, doc.kid, doc.holder_ref, dumps(encode(doc))),
            )

    def get_document(self, doc_id: str) -> DocumentRecord | None:
        body = self._db.one("SELECT body FROM documents WHERE id = ?", doc_id)
        return None if body is None else decode(DocumentRecord, body)

    def save_document(self, doc: DocumentRecord, *, expected_status: str | None = None) -> None:
        with self._db.tx() as db:
            row = db.execute(
                "SELECT json_extract(body, '$.status') FROM documents WHERE id = ?", (doc.id,)
            ).fetchone()
            if row is None:
                raise NotFound(f"no document {doc.id}", code=ErrorCode.DOCUMENT_NOT_FOUND)
            if expected_status is not None and row[0] != expected_status:
                raise Conflict(f"document {doc.id} is no longer {expected_status}")
            db.execute("UPDATE documents SET body = ? WHERE id = ?", (dumps(encode(doc)), doc.id))

    def list_documents_by_key(self, kid: str) -> list[DocumentRecord]:
        rows = self._db.all(
            "SELECT body FROM documents WHERE kid = ? "
            "ORDER BY json_extract(body, '$.issued_at'), id",
            kid,
        )
        return [decode(DocumentRecord, b) for b in rows]

    def list_documents(self, holder_ref: str) -> list[DocumentRecord]:
        rows = self._db.all(
            "SELECT body FROM documents WHERE holder_ref = ? ORDER BY rowid DESC", holder_ref
        )
        return [decode(DocumentRecord, b) for b in rows]

    def claim_idempotency(self, record: IdempotencyRecord) -> IdempotencyRecord:
        with self._db.tx() as db:
            db.execute(
                "INSERT INTO idempotency (scope, key, body) VALUES (?, ?, ?) "
                "ON CONFLICT (scope, key) DO NOTHING",
                (record.scope, record.key, dumps(encode(record))),
            )
            row = db.execute(
                "SELECT body FROM idempotency WHERE scope = ? AND key = ?",
                (record.scope, record.key),
            ).fetchone()
        return decode(IdempotencyRecord, loads(row[0]))
