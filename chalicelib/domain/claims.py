"""CWT claims (RFC 8392) of format version 1 and the document claim inside them.

Claims map: 1 ``iss`` (issuer code), 6 ``iat``, 5 ``nbf``, optional 4 ``exp``
(seconds since the epoch) and the private claim -65537 holding the document,
a map with small integer keys to keep the QR code small:

    1 id (16 random bytes)      2 document type code
    3 holder {1: ID number, 2: full name, 3: date of birth YYYY-MM-DD}
    4 fields {field code: value}  (UTF-8, NFC)
    5 supersedes (16 bytes, optional)
    6 status reference [status list number, index]: list ``<iss>/<number>``
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import unicodedata
from typing import Any, NamedTuple

import cbor2

from chalicelib.domain.cose import loads_strict
from chalicelib.domain.inputs import read_date
from chalicelib.errors import MalformedPayload

CLAIM_ISS = 1
CLAIM_EXP = 4
CLAIM_NBF = 5
CLAIM_IAT = 6
CLAIM_DOCUMENT = -65537
MAX_TEXT = 512
MAX_FIELDS = 32
_FIELD_CODE = re.compile(r"[a-z][a-z0-9_]{0,31}")


_B32_LOWER = "abcdefghijklmnopqrstuvwxyz234567"
# Every 10-bit value as two Base32 characters: 13 lookups write a 16-byte id.
_PAIRS = [a + b for a in _B32_LOWER for b in _B32_LOWER]


def doc_id_text(raw: bytes) -> str:
    """Document ids are 16 random bytes, written as 26 lower-case Base32 characters."""
    if len(raw) != 16:
        raise MalformedPayload("a document id is 16 bytes")
    bits = int.from_bytes(raw, "big") << 2  # 130 bits: 26 characters of 5 bits
    return "".join([_PAIRS[(bits >> shift) & 1023] for shift in range(120, -1, -10)])


def is_doc_id(text: object) -> bool:
    """Whether ``text`` has the shape of a document (or link) id: 26 of a-z, 2-7."""
    return isinstance(text, str) and re.fullmatch(r"[a-z2-7]{26}", text) is not None


def doc_id_bytes(text: str) -> bytes:
    if not is_doc_id(text):
        raise MalformedPayload("a document id is 26 characters a-z, 2-7")
    return base64.b32decode(text.upper() + "======")


class Holder(NamedTuple):
    id_number: str
    full_name: str
    dob: dt.date


class SignedDocument(NamedTuple):
    """What a verified payload says. (Named tuples: one is built per verification,
    and they cost a fraction of a frozen dataclass to create.)"""

    issuer: str
    issued_at: dt.datetime
    not_before: dt.datetime
    expires_at: dt.datetime | None
    id: str
    type: str
    holder: Holder
    fields: dict[str, str]
    status_list_number: int
    status_index: int
    supersedes: str = ""

    @property
    def status_list(self) -> str:
        """The status list's id: the issuer's code and the list's number."""
        return f"{self.issuer}/{self.status_list_number}"

    def to_cbor(self) -> bytes:
        document: dict[int, Any] = {
            1: doc_id_bytes(self.id),
            2: self.type,
            3: {1: self.holder.id_number, 2: self.holder.full_name, 3: self.holder.dob.isoformat()},
            4: {k: nfc(v) for k, v in self.fields.items()},
            6: [self.status_list_number, self.status_index],
        }
        if self.supersedes:
            document[5] = doc_id_bytes(self.supersedes)
        claims: dict[int, Any] = {
            CLAIM_ISS: self.issuer,
            CLAIM_IAT: _epoch(self.issued_at),
            CLAIM_NBF: _epoch(self.not_before),
        }
        if self.expires_at is not None:
            claims[CLAIM_EXP] = _epoch(self.expires_at)
        claims[CLAIM_DOCUMENT] = document
        return cbor2.dumps(claims)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _epoch(when: dt.datetime) -> int:
    return int(when.timestamp())


def _time(claims: dict[Any, Any], key: int, name: str, required: bool) -> dt.datetime | None:
    value = claims.get(key)
    if value is None and not required:
        return None
    if type(value) is not int or not 0 <= value < 2**33:
        raise MalformedPayload(f"the {name} claim must be a time in seconds")
    return dt.datetime.fromtimestamp(value, dt.UTC)


def _text(value: Any, name: str, limit: int = MAX_TEXT) -> str:
    if type(value) is not str or not 0 < len(value) <= limit:
        raise MalformedPayload(f"{name} must be non-empty text of at most {limit} characters")
    return value


def _doc_id(value: Any, name: str) -> str:
    if not isinstance(value, bytes) or len(value) != 16:
        raise MalformedPayload(f"{name} must be 16 bytes")
    return doc_id_text(value)


def _uint32(value: Any) -> bool:
    return type(value) is int and 0 <= value < 2**32


def parse(payload: bytes) -> SignedDocument:
    """CBOR claims -> SignedDocument; every field is type- and size-checked."""
    claims = loads_strict(payload)
    if not isinstance(claims, dict):
        raise MalformedPayload("the claims are not a map")
    issuer = _text(claims.get(CLAIM_ISS), "iss", 64)
    issued_at = _time(claims, CLAIM_IAT, "iat", True)
    not_before = _time(claims, CLAIM_NBF, "nbf", True)
    expires_at = _time(claims, CLAIM_EXP, "exp", False)
    assert issued_at is not None and not_before is not None
    document = claims.get(CLAIM_DOCUMENT)
    if not isinstance(document, dict):
        raise MalformedPayload("the document claim is missing")
    holder = document.get(3)
    if not isinstance(holder, dict):
        raise MalformedPayload("the holder is missing")
    dob_text = _text(holder.get(3), "holder date of birth", 10)
    dob = read_date(dob_text)
    if dob is None:
        raise MalformedPayload("the holder's date of birth must be a date YYYY-MM-DD")
    fields = document.get(4, {})
    if not isinstance(fields, dict) or len(fields) > MAX_FIELDS:
        raise MalformedPayload("the fields must be a map of at most 32 entries")
    for code, value in fields.items():
        if type(code) is not str or not _FIELD_CODE.fullmatch(code):
            raise MalformedPayload("a field code is not a short lower-case code")
        if type(value) is not str or not 0 < len(value) <= MAX_TEXT:
            raise MalformedPayload(f"field {code} must be text of 1 to {MAX_TEXT} characters")
    status = document.get(6)
    if (
        not isinstance(status, (list, tuple))
        or len(status) != 2
        or not (_uint32(status[0]) and _uint32(status[1]))
    ):
        raise MalformedPayload("the status reference must be [list number, index]")
    supersedes = document.get(5)
    return SignedDocument(
        issuer=issuer,
        issued_at=issued_at,
        not_before=not_before,
        expires_at=expires_at,
        id=_doc_id(document.get(1), "the document id"),
        type=_text(document.get(2), "the document type", 64),
        holder=Holder(
            id_number=_text(holder.get(1), "the holder's ID number", 12),
            full_name=_text(holder.get(2), "the holder's name", 128),
            dob=dob,
        ),
        fields=dict(fields),
        status_list_number=status[0],
        status_index=status[1],
        supersedes="" if supersedes is None else _doc_id(supersedes, "supersedes"),
    )
