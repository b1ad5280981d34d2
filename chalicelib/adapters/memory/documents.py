"""Issued documents and idempotency keys in memory."""

from __future__ import annotations

import threading

from chalicelib.domain.models import DocumentRecord, IdempotencyRecord
from chalicelib.errors import Conflict, ErrorCode, NotFound


class MemoryDocuments:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._documents: dict[str, DocumentRecord] = {}  # in the order they were created
        self._claims: dict[tuple[str, str], IdempotencyRecord] = {}

    def create_document(self, doc: DocumentRecord) -> None:
        with self._lock:
            if doc.id in self._documents:
                raise Conflict(f"document {doc.id} already exists")
            self._documents[doc.id] = doc

    def get_document(self, doc_id: str) -> DocumentRecord | None:
        with self._lock:
            return self._documents.get(doc_id)

    def save_document(self, doc: DocumentRecord, *, expected_status: str | None = None) -> None:
        with self._lock:
            stored = self._documents.get(doc.id)
            if stored is None:
                raise NotFound(f"no document {doc.id}", code=ErrorCode.DOCUMENT_NOT_FOUND)
            if expected_status is not None and stored.status != expected_status:
                raise Conflict(f"document {doc.id} is no longer {expected_status}")
            self._documents[doc.id] = doc

    def list_documents(self, holder_ref: str) -> list[DocumentRecord]:
        with self._lock:
            mine = [d for d in self._documents.values() if d.holder_ref == holder_ref]
        return mine[::-1]

    def list_documents_by_key(self, kid: str) -> list[DocumentRecord]:
        with self._lock:
            signed = [d for d in self._documents.values() if d.kid == kid]
        return sorted(signed, key=lambda d: (d.issued_at, d.id))

    def claim_idempotency(self, record: IdempotencyRecord) -> IdempotencyRecord:
        with self._lock:
            return self._claims.setdefault((record.scope, record.key), record)
