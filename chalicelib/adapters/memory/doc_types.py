"""Administrators' document types and the notes per type, in memory."""

from __future__ import annotations

import threading

from chalicelib.domain.catalogue import DocType


class MemoryDocTypes:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._types: dict[str, DocType] = {}
        self._notes: dict[str, tuple[str, str]] = {}

    def save_doc_type(self, doc_type: DocType) -> None:
        with self._lock:
            self._types[doc_type.code] = doc_type

    def list_doc_types(self) -> list[DocType]:
        with self._lock:
            return [self._types[code] for code in sorted(self._types)]

    def save_type_note(self, doc_type: str, note_vi: str, note_en: str) -> None:
        with self._lock:
            if note_vi or note_en:
                self._notes[doc_type] = (note_vi, note_en)
            else:
                self._notes.pop(doc_type, None)

    def list_type_notes(self) -> dict[str, tuple[str, str]]:
        with self._lock:
            return dict(self._notes)
