"""Document types an administrator defines beside the built-in catalogue,
and the notes shown with any type (the legal basis for accepting it
electronically). Every change goes on the audit trail under ``actor``."""

from __future__ import annotations

from collections.abc import Sequence

from chalicelib.domain.catalogue import (
    CATALOGUE,
    DEFINABLE_KINDS,
    FIELD_CODE,
    MAX_TYPE_FIELDS,
    TYPE_CODE,
    DocType,
    FieldSpec,
)
from chalicelib.domain.content import MAX_VALIDITY_DAYS
from chalicelib.errors import Conflict, ErrorCode, ValidationFailed
from chalicelib.ports import DocTypeRepository
from chalicelib.services.audit import AuditLog
from chalicelib.services.trust import TrustService

MAX_NOTE = 500

FieldDefinition = tuple[str, str, str, bool] | tuple[str, str, str, bool, str]


class DocTypeService:
    def __init__(self, doc_types: DocTypeRepository, trust: TrustService, audit: AuditLog) -> None:
        self._doc_types = doc_types
        self._trust = trust
        self._audit = audit

    def define_doc_type(
        self,
        code: str,
        name_vi: str,
        name_en: str,
        fields: Sequence[FieldDefinition],
        default_validity_days: int | None = None,
        *,
        actor: str,
    ) -> DocType:
        """Add a document type to the catalogue, or change one an administrator
        defined (built-in types and the receipt type stay as they are).
        ``fields``: (code, Vietnamese label, English label, required[, kind]),
        the kind one of ``DEFINABLE_KINDS`` (text when left out)."""
        if not TYPE_CODE.fullmatch(code or ""):
            raise ValidationFailed(
                "a type code is 3-64 characters a-z, 0-9 and '-'", code=ErrorCode.INVALID_TYPE_CODE
            )
        if code in CATALOGUE:
            raise Conflict(f"{code} is a built-in type", code=ErrorCode.TYPE_EXISTS)
        if not name_vi.strip():
            raise ValidationFailed("the type needs a name", code=ErrorCode.INVALID_NAME)
        if not fields or len(fields) > MAX_TYPE_FIELDS:
            raise ValidationFailed(
                f"a type has 1 to {MAX_TYPE_FIELDS} fields", code=ErrorCode.INVALID_FIELD_VALUE
            )
        specs = _field_specs(fields)
        if (
            default_validity_days is not None
            and not 1 <= default_validity_days <= MAX_VALIDITY_DAYS
        ):
            raise ValidationFailed(
                f"default_validity_days is 1 to {MAX_VALIDITY_DAYS}",
                code=ErrorCode.INVALID_FIELD_VALUE,
            )
        doc_type = DocType(
            code, name_vi.strip(), (name_en or name_vi).strip(), tuple(specs), default_validity_days
        )
        self._doc_types.save_doc_type(doc_type)
        self._trust.invalidate()
        facts = {"fields": ",".join(f.code for f in specs)}
        self._audit.record(actor, "doctype.define", code, facts)
        return doc_type

    def set_type_note(self, doc_type: str, note_vi: str, note_en: str = "", *, actor: str) -> None:
        """The note shown with a document type (the legal basis for accepting
        it electronically); empty texts clear it."""
        if doc_type not in self._trust.snapshot().doc_types:
            raise ValidationFailed(
                f"unknown document type {doc_type!r}", code=ErrorCode.UNKNOWN_TYPE
            )
        vi, en = note_vi.strip(), note_en.strip()
        if len(vi) > MAX_NOTE or len(en) > MAX_NOTE:
            raise ValidationFailed(
                f"a note is at most {MAX_NOTE} characters", code=ErrorCode.INVALID_FIELD_VALUE
            )
        if en and not vi:
            raise ValidationFailed(
                "give the note in Vietnamese first", code=ErrorCode.MISSING_FIELD
            )
        self._doc_types.save_type_note(doc_type, vi, en)
        self._trust.invalidate()
        self._audit.record(actor, "doctype.note", doc_type, {"cleared": not vi})


def _field_specs(fields: Sequence[FieldDefinition]) -> list[FieldSpec]:
    specs: list[FieldSpec] = []
    for field_code, label_vi, label_en, required, *rest in fields:
        kind = next((k for k in DEFINABLE_KINDS if rest and k == rest[0]), None)
        if rest and kind is None:
            raise ValidationFailed(
                f"field {field_code!r}: the kind is one of {', '.join(DEFINABLE_KINDS)}",
                code=ErrorCode.INVALID_FIELD_KIND,
            )
        if not FIELD_CODE.fullmatch(field_code or "") or not label_vi.strip():
            raise ValidationFailed(
                f"field {field_code!r}: a code a-z, 0-9, '_' and a label are needed",
                code=ErrorCode.INVALID_FIELD_VALUE,
            )
        if any(f.code == field_code for f in specs):
            raise ValidationFailed(
                f"field {field_code} is given twice", code=ErrorCode.DUPLICATE_FIELD
            )
        specs.append(
            FieldSpec(
                field_code,
                label_vi.strip(),
                (label_en or label_vi).strip(),
                required,
                kind or "text",
            )
        )
    return specs
