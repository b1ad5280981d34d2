"""The QR code on the front of the chip ID card (CCCD / thẻ căn cước).

Unsigned plain text, seven fields separated by ``|`` (DOMAIN.md):
``ID|old CMND (may be empty)|full name|dob ddmmyyyy|Nam or Nữ|address|issue date ddmmyyyy``.
It proves nothing alone; docseal uses only its ID number, to match the person
at the desk against a document's holder, and says on the page that the card's
code is not signed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata

from chalicelib.domain.idnumber import check_shape
from chalicelib.errors import ErrorCode, InvalidIdNumber, ValidationFailed

MAX_CARD_TEXT = 1024


class NotAnIdCard(ValidationFailed):
    def __init__(self, message: str) -> None:
        super().__init__(message, code=ErrorCode.NOT_AN_ID_CARD_QR)


@dataclasses.dataclass(frozen=True)
class IdCard:
    id_number: str
    full_name: str
    dob: dt.date
    gender: str  # "Nam" or "Nữ"


def parse_card(text: str) -> IdCard:
    if not isinstance(text, str) or not 0 < len(text) <= MAX_CARD_TEXT:
        raise NotAnIdCard("this is not the QR code of a chip ID card")
    parts = unicodedata.normalize("NFC", text.strip()).split("|")
    if len(parts) != 7:
        raise NotAnIdCard("an ID card's QR code has 7 fields separated by '|'")
    number, old, name, dob, gender, _address, issued = parts
    try:
        check_shape(number)
    except InvalidIdNumber as exc:
        raise NotAnIdCard("the card's QR code does not hold a 12-digit ID number") from exc
    if old and not (len(old) == 9 and old.isascii() and old.isdigit()):
        raise NotAnIdCard("the card's old ID number is not 9 digits")
    if not name.strip() or gender not in ("Nam", "Nữ"):
        raise NotAnIdCard("the card's QR code has no name or gender")
    born = _date(dob)
    _date(issued)
    return IdCard(number, name.strip(), born, gender)


def _date(text: str) -> dt.date:
    if len(text) != 8 or not text.isascii() or not text.isdigit():
        raise NotAnIdCard("the card's dates are not ddmmyyyy")
    try:
        return dt.date(int(text[4:]), int(text[2:4]), int(text[:2]))
    except ValueError as exc:
        raise NotAnIdCard("the card's dates are not ddmmyyyy") from exc
