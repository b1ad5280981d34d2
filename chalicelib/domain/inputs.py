"""What a caller sent, as typed values: the checks every door shares.

A JSON body (``chalicelib.http.json_body`` parses it, nothing more) reaches the
services as a mapping of plain values; these functions turn it into typed
ones, or raise what the API has always answered for a bad value: ``BadRequest``
(400: ``MISSING_FIELD``, ``INVALID_DATE``, ``BAD_REQUEST``) for a value of the
wrong shape, ``InvalidIdNumber`` (422) for an ID number that is not 12 digits.
Rules that need the store or the catalogue (is the type known, does the ID
number match the identity record) are the services' own.

Pure: no I/O, no clock.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any

from chalicelib.errors import BadRequest, ErrorCode, InvalidIdNumber

type Body = Mapping[str, Any]  # a JSON object as json.loads returns it

# The one shape of a date: ISO 8601's calendar date in ASCII digits. Python's
# ``date.fromisoformat`` also takes week dates (2025-W11-5) and basic forms
# (20250314), which no door accepts.
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# An instant starts with such a date; ``datetime.fromisoformat`` checks the rest.
_INSTANT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9:.,]+(?:Z|[+-][0-9:.]+)?)?")
# The largest sequence number a store can hold (SQLite's INTEGER, a signed 64-bit word).
MAX_SEQUENCE = 2**63 - 1


def load_json(raw: bytes | str) -> Any:
    """JSON text from outside as plain values; ``ValueError`` for anything
    ``json.loads`` cannot turn into them, nesting too deep for it included."""
    try:
        return json.loads(raw)
    except RecursionError as exc:
        raise ValueError("the JSON is nested too deeply") from exc


def read_date(value: str) -> dt.date | None:
    """``value`` as a calendar date written exactly ``YYYY-MM-DD``, or None."""
    if not _DATE.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def read_instant(value: str) -> dt.datetime | None:
    """``value`` as an ISO 8601 time (date ``YYYY-MM-DD``, UTC when it names
    no zone) in UTC, or None; also None for a time with no UTC equivalent
    (0001-01-01T00:00:00+14:00 is before the first representable instant)."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    if not _INSTANT.fullmatch(text):
        return None
    try:
        when = dt.datetime.fromisoformat(text)
        return when.replace(tzinfo=when.tzinfo or dt.UTC).astimezone(dt.UTC)
    except (ValueError, OverflowError):
        return None


def read_sequence(value: str) -> int | None:
    """``value`` as a sequence number (ASCII digits, 0 to ``MAX_SEQUENCE``), or None."""
    if not value.isascii() or not value.isdigit() or len(value) > 19:
        return None
    number = int(value)
    return number if number <= MAX_SEQUENCE else None


def required_text(body: Body, name: str) -> str:
    """``body[name]``: a non-empty string (``MISSING_FIELD`` otherwise)."""
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise BadRequest(f"{name} must be a non-empty string", code=ErrorCode.MISSING_FIELD)
    return value


def optional_text(body: Body, name: str) -> str | None:
    """``body[name]`` if given (not null): then a non-empty string."""
    return None if body.get(name) is None else required_text(body, name)


def required_date(body: Body, name: str) -> dt.date:
    """``body[name]``: a date written YYYY-MM-DD (``INVALID_DATE`` otherwise)."""
    when = read_date(required_text(body, name))
    if when is None:
        raise BadRequest(f"{name} must be a date YYYY-MM-DD", code=ErrorCode.INVALID_DATE)
    return when


def optional_date(body: Body, name: str) -> dt.date | None:
    return None if body.get(name) is None else required_date(body, name)


def optional_instant(body: Body, name: str) -> dt.datetime | None:
    """``body[name]`` if given: an ISO 8601 time, UTC when it names no zone,
    returned in UTC (``INVALID_DATE`` for one that has no UTC equivalent)."""
    value = body.get(name)
    if value is None:
        return None
    when = read_instant(value) if isinstance(value, str) else None
    if when is None:
        raise BadRequest(f"{name} is an ISO 8601 time", code=ErrorCode.INVALID_DATE)
    return when


