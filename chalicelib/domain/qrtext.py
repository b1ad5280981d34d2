"""The QR text of format version 1, and the bytes under it.

A docseal QR code holds ``https://<public host>/v#DS1:<base32>``: the URL part
(byte mode) makes an ordinary phone camera open the verification page, the
fragment keeps the payload out of server access logs, and the ``DS1:<base32>``
part (alphanumeric mode: Base32 upper case without padding only uses
characters of that mode) carries the signed payload. A bare ``DS1:<base32>`` is
accepted too. Under the Base32 is zlib-compressed COSE_Sign1 (see cose.py),
compressed with the preset dictionary of zdict.py.
"""

from __future__ import annotations

import base64
import re
import unicodedata
import zlib
from urllib.parse import unquote

from chalicelib.domain.zdict import DS1_DICTIONARY
from chalicelib.errors import ErrorCode, MalformedPayload

PREFIX = "DS1:"
MAX_TEXT_CHARS = 4296  # the most characters any QR code can hold
MAX_INPUT_CHARS = 65_536  # a pasted text beyond this is not a QR code's, however spelled
MAX_PAYLOAD_BYTES = 4096  # decompressed COSE_Sign1; real documents are < 600
# What an issuer may sign: a QR code at error correction M holds at most 3,391
# alphanumeric characters (ISO/IEC 18004 table 7, version 40-M); the URL part,
# in byte mode, needs the rest.
MAX_QR_PAYLOAD_CHARS = 3200
_B32 = re.compile(r"[A-Z2-7]+")
# ``DS<n>:`` not glued to a letter or digit (of any script) before it: at the
# start, after the URL's ``#`` or ``/``, after a label and a space or a colon.
# ``_cleaned`` has turned white space into single spaces, which may fall inside
# the prefix of a line-wrapped code; such a prefix counts only before a payload
# that looks like one (``_PAYLOAD_LIKE``).
_PREFIX_AT = re.compile(r"(?<![^\W_])D ?S ?([0-9](?: ?[0-9])*) ?:", re.IGNORECASE)
_WELL_FORMED_VERSION = re.compile(r"[1-9][0-9]{0,3}")
# Base32-like: letters and digits (and padding) in one case, as a payload is;
# not words (mixed case, spaces) or lists.
_PAYLOAD_LIKE = re.compile(r"[A-Z0-9=]*|[a-z0-9=]*")
LONG_PAYLOAD = 32  # characters: shorter than any signed payload, longer than a label
# Signs of a docseal code that lost part of its prefix: ``DS`` and a version
# with the colon lost or replaced, before a long payload.
_BROKEN_PREFIX = re.compile(
    r"(?<![^\W_])[Dd][Ss][0-9]{1,4}[^0-9A-Za-z]?(?:[A-Z2-7]{32,}|[a-z2-7]{32,})"
)  # 32: LONG_PAYLOAD
_BARE_PAYLOAD = re.compile(r"(?:[^#]*/v#)?(?P<b32>[A-Za-z0-9]{64,})", re.IGNORECASE)
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
# What copy-paste leaves around a link: a Markdown ``(…)``, ``<…>``, quotes, a full stop.
_CLOSING = ".,;:!?)]}>\"'\u00bb\u201d\u2019"
_SHARE_LINK = re.compile(r"(?:^|/)s/([A-Za-z0-9_-]{32})/?(?:[?#][^ ]*)?$")
PERCENT_ROUNDS = 3  # reader apps encode once, some twice; chat apps once more


def encode(cose_bytes: bytes) -> str:
    """COSE_Sign1 bytes -> ``DS1:<base32>`` (zlib, level 9, DS1 preset dictionary)."""
    deflater = zlib.compressobj(9, zlib.DEFLATED, 15, 9, zlib.Z_DEFAULT_STRATEGY, DS1_DICTIONARY)
    compressed = deflater.compress(cose_bytes) + deflater.flush()
    return PREFIX + base64.b32encode(compressed).decode("ascii").rstrip("=")


def with_url(payload_text: str, public_url: str) -> str:
    """The full QR text: the verification page URL, ``#``, then the payload."""
    return f"{public_url.rstrip('/')}/v#{payload_text}"


