"""Administrators' document types and the notes per type, in SQLite."""

from __future__ import annotations

from chalicelib.adapters.records import decode, encode
from chalicelib.adapters.sqlite.db import Database, dumps
from chalicelib.domain.catalogue import DocType


class SqliteDocTypes:
    def __init__(self, db: Database) -> None:
        self._db = db

    def save_doc_type(self, doc_type: DocType) -> None:
        with self._db.tx() as db:
            db.execute(
                "INSERT INTO doc_types (code, body) VALUES (?, ?) "
                "ON CONFLICT (code) DO UPDATE SET body = excluded.body",
                (doc_type.code, dumps(encode(doc_type))),
            )

    def list_doc_types(self) -> list[DocType]:
        rows = self._db.all("SELECT body FROM doc_types ORDER BY code")
        return [decode(DocType, b) for b in rows]

    def save_type_note(self, doc_type: str, note_vi: str, note_en: str) -> None:
        with self._db.tx() as db:
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
        with self._db.tx() as db:
            rows = db.execute("SELECT doc_type, note_vi, note_en FROM type_notes").fetchall()
        return {str(r[0]): (str(r[1]), str(r[2])) for r in rows}