def sequence(value: object, name: str) -> int:
    """A sequence number given as text (a query parameter), 0 to ``MAX_SEQUENCE``."""
    number = read_sequence(value) if isinstance(value, str) else None
    if number is None:
        raise BadRequest(f"{name} is a whole number from 0 to {MAX_SEQUENCE}")
    return number


def free_text(body: Body, name: str) -> str:
    """``body[name]`` as text, empty when absent or null (a reason given for
    the record); any other JSON type is refused, not written down as Python."""
    value = body.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadRequest(f"{name} must be a string")
    return value


def qr_text_of(value: object) -> str:
    """A QR text to verify: any string (garbage gets a verdict, not an error)."""
    if not isinstance(value, str):
        raise BadRequest("qr_text must be a string")
    return value


def presented_id(value: object) -> str | None:
    """The ID number the officer typed, if any: 12 ASCII digits or a 422."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) != 12 or not value.isascii() or not value.isdigit():
        raise InvalidIdNumber(
            "holder_id must be exactly 12 digits 0-9", code=ErrorCode.INVALID_ID_NUMBER
        )
    return value


# Issuance ---------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class IssueRequest:
    """What an issuer asks to sign, read but not yet checked against the
    catalogue, the identity records or the keys (``IssueService.issue`` does)."""

    issuer: str
    type: str
    holder_id: str
    holder_name: str
    holder_dob: dt.date
    fields: dict[str, str]
    expires: dt.date | None = None
    kid: str | None = None


def issue_request(body: Body, issuer: str) -> IssueRequest:
    """``POST /api/v1/documents``'s body, ``{type, holder: {id_number,
    full_name, dob}, fields, expires?, kid?}``, for ``issuer``; checked in
    that order, so the first bad value is the one reported. ``fields`` is
    checked by the service against its document type."""
    holder = body.get("holder")
    if not isinstance(holder, dict):
        holder = {}
    return IssueRequest(
        issuer=issuer,
        type=required_text(body, "type"),
        holder_id=required_text(holder, "id_number"),
        holder_name=required_text(holder, "full_name"),
        holder_dob=required_date(holder, "dob"),
        fields=body.get("fields", {}),
        expires=optional_date(body, "expires"),
        kid=optional_text(body, "kid"),
    )


# Administration ---------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class NewIssuer:
    code: str
    name_vi: str
    name_en: str
    types: list[str]
    area: str


def new_issuer(body: Body) -> NewIssuer:
    """``POST /api/v1/admin/issuers``: ``{code, name_vi, name_en?, types, area?}``."""
    types = body.get("types")
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise BadRequest("types is a list of document type codes")
    return NewIssuer(
        required_text(body, "code"),
        required_text(body, "name_vi"),
        optional_text(body, "name_en") or "",
        types,
        optional_text(body, "area") or "",
    )


type FieldSpec = tuple[str, str, str, bool, str]  # code, label_vi, label_en, required, kind


@dataclasses.dataclass(frozen=True)
class NewDocType:
    code: str
    name_vi: str
    name_en: str
    fields: list[FieldSpec]
    default_validity_days: int | None


def new_doc_type(body: Body) -> NewDocType:
    """``POST /api/v1/admin/doctypes``: ``{code, name_vi, name_en?, fields:
    [{code, label_vi, label_en, required, kind}], default_validity_days?}``;
    what the fields say is checked by the service."""
    fields = body.get("fields")
    if not isinstance(fields, list) or not all(isinstance(f, dict) for f in fields):
        raise BadRequest("fields is a list of {code, label_vi, label_en, required, kind}")
    days = body.get("default_validity_days")
    if days is not None and (isinstance(days, bool) or not isinstance(days, int)):
        raise BadRequest("default_validity_days is a whole number")
    return NewDocType(
        required_text(body, "code"),
        required_text(body, "name_vi"),
        optional_text(body, "name_en") or "",
        [
            (
                str(f.get("code", "")),
                str(f.get("label_vi", "")),
                str(f.get("label_en", "")),
                f.get("required", True) is not False,
                str(f.get("kind", "text")),
            )
            for f in fields
        ],
        days,
    )


def corrections(body: Body) -> dict[str, Any]:
    """A re-issue's ``fields``: field code to corrected text (checked by the service)."""
    found = body.get("fields") or {}
    if not isinstance(found, dict):
        raise BadRequest("fields is an object of field code to corrected text")
    return found
