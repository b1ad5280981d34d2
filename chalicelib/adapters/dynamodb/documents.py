"""Issued documents and idempotency keys in DynamoDB.

Items: the document ``DOC#{id}`` / ``A`` (``gsi1``: ``DOCS#KID#{kid}`` /
``{issued_at}#{id}``, its documents by key for re-issuing); the holder's
index entry ``HOLDER#{holder_ref}`` / ``{issued_at}#{id}#{id}`` ("my
documents" without a scan), written with it in one transaction; and
``IDEM#{scope}#{key}`` / ``A`` (scope is an issuer code, no ``#``).
"""

from __future__ import annotations

from typing import Any

from chalicelib.adapters.dynamodb.table import SK, ConditionFailed, Table, to_item
from chalicelib.adapters.records import decode, encode
from chalicelib.domain.models import DocumentRecord, IdempotencyRecord
from chalicelib.errors import Conflict, ErrorCode, NotFound, Unavailable


def _item(doc: DocumentRecord) -> dict[str, Any]:
    body = encode(doc)
    return to_item(
        "document",
        f"DOC#{doc.id}",
        SK,
        body,
        gsi1pk=f"DOCS#KID#{doc.kid}",
        gsi1sk=f"{body['issued_at']}#{doc.id}",  # one second can hold several documents
    )


class DynamoDocuments:
    def __init__(self, table: Table) -> None:
        self.table = table

    def create_document(self, doc: DocumentRecord) -> None:
        item = _item(doc)
        index = to_item(
            "holder-doc", f"HOLDER#{doc.holder_ref}", f"{item['gsi1sk']['S']}#{doc.id}", {}
        )
        self.table.create_all([item, index], f"document {doc.id} already exists")

    def save_document(self, doc: DocumentRecord, *, expected_status: str | None = None) -> None:
        condition: dict[str, Any] = {"ConditionExpression": "attribute_exists(pk)"}
        if expected_status is not None:
            condition = {
                "ConditionExpression": "attribute_exists(pk) AND #status = :expected",
                "ExpressionAttributeNames": {"#status": "status"},
                "ExpressionAttributeValues": {":expected": {"S": expected_status}},
            }
        try:
            self.table.conditional(
                "put_item", TableName=self.table.name, Item=_item(doc), **condition
            )
        except ConditionFailed as exc:
            if expected_status is not None and self.get_document(doc.id) is not None:
                raise Conflict(f"document {doc.id} is no longer {expected_status}") from exc
            raise NotFound(f"no document {doc.id}", code=ErrorCode.DOCUMENT_NOT_FOUND) from exc

    def list_documents_by_key(self, kid: str) -> list[DocumentRecord]:
        return [decode(DocumentRecord, b) for b in self.table.index(f"DOCS#KID#{kid}")]

    def list_documents(self, holder_ref: str) -> list[DocumentRecord]:
        entries = self.table.partition(f"HOLDER#{holder_ref}", newest_first=True)
        found = [self.get_document(str(e["sk"]).rsplit("#", 1)[1]) for e in entries]
        return [d for d in found if d is not None]

    def get_document(self, doc_id: str) -> DocumentRecord | None:
        body = self.table.get(f"DOC#{doc_id}")
        return None if body is None else decode(DocumentRecord, body)

    def claim_idempotency(self, record: IdempotencyRecord) -> IdempotencyRecord:
        pk = f"IDEM#{record.scope}#{record.key}"
        item = to_item("idempotency", pk, SK, encode(record))
        try:
            self.table.create(item, "idempotency key")
        except Conflict:
            stored = self.table.get(pk)
            if stored is None:  # the winner's record cannot vanish; do not guess
                raise Unavailable("the idempotency record could not be read back") from None
            return decode(IdempotencyRecord, stored)
        return record
