"""The terms a share link is made on, checked as a citizen asks for one: its
secret token, how long it lasts, how many views it allows, whom it is for
and which fields it discloses. Input arrives as JSON or form values
(``Any``); anything else than the documented forms is refused with a code."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

from chalicelib.domain.durations import read_duration
from chalicelib.domain.retention import MAX_LINK_LIFETIME
from chalicelib.errors import BadRequest, ErrorCode, ValidationFailed

DEFAULT_EXPIRY = dt.timedelta(days=7)
MAX_EXPIRY = MAX_LINK_LIFETIME
MAX_VIEWS = 1000
MAX_RECIPIENT = 120

TOKEN_BYTES = 24  # 192 bits; 32 URL-safe characters
_TOKEN_CHARS = re.compile(r"[A-Za-z0-9_-]{32}")


def token_hash(token: str) -> str:
    """What is stored of a link's token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def well_formed_token(token: Any) -> bool:
    """Whether ``token`` has the shape of a token ``secrets.token_urlsafe(TOKEN_BYTES)`` made."""
    return isinstance(token, str) and _TOKEN_CHARS.fullmatch(token) is not None


def parse_expires_in(value: Any) -> dt.timedelta:
    """Seconds as a number, or "90m", "12h", "3d"; at least one second (a
    fraction is cut to whole seconds), at most 30 days."""
    if value is None:
        return DEFAULT_EXPIRY
    if isinstance(value, bool):
        raise ValidationFailed(
            "expires_in must be a number of seconds", code=ErrorCode.INVALID_EXPIRY
        )
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str) and (duration := read_duration(value)) is not None:
        seconds = duration.total_seconds()
    elif isinstance(value, str) and value.strip().isdigit():
        seconds = float(value.strip())
    else:
        raise ValidationFailed(
            "expires_in is seconds, or a duration like 90m, 12h, 3d", code=ErrorCode.INVALID_EXPIRY
        )
    if not seconds > 0 or seconds != seconds:  # zero, negative or NaN
        raise ValidationFailed("expires_in must be more than zero", code=ErrorCode.INVALID_EXPIRY)
    if seconds < 1:  # a link that would be born expired (the lifetime is whole seconds)
        raise ValidationFailed("a link lasts at least one second", code=ErrorCode.INVALID_EXPIRY)
    if seconds > MAX_EXPIRY.total_seconds():
        raise ValidationFailed("a link lasts at most 30 days", code=ErrorCode.INVALID_EXPIRY)
    return dt.timedelta(seconds=int(seconds))


def parse_max_views(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_VIEWS:
        raise ValidationFailed(
            f"max_views is a whole number from 1 to {MAX_VIEWS}", code=ErrorCode.INVALID_MAX_VIEWS
        )
    return value


def parse_recipient(value: Any) -> str:
    """Whom the link is for, as the citizen labels it: spaces folded, at most
    ``MAX_RECIPIENT`` characters, empty when not given."""
    if value is not None and not isinstance(value, str):
        raise BadRequest("recipient must be text")
    label = " ".join((value or "").split())
    if len(label) > MAX_RECIPIENT:
        raise ValidationFailed(
            f"recipient is at most {MAX_RECIPIENT} characters", code=ErrorCode.INVALID_FIELD_VALUE
        )
    return label


def parse_disclosed(value: Any, fields: tuple[str, ...]) -> tuple[str, ...]:
    """The fields a link shows, in the document's order: all of ``fields``
    when not given, else a list (or comma-separated text) of some of them."""
    if value is None:
        return fields
    if isinstance(value, str):
        value = [x.strip() for x in value.split(",") if x.strip()]
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise BadRequest("disclose is a list of field codes")
    unknown = sorted(set(value) - set(fields))
    if unknown:
        raise ValidationFailed(
            f"the document has no field {', '.join(unknown)}", code=ErrorCode.UNKNOWN_FIELD
        )
    return tuple(f for f in fields if f in value)
