"""Live document and identity status for the verifier, read from storage."""

from __future__ import annotations

from chalicelib.domain.claims import SignedDocument
from chalicelib.domain.idnumber import holder_ref
from chalicelib.domain.models import IdentityStatus
from chalicelib.domain.verify import DocumentState
from chalicelib.ports import DocumentRepository, IdentityRepository


class StoreStatusSource:
    def __init__(
        self, documents: DocumentRepository, identities: IdentityRepository, pepper: bytes
    ) -> None:
        self._documents = documents
        self._identities = identities
        self._pepper = pepper

    knows_identities = True

    def document_state(self, doc: SignedDocument) -> DocumentState | None:
        record = self._documents.get_document(doc.id)
        if record is None:
            return None
        return DocumentState(record.status, record.status_reason, record.successor)

    def identity_status(self, id_number: str) -> IdentityStatus | None:
        if not (len(id_number) == 12 and id_number.isascii() and id_number.isdigit()):
            return None
        record = self._identities.get_identity(holder_ref(id_number, self._pepper))
        return None if record is None else record.status
