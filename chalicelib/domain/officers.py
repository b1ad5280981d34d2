"""Verifying agencies and the officer accounts administrators keep for each
(issue 14): the records, and the rules their values meet.

An officer signs in through the OpenID Connect provider as a ``subject`` (the
ID token's ``sub``); when the claim mapping takes officers from this list
(``"officer": {"source": "directory"}``), the account with that subject says
which agency the officer acts for, and only while it is active
(``ports.OfficerDirectory``). A subject is unique across every agency: the
provider never gives one to two people (OpenID Connect Core 1.0, 2: "never
reassigned"), so one account cannot name two agencies.

Pure: no I/O, no clock (the service passes the time in). The rules raise
``ValidationFailed`` (422) with ``INVALID_AGENCY_CODE``, ``INVALID_NAME``,
``INVALID_SUBJECT`` or ``INVALID_EMAIL`` (docs/REASONS.md); a body of the
wrong shape is ``BadRequest`` as ``domain.inputs`` says.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from typing import Literal

from chalicelib.domain.inputs import Body, required_text
from chalicelib.errors import BadRequest, ErrorCode, ValidationFailed

AgencyStatus = Literal["active", "disabled"]
OfficerStatus = Literal["active", "disabled"]

# 2 to 64 of A-Z, 0-9 and '-', starting and ending with a letter or digit: BV-BACHMAI.
AGENCY_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{0,62}[A-Z0-9]")
MAX_AGENCY_NAME = 200  # characters; receipts print it with the code
MAX_OFFICER_NAME = 128  # characters, as a holder's name
MAX_SUBJECT = 255  # ASCII characters: OpenID Connect Core 1.0, 2, ``sub``
MAX_EMAIL = 254  # characters: RFC 5321's path limit less the brackets
# One '@', something before it, a domain of dot-separated labels after it;
# no blank and no control character anywhere. Deliverability is the
# provider's business: this only keeps a typo such as a missing '@' out.
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
_INVISIBLE = frozenset({"Cf", "Zs", "Zl", "Zp"})  # as domain.display: draw nothing


@dataclasses.dataclass(frozen=True)
class Agency:
    """A verifying agency (a hospital, a school, a bank branch) whose officers
    check results at their desks."""

    code: str
    name: str  # in Vietnamese, as receipts print it
    created_at: dt.datetime
    status: AgencyStatus = "active"


@dataclasses.dataclass(frozen=True)
class OfficerAccount:
    """One officer's account: the provider subject they sign in as, and the
    agency they act for while it is active."""

    agency: str  # the agency's code
    subject: str  # the ID token's ``sub``
    name: str  # how administrators know them
    created_at: dt.datetime
    email: str = ""
    status: OfficerStatus = "active"
    disabled_at: dt.datetime | None = None

    def active(self) -> bool:
        return self.status == "active"


# The rules ---------------------------------------------------------------------


def agency_code(value: str) -> str:
    """``value`` if it is an agency code (``AGENCY_CODE``), never changed:
    a code is an identifier, so ``bv-01`` is refused rather than read as
    ``BV-01``."""
    if not AGENCY_CODE.fullmatch(value):
        raise ValidationFailed(
            "an agency code is 2 to 64 characters A-Z, 0-9 and '-', "
            "starting and ending with a letter or digit, e.g. BV-BACHMAI",
            code=ErrorCode.INVALID_AGENCY_CODE,
        )
    return value


def is_agency_code(value: str) -> bool:
    return AGENCY_CODE.fullmatch(value) is not None


def clean_name(value: str, what: str, limit: int) -> str:
    """A name as it is kept: NFC, blanks at the ends dropped and runs of
    blanks made one space; 1 to ``limit`` characters with no control
    character (NUL, a line break) and something a reader can see."""
    text = re.sub(r" {2,}", " ", unicodedata.normalize("NFC", value)).strip()
    if (
        not text
        or len(text) > limit
        or any(unicodedata.category(c) in ("Cc", "Cs") for c in text)
        or all(unicodedata.category(c) in _INVISIBLE for c in text)
    ):
        raise ValidationFailed(
            f"{what} must be 1 to {limit} printable characters", code=ErrorCode.INVALID_NAME
        )
    return text


def subject(value: str) -> str:
    """``value`` if it can be an ID token's ``sub``: 1 to 255 printable ASCII
    characters and no blank. Never trimmed or re-cased: the provider
    compares subjects exactly, and so does docseal."""
    if (
        not 1 <= len(value) <= MAX_SUBJECT
        or not value.isascii()
        or not all("!" <= c <= "~" for c in value)
    ):
        raise ValidationFailed(
            f"a subject is the provider's `sub`: 1 to {MAX_SUBJECT} printable ASCII "
            "characters, no blank",
            code=ErrorCode.INVALID_SUBJECT,
        )
    return value


def is_subject(value: str) -> bool:
    try:
        subject(value)
    except ValidationFailed:
        return False
    return True


def email(value: str) -> str:
    """An officer's e-mail address, blanks at the ends dropped; empty for none."""
    text = unicodedata.normalize("NFC", value).strip()
    if not text:
        return ""
    if (
        len(text) > MAX_EMAIL
        or not _EMAIL.fullmatch(text)
        or any(unicodedata.category(c) in ("Cc", "Cf", "Cs") for c in text)
    ):
        raise ValidationFailed(
            f"an e-mail address is name@domain.example, at most {MAX_EMAIL} characters",
            code=ErrorCode.INVALID_EMAIL,
        )
    return text


def new_agency(code: str, name: str, now: dt.datetime) -> Agency:
    """A new agency, its values checked (the code first)."""
    return Agency(agency_code(code), clean_name(name, "the agency's name", MAX_AGENCY_NAME), now)


def new_officer(
    agency: str, subject_: str, name: str, email_: str, now: dt.datetime
) -> OfficerAccount:
    """A new active officer account, its values checked in the order given."""
    return OfficerAccount(
        agency=agency_code(agency),
        subject=subject(subject_),
        name=clean_name(name, "the officer's name", MAX_OFFICER_NAME),
        email=email(email_),
        created_at=now,
    )


def disabled(account: OfficerAccount, now: dt.datetime) -> OfficerAccount:
    return dataclasses.replace(account, status="disabled", disabled_at=now)


def enabled(account: OfficerAccount) -> OfficerAccount:
    return dataclasses.replace(account, status="active", disabled_at=None)


# Request bodies ----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class NewAgency:
    code: str
    name: str


@dataclasses.dataclass(frozen=True)
class NewOfficer:
    subject: str
    name: str
    email: str


def new_agency_body(body: Body) -> NewAgency:
    """``POST /api/v1/admin/agencies``: ``{code, name}``."""
    return NewAgency(required_text(body, "code"), required_text(body, "name"))


def new_officer_body(body: Body) -> NewOfficer:
    """``POST /api/v1/admin/agencies/{code}/officers``: ``{subject, name, email?}``
    (``email`` absent, null or empty: none)."""
    value = body.get("email")
    if value is not None and not isinstance(value, str):
        raise BadRequest("email must be a string")
    return NewOfficer(required_text(body, "subject"), required_text(body, "name"), value or "")
