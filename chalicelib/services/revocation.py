"""Revoking a document: final, first reason kept, on the audit trail under
the ``actor`` the door names."""

from __future__ import annotations

import dataclasses

from chalicelib.domain import claims
from chalicelib.domain.models import DocumentRecord
from chalicelib.errors import Conflict, ErrorCode, NotFound, ValidationFailed
from chalicelib.ports import DocumentRepository
from chalicelib.services.audit import AuditLog

MAX_REASON = 200  # characters of a revocation reason, as for keys


class RevocationService:
    def __init__(self, documents: DocumentRepository, audit: AuditLog) -> None:
        self._documents = documents
        self._audit = audit

    def document(self, doc_id: str) -> DocumentRecord | None:
        """A stored document, or None (also for text that is no document id).
        No access check: the caller decides who may act on it."""
        return self._documents.get_document(doc_id) if claims.is_doc_id(doc_id) else None

    def revoke_document(self, doc_id: str, reason: str = "", *, actor: str) -> DocumentRecord:
        """Revoke a document: every later verification says DOCUMENT_REVOKED.
        A revocation is final: revoking again is ``ALREADY_REVOKED`` and the
        first reason stays (the write is conditional, so of two at once one wins).
        A reason over ``MAX_REASON`` characters is refused (``INVALID_FIELD_VALUE``),
        never cut: it is what verifiers are told."""
        why = reason.strip()
        if len(why) > MAX_REASON:
            raise ValidationFailed(
                f"a reason is at most {MAX_REASON} characters", code=ErrorCode.INVALID_FIELD_VALUE
            )
        for _attempt in range(3):  # a status changes at most twice: valid, superseded, revoked
            record = self._documents.get_document(doc_id)
            if record is None:
                raise NotFound("no such document", code=ErrorCode.DOCUMENT_NOT_FOUND)
            if record.status == "revoked":
                raise Conflict(
                    f"document {doc_id} is already revoked", code=ErrorCode.ALREADY_REVOKED
                )
            revoked = dataclasses.replace(record, status="revoked", status_reason=why)
            try:
                self._documents.save_document(revoked, expected_status=record.status)
                break
            except Conflict:
                continue  # its status changed since it was read: look again
        else:
            raise Conflict(f"document {doc_id} kept changing; try again")
        self._audit.record(actor, "document.revoke", doc_id, {"reason": revoked.status_reason})
        return revoked
