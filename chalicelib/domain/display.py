"""How a signed field value is shown to a person: by the field's declared kind
in the document-type catalogue (``FieldSpec.kind``), never by guessing from
the value's shape. A value that does not read as its kind (a document signed
before the kind was declared, or by a newer issuer) is shown exactly as
signed: showing never fails.

Dates are shown dd/mm/yyyy and instants in Vietnam time (UTC+7, no daylight
saving time) with the zone written, as Vietnamese administrative documents
write them (Decree 30/2020/ND-CP, appendix I). Codes (document types,
issuers, verdicts, holder matches, reasons) are shown as the catalogue's and
the reason table's words in the reader's language.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable

from chalicelib.domain.catalogue import FieldKind
from chalicelib.domain.inputs import read_date
from chalicelib.domain.reasons import EXPLANATIONS, Reason
from chalicelib.domain.trust import TrustSnapshot

VIETNAM = dt.timezone(dt.timedelta(hours=7))
_INSTANT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?Z")
_DIGITS = re.compile(r"[0-9]{1,64}")

VERDICT_WORDS = {"VALID": ("Hợp lệ", "Valid"), "INVALID": ("Không hợp lệ", "Not valid")}
HOLDER_WORDS = {
    "MATCH": ("Khớp: người xuất trình là chủ sở hữu", "Match: the person is the holder"),
    "MISMATCH": (
        "Không khớp: người xuất trình không phải chủ sở hữu",
        "No match: the person is not the holder",
    ),
    "NOT_CHECKED": ("Không đối chiếu", "Not checked"),
}

Names = Callable[[str], str | None]  # a code to its name in the reader's language

# Characters that draw nothing: format characters (a soft hyphen, joiners,
# direction marks) and separators. A value of these alone shows nothing.
INVISIBLE = frozenset({"Cf", "Zs", "Zl", "Zp"})


def invisible(char: str) -> bool:
    return unicodedata.category(char) in INVISIBLE


def names_in(trust: TrustSnapshot | None, lang: str) -> tuple[Names, Names]:
    """The document-type and issuer names of ``trust`` in ``lang``, as the
    ``type_name`` and ``issuer_name`` that ``show`` takes."""
    english = lang == "en"

    def type_name(code: str) -> str | None:
        spec = trust.doc_types.get(code) if trust else None
        return (spec.name_en if english else spec.name_vi) if spec else None

    def issuer_name(code: str) -> str | None:
        issuer = trust.issuers.get(code) if trust else None
        return ((issuer.name_en if english else issuer.name_vi) or None) if issuer else None

    return type_name, issuer_name


def _index(lang: str) -> int:
    return 1 if lang == "en" else 0


def read_instant(value: str) -> dt.datetime | None:
    """An RFC 3339 UTC instant ``YYYY-MM-DDTHH:MM:SS[.ffffff]Z``, or None."""
    if not _INSTANT.fullmatch(value):
        return None
    try:
        return dt.datetime.fromisoformat(value[:-1] + "+00:00")
    except ValueError:
        return None


def date_text(when: dt.date) -> str:
    """dd/mm/yyyy (years before 1000 keep four digits)."""
    return f"{when.day:02d}/{when.month:02d}/{when.year:04d}"


def _local(when: dt.datetime) -> tuple[dt.datetime, str]:
    """Vietnam time, or UTC for an instant whose Vietnam time is past 9999."""
    try:
        return when.astimezone(VIETNAM), "UTC+7"
    except OverflowError:
        return when.astimezone(dt.UTC), "UTC"


def instant_text(when: dt.datetime) -> str:
    """``HH:MM:SS dd/mm/yyyy (UTC+7)`` in Vietnam time."""
    local, zone = _local(when)
    return f"{local.hour:02d}:{local.minute:02d}:{local.second:02d} {date_text(local)} ({zone})"


def instant_date_text(when: dt.datetime) -> str:
    """The day of an instant in Vietnam time, dd/mm/yyyy."""
    return date_text(_local(when)[0])


def valid_value(kind: FieldKind, value: str) -> bool:
    """Whether an issuer may sign ``value`` for a field of ``kind``: dates must
    be calendar dates and numbers digits; any other kind takes text."""
    if kind == "date":
        return read_date(value) is not None
    if kind == "number":
        return _DIGITS.fullmatch(value) is not None
    return True


def show(
    kind: FieldKind,
    value: str,
    lang: str,
    type_name: Names | None = None,
    issuer_name: Names | None = None,
) -> str:
    """``value`` of a field of ``kind`` as a reader sees it in ``lang``
    (``"vi"`` or ``"en"``). ``type_name`` and ``issuer_name`` turn a document
    type or issuer code into its name; without them the code is shown."""
    i = _index(lang)
    if kind == "date":
        when = read_date(value)
        return date_text(when) if when else value
    if kind == "instant":
        moment = read_instant(value)
        return instant_text(moment) if moment else value
    if kind == "doc_type":
        return (type_name(value) if type_name else None) or value
    if kind == "issuer":
        return (issuer_name(value) if issuer_name else None) or value
    if kind == "verdict":
        words = VERDICT_WORDS.get(value)
        return words[i] if words else value
    if kind == "holder_match":
        words = HOLDER_WORDS.get(value)
        return words[i] if words else value
    if kind == "reasons":
        return "; ".join(_reason_text(code, i) for code in value.split())
    return value


def _reason_text(code: str, i: int) -> str:
    reason = Reason.__members__.get(code)
    return EXPLANATIONS[reason][i] if reason is not None else code