def canonical(qr_text: str) -> str:
    """Any spelling of a docseal QR text -> its canonical ``DS1:<BASE32>``.

    One function decides for every door (API, pages, CLI, camera URL, files):

    - what a reader app, a keyboard or a copy-paste does to a genuine code is
      undone: compatibility forms (NFKC: full-width letters), white space,
      line breaks and invisible characters anywhere (zero-width space, BOM),
      percent-encoding (up to ``PERCENT_ROUNDS`` times: ``%23`` for ``#``),
      the URL before the payload (with or without scheme and host), the
      prefix and the Base32 in any case;
    - ``MalformedPayload`` with ``reason``:
      ``NOT_A_DOCSEAL_CODE``: nothing in the text is a docseal code (empty,
      another system's code, a URL of another site, longer than
      ``MAX_INPUT_CHARS``);
      ``UNSUPPORTED_VERSION``: a well-formed ``DS<n>:`` prefix (n = 2..9999)
      followed by Base32;
      ``MALFORMED``: docseal's but damaged (a prefix without its colon, a
      payload without its prefix, a ``DS1:`` payload that is not Base32 or is
      longer than any QR code holds).

    Base32 is case-insensitive (RFC 4648 section 6), so upper-casing the
    payload reads the same bytes.
    """
    text = _cleaned(qr_text)
    if text is None:
        raise _not_docseal("the text is longer than any QR code can hold")
    if not text:
        raise _not_docseal("the text is empty")
    found = _last_prefix(text)
    if found is None:
        compact = text.replace(" ", "")
        if _BROKEN_PREFIX.search(compact) or _bare_payload(compact):
            raise MalformedPayload("the code's DS1: prefix is damaged or missing")
        raise _not_docseal("this is not a docseal code (it holds no DS1: prefix)")
    version = found.group(1).replace(" ", "")
    raw = text[found.end() :].replace(" ", "").rstrip(_CLOSING)
    payload = raw.upper()
    if version != "1":
        if _WELL_FORMED_VERSION.fullmatch(version) and _B32.fullmatch(payload):
            if _PAYLOAD_LIKE.fullmatch(raw):
                raise MalformedPayload(
                    f"format version {version} is not supported",
                    reason=ErrorCode.UNSUPPORTED_VERSION,
                )
        if raw and not _PAYLOAD_LIKE.fullmatch(raw[:64]):
            raise _not_docseal("a DS<n>: label before text that is not a payload")
        raise MalformedPayload("the code's version prefix is damaged")
    if raw and not _PAYLOAD_LIKE.fullmatch(raw[:64]):
        raise _not_docseal("a DS1: label before text that is not a payload")
    if len(payload) > MAX_TEXT_CHARS:
        raise MalformedPayload("the payload is longer than any QR code can hold")
    if not _B32.fullmatch(payload):
        raise MalformedPayload("the payload has characters outside Base32 (A-Z, 2-7)")
    return PREFIX + payload


def _last_prefix(text: str) -> re.Match[str] | None:
    """The last ``DS<n>:`` of ``text`` (a URL's own path may hold another);
    one with spaces inside counts only before a long payload."""
    found = None
    for match in _PREFIX_AT.finditer(text):
        if " " in match.group(0):
            after = text[match.end() :].replace(" ", "")
            if len(after) < LONG_PAYLOAD or not _PAYLOAD_LIKE.fullmatch(after[:64]):
                continue
        found = match
    return found


def share_link_path(text: str) -> str | None:
    """``/s/<token>`` when ``text``, read as ``canonical`` reads (white space,
    invisible characters and percent-encoding undone, closing punctuation of
    a pasted link dropped), is a docseal share link's URL (any host, or none):
    a citizen's link pasted or scanned at the desk. The token keeps its case;
    None for anything else."""
    cleaned = _cleaned(text)
    if not cleaned:
        return None
    found = _SHARE_LINK.search(cleaned.replace(" ", "").rstrip(_CLOSING))
    return f"/s/{found.group(1)}" if found else None


