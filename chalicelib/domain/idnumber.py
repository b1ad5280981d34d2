"""The 12-digit personal identification number (số định danh cá nhân).

Structure (Circular 07/2016/TT-BCA; Law on Identification 2023):
digits 1-3 province of birth registration, digit 4 century and gender,
digits 5-6 the last two digits of the birth year, digits 7-12 random.
A number can therefore be checked for shape, and against a claimed date of
birth and gender. It is personal data: callers store it keyed-hashed and show
it masked.
"""

from __future__ import annotations

import datetime as dt
import hmac
from hashlib import sha256

from chalicelib.errors import ErrorCode, InvalidIdNumber

PROVINCE_CODES: frozenset[str] = frozenset(
    """001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027
    030 031 033 034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056
    058 060 062 064 066 067 068 070 072 074 075 077 079 080 082 083 084 086 087
    089 091 092 093 094 095 096""".split()
)

_ASCII_DIGITS = frozenset("0123456789")


def check_shape(number: str) -> str:
    """Return ``number`` if it is 12 ASCII digits with a known province code."""
    if not isinstance(number, str) or len(number) != 12 or not set(number) <= _ASCII_DIGITS:
        raise InvalidIdNumber(
            "the personal ID number must be exactly 12 digits 0-9", code=ErrorCode.INVALID_ID_NUMBER
        )
    if number[:3] not in PROVINCE_CODES:
        raise InvalidIdNumber(
            "the first three digits are not a province code", code=ErrorCode.ID_UNKNOWN_PROVINCE
        )
    return number


def century_and_gender(number: str) -> tuple[int, str]:
    """The century (1900, 2000, ...) and gender ('male'/'female') digit 4 encodes."""
    digit = int(number[3])
    return 1900 + 100 * (digit // 2), ("male" if digit % 2 == 0 else "female")


def check_against(number: str, dob: dt.date, gender: str | None = None) -> None:
    """Check the number's shape and that it agrees with a date of birth (and gender)."""
    check_shape(number)
    century, encoded_gender = century_and_gender(number)
    if not century <= dob.year < century + 100:
        raise InvalidIdNumber(
            "the century/gender digit does not match the date of birth",
            code=ErrorCode.ID_CENTURY_MISMATCH,
        )
    if int(number[4:6]) != dob.year % 100:
        raise InvalidIdNumber(
            "digits 5-6 do not match the year of birth", code=ErrorCode.ID_BIRTH_YEAR_MISMATCH
        )
    if gender is not None and gender != encoded_gender:
        raise InvalidIdNumber(
            "the century/gender digit does not match the gender", code=ErrorCode.ID_GENDER_MISMATCH
        )


def mask(number: str, shown: int = 4) -> str:
    """Show only the last ``shown`` digits: ``********1234``. A share link
    shows two (``SHARED_DIGITS``): with the date of birth on the same page,
    four would leave a holder check only 100 numbers to try."""
    return "*" * max(len(number) - shown, 0) + number[len(number) - shown :]


SHARED_DIGITS = 2


def holder_ref(number: str, pepper: bytes) -> str:
    """The keyed hash under which an ID number is stored: HMAC-SHA256, hex."""
    return hmac.new(pepper, number.encode("ascii"), sha256).hexdigest()


def same_number(a: str, b: str) -> bool:
    """Constant-time comparison of two ID numbers."""
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))
