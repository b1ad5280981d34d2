"""Administrators' document types and the notes per type, in DynamoDB:
``DOCTYPE#{code}`` / ``A`` (``gsi1``: ``DOCTYPES`` / code) and
``TYPENOTE#{type}`` / ``A`` (``gsi1``: ``TYPENOTES`` / type)."""

from __future__ import annotations

from chalicelib.adapters.dynamodb.table import SK, Table, key, to_item
from chalicelib.adapters.records import decode, encode
from chalicelib.domain.catalogue import DocType


class DynamoDocTypes:
    def __init__(self, table: Table) -> None:
        self.table = table

    def save_doc_type(self, doc_type: DocType) -> None:
        self.table.put(
            to_item(
                "doc-type",
                f"DOCTYPE#{doc_type.code}",
                SK,
                encode(doc_type),
                gsi1pk="DOCTYPES",
                gsi1sk=doc_type.code,
            )
        )

    def list_doc_types(self) -> list[DocType]:
        return [decode(DocType, b) for b in self.table.index("DOCTYPES")]

    def save_type_note(self, doc_type: str, note_vi: str, note_en: str) -> None:
        if note_vi or note_en:
            body = {"doc_type": doc_type, "note_vi": note_vi, "note_en": note_en}
            self.table.put(
                to_item(
                    "type-note",
                    f"TYPENOTE#{doc_type}",
                    SK,
                    body,
                    gsi1pk="TYPENOTES",
                    gsi1sk=doc_type,
                )
            )
        else:
            self.table.call(
                "delete_item", TableName=self.table.name, Key=key(f"TYPENOTE#{doc_type}")
            )

    def list_type_notes(self) -> dict[str, tuple[str, str]]:
        notes = self.table.index("TYPENOTES")
        return {str(b["doc_type"]): (str(b["note_vi"]), str(b["note_en"])) for b in notes}
