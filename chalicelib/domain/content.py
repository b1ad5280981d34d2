"""The rules a document's content meets before it is signed: field values
against their declared kinds, the holder's name, the expiry. Pure; the
issuing service calls them for a new document and for a re-issue alike.

Errors: ``BadRequest`` for a value of the wrong JSON type,
``ValidationFailed`` with ``UNKNOWN_FIELD``, ``INVALID_FIELD_VALUE``,
``MISSING_FIELD``, ``EXPIRY_IN_PAST`` or ``INVALID_EXPIRY`` (docs/REASONS.md).
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from chalicelib.domain.catalogue import DocType
from chalicelib.domain.display import invisible, valid_value
from chalicelib.errors import BadRequest, ErrorCode, ValidationFailed

VIETNAM = dt.timezone(dt.timedelta(hours=7))
MAX_VALUE = 512  # characters of one field value
MAX_NAME = 128  # characters of the holder's name
MAX_VALIDITY_DAYS = 36500  # how long a document may stay valid: a type's default, an expiry


KIND_WORDS = {"date": "a date YYYY-MM-DD", "number": "digits 0-9"}


def clean_text(value: str, what: str, limit: int) -> str:
    """NFC, stripped, 1 to ``limit`` characters, no control character, and
    something a reader can see (a value of format characters alone is none)."""
    text = unicodedata.normalize("NFC", value).strip()
    if (
        not text
        or len(text) > limit
        or any(unicodedata.category(c) == "Cc" for c in text)
        or all(invisible(c) for c in text)
    ):
        raise ValidationFailed(
            f"{what} must be 1 to {limit} printable characters", code=ErrorCode.INVALID_FIELD_VALUE
        )
    return text


def check_fields(doc_type: DocType, given: dict[str, str]) -> dict[str, str]:
    """The given fields NFC-clean, checked against ``doc_type`` and put in
    catalogue order (the same content always encodes the same way)."""
    if not isinstance(given, dict):
        raise BadRequest("fields must be an object of field code to text")
    out: dict[str, str] = {}
    for code, value in given.items():
        spec = doc_type.field(code)
        if spec is None:
            raise ValidationFailed(
                f"{doc_type.code} has no field {code!r}", code=ErrorCode.UNKNOWN_FIELD
            )
        if not isinstance(value, str):
            raise BadRequest(f"field {code} must be text")
        out[code] = clean_text(value, f"field {code}", MAX_VALUE)
        if not valid_value(spec.kind, out[code]):
            raise ValidationFailed(
                f"field {code} must be {KIND_WORDS.get(spec.kind, 'text')}",
                code=ErrorCode.INVALID_FIELD_VALUE,
            )
    missing = [f.code for f in doc_type.fields if f.required and f.code not in out]
    if missing:
        raise ValidationFailed(
            f"required fields missing: {', '.join(missing)}", code=ErrorCode.MISSING_FIELD
        )
    # Catalogue order, so the same content always encodes the same way.
    return {f.code: out[f.code] for f in doc_type.fields if f.code in out}


def expiry_of(expires: dt.date | None, doc_type: DocType, now: dt.datetime) -> dt.datetime | None:
    """When a document issued at ``now`` expires: the end of ``expires`` (a
    Vietnamese calendar day, UTC+7) in UTC, the type's default validity, or None.
    An expiry more than ``MAX_VALIDITY_DAYS`` after ``now`` is refused: past
    that lies no date a document needs, and at 9999-12-31 no instant at all."""
    if expires is None:
        if doc_type.default_validity_days is None:
            return None
        end = now + dt.timedelta(days=doc_type.default_validity_days)
        return end.replace(microsecond=0)
    latest = now + dt.timedelta(days=MAX_VALIDITY_DAYS)
    if expires > latest.astimezone(VIETNAM).date():
        raise ValidationFailed(
            f"the expiry date is more than {MAX_VALIDITY_DAYS} days away",
            code=ErrorCode.INVALID_EXPIRY,
        )
    # Valid through the whole of the given day, Vietnam time.
    end = dt.datetime.combine(expires + dt.timedelta(days=1), dt.time(), VIETNAM)
    if end <= now:
        raise ValidationFailed("the expiry date is in the past", code=ErrorCode.EXPIRY_IN_PAST)
    return end.astimezone(dt.UTC)


def fold_name(name: str) -> str:
    """A name as compared with the identity record: NFC, case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())