def _cleaned(text: str) -> str | None:
    """NFKC; invisible format characters removed and every run of white space
    one space (none at either end); percent-encoding undone, the same again
    after each round, so the order in which an app applied them does not
    matter. None when the text is, or grows (NFKC expands some characters),
    longer than ``MAX_INPUT_CHARS``: no QR code holds that."""
    if len(text) > MAX_INPUT_CHARS:
        return None
    text = _spaced(unicodedata.normalize("NFKC", text))
    for _ in range(PERCENT_ROUNDS):
        if len(text) > MAX_INPUT_CHARS:
            return None
        if not _PERCENT.search(text):
            break
        text = _spaced(unicodedata.normalize("NFKC", unquote(text)))
    return None if len(text) > MAX_INPUT_CHARS else text


def payload_part(qr_text: str) -> str:
    """The Base32 of a QR text, read by ``canonical`` (same errors)."""
    return canonical(qr_text)[len(PREFIX) :]


def is_docseal(qr_text: str) -> bool:
    """Does a QR text claim to be a docseal result, damaged or of another version?"""
    try:
        canonical(qr_text)
    except MalformedPayload as exc:
        return exc.reason != ErrorCode.NOT_A_DOCSEAL_CODE
    return True


def is_blank(qr_text: str) -> bool:
    """Nothing but white space and invisible characters, however encoded: no
    text was given (exactly when ``canonical`` says "the text is empty")."""
    return _cleaned(qr_text) == ""


def _spaced(text: str) -> str:
    """``text`` without invisible format characters (a zero-width space, a
    BOM: category Cf), each run of white space and line breaks one space,
    none at either end."""
    if text.isascii() and text.isprintable() and " " not in text:
        return text
    kept = "".join(" " if _invisible(ch) else ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(kept.split())


def _invisible(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp")


def _bare_payload(text: str) -> bool:
    """Base32 in one case, alone or after ``…/v#``, with the digits 2-7 that
    compressed data has (about one character in five) and words do not, and
    at most one character in 32 outside Base32 (0, 1, 8, 9: damage)."""
    bare = _BARE_PAYLOAD.fullmatch(text)
    if bare is None:
        return False
    b32: str = bare.group("b32")
    if not (b32.isupper() or b32.islower()):
        return False
    digits = sum(ch in "234567" for ch in b32)
    outside = sum(ch in "0189" for ch in b32)
    return digits * 16 >= len(b32) and outside * 32 <= len(b32)


def _not_docseal(message: str) -> MalformedPayload:
    return MalformedPayload(message, reason=ErrorCode.NOT_A_DOCSEAL_CODE)


def decode(qr_text: str) -> bytes:
    """``[url#]DS1:<base32>`` -> the COSE_Sign1 bytes, with every size bounded."""
    b32 = payload_part(qr_text)
    return inflate(b32decode(b32))


# RFC 4648 Base32 to the "base32hex" digits 0-9a-v, which int() reads natively:
# one C-speed conversion instead of the standard library's per-character loop.
_TO_BASE32HEX = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789abcdefghijklmnopqrstuv"
)


def b32decode(text: str) -> bytes:
    """Base32 (upper case, no padding) -> bytes; the unused final bits must be 0."""
    if not text or not _B32.fullmatch(text):
        raise MalformedPayload("the payload has characters outside Base32 (A-Z, 2-7)")
    if len(text) % 8 in (1, 3, 6):
        raise MalformedPayload("the Base32 payload has an impossible length")
    size, spare = divmod(len(text) * 5, 8)
    value = int(text.translate(_TO_BASE32HEX), 32)
    if value & ((1 << spare) - 1):
        raise MalformedPayload("the Base32 payload is not in canonical form")
    return (value >> spare).to_bytes(size, "big")


def inflate(compressed: bytes, limit: int = MAX_PAYLOAD_BYTES) -> bytes:
    """zlib decompression that stops at ``limit`` bytes (no zlib bombs)."""
    inflater = zlib.decompressobj(zdict=DS1_DICTIONARY)
    try:
        out = inflater.decompress(compressed, limit + 1)
    except zlib.error as exc:
        raise MalformedPayload("the compressed payload is corrupt") from exc
    if len(out) > limit:
        raise MalformedPayload("the payload decompresses to more than the size limit")
    if not inflater.eof:
        raise MalformedPayload("the compressed payload is truncated")
    if inflater.unused_data:
        raise MalformedPayload("bytes follow the compressed payload")
    return out
