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
from collections.abc import Mapping
from typing import Any

from chalicelib.errors import BadRequest, ErrorCode, InvalidIdNumber

type Body = Mapping[str, Any]  # a JSON object as json.loads returns it


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
    value = required_text(body, name)
    try:
        if len(value) != 10:
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise BadRequest(f"{name} must be a date YYYY-MM-DD", code=ErrorCode.INVALID_DATE) from exc


def optional_date(body: Body, name: str) -> dt.date | None:
    return None if body.get(name) is None else required_date(body, name)


def optional_instant(body: Body, name: str) -> dt.datetime | None:
    """``body[name]`` if given: an ISO 8601 time, UTC when it names no zone."""
    value = body.get(name)
    if value is None:
        return None
    try:
        when = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise BadRequest(f"{name} is an ISO 8601 time", code=ErrorCode.INVALID_DATE) from exc
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


def free_text(body: Body, name: str) -> str:
    """``body[name]`` as text, empty when absent (a reason given for the record)."""
    return str(body.get(name) or "")


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
