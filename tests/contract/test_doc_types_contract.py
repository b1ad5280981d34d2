"""The contract of document types and their notes, run against every adapter (see conftest)."""

from __future__ import annotations

import dataclasses

import pytest

from chalicelib.ports import DocTypeRepository, Repositories


@pytest.fixture
def doc_types(storage: Repositories) -> DocTypeRepository:
    return storage.doc_types


def test_type_notes_set_replace_and_clear(doc_types: DocTypeRepository) -> None:
    assert doc_types.list_type_notes() == {}
    doc_types.save_type_note("birth-registration", "Theo Nghị định 45/2020", "")
    doc_types.save_type_note("criminal-record", "Căn cứ A", "Basis A")
    doc_types.save_type_note("criminal-record", "Căn cứ B", "Basis B")
    assert doc_types.list_type_notes() == {
        "birth-registration": ("Theo Nghị định 45/2020", ""),
        "criminal-record": ("Căn cứ B", "Basis B"),
    }
    doc_types.save_type_note("birth-registration", "", "")
    assert doc_types.list_type_notes() == {"criminal-record": ("Căn cứ B", "Basis B")}


def test_doc_types_are_saved_replaced_and_listed(doc_types: DocTypeRepository) -> None:
    from chalicelib.domain.catalogue import DocType, FieldSpec

    first = DocType(
        "school-enrolment",
        "Xác nhận nhập học",
        "School enrolment",
        (FieldSpec("school", "Trường", "School"), FieldSpec("note", "Ghi chú", "Note", False)),
        365,
    )
    doc_types.save_doc_type(first)
    doc_types.save_doc_type(DocType("a-type", "A", "A", (FieldSpec("x", "X", "X"),)))
    changed = dataclasses.replace(first, name_en="Enrolment")
    doc_types.save_doc_type(changed)
    assert doc_types.list_doc_types() == [
        DocType("a-type", "A", "A", (FieldSpec("x", "X", "X"),)),
        changed,
    ]
