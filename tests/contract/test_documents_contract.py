"""The contract of documents and the idempotency of their issuance, run
against every adapter (see conftest)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from chalicelib.domain.models import IdempotencyRecord
from chalicelib.errors import Conflict, NotFound
from chalicelib.ports import DocumentRepository, Repositories
from tests.builders import document
from tests.support import T0


@pytest.fixture
def documents(storage: Repositories) -> DocumentRepository:
    return storage.documents


def test_documents_are_never_overwritten(documents: DocumentRepository) -> None:
    documents.create_document(document())
    assert documents.get_document("a" * 26) == document()
    with pytest.raises(Conflict):
        documents.create_document(dataclasses.replace(document(), type="criminal-record"))
    assert documents.get_document("a" * 26) == document()
    assert documents.get_document("b" * 26) is None


def test_idempotency_first_claim_wins(documents: DocumentRepository) -> None:
    first = IdempotencyRecord("ISSUER", "key-1", "hash-a", "a" * 26)
    assert documents.claim_idempotency(first) == first
    second = IdempotencyRecord("ISSUER", "key-1", "hash-b", "b" * 26)
    assert documents.claim_idempotency(second) == first
    other_scope = IdempotencyRecord("OTHER", "key-1", "hash-b", "b" * 26)
    assert documents.claim_idempotency(other_scope) == other_scope


def test_documents_are_listed_by_holder(documents: DocumentRepository) -> None:
    documents.create_document(document("a" * 26))
    documents.create_document(
        dataclasses.replace(document("b" * 26), issued_at=T0 + dt.timedelta(1))
    )
    documents.create_document(dataclasses.replace(document("c" * 26), holder_ref="e" * 64))
    assert [d.id for d in documents.list_documents("f" * 64)] == ["b" * 26, "a" * 26]
    assert documents.list_documents("0" * 64) == []


def test_save_document_changes_status_and_needs_the_document(documents: DocumentRepository) -> None:
    documents.create_document(document())
    documents.save_document(dataclasses.replace(document(), status="revoked", status_reason="x"))
    saved = documents.get_document("a" * 26)
    assert saved is not None and saved.status == "revoked" and saved.status_reason == "x"
    assert [d.status for d in documents.list_documents("f" * 64)] == ["revoked"]
    with pytest.raises(NotFound):
        documents.save_document(document("z" * 26))


def test_save_document_with_an_expected_status_is_conditional(
    documents: DocumentRepository,
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    documents.create_document(document())

    def revoke(reason: str) -> str | None:
        revoked = dataclasses.replace(document(), status="revoked", status_reason=reason)
        try:
            documents.save_document(revoked, expected_status="valid")
        except Conflict:
            return None
        return reason

    with ThreadPoolExecutor(max_workers=8) as pool:
        won = [r for r in pool.map(revoke, [f"reason {i}" for i in range(8)]) if r]
    assert len(won) == 1
    saved = documents.get_document("a" * 26)
    assert saved is not None and saved.status_reason == won[0]
    with pytest.raises(NotFound):
        documents.save_document(document("z" * 26), expected_status="valid")


def test_documents_are_listed_by_signing_key(documents: DocumentRepository) -> None:
    documents.create_document(document("a" * 26))
    documents.create_document(
        dataclasses.replace(document("b" * 26), issued_at=T0 + dt.timedelta(hours=1))
    )
    documents.create_document(document("c" * 26, kid="8899aabbccddeeff"))
    assert [d.id for d in documents.list_documents_by_key("0011223344556677")] == [
        "a" * 26,
        "b" * 26,
    ]
    assert documents.list_documents_by_key("ffffffffffffffff") == []


def test_documents_of_one_second_are_listed_by_id(documents: DocumentRepository) -> None:
    for doc_id in ("m" * 26, "b" * 26, "x" * 26):  # issued in the same second
        documents.create_document(document(doc_id))
    listed = [d.id for d in documents.list_documents_by_key("0011223344556677")]
    assert listed == ["b" * 26, "m" * 26, "x" * 26]
