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
import zlib

from chalicelib.domain.zdict import DS1_DICTIONARY
from chalicelib.errors import ErrorCode, MalformedPayload

PREFIX = "DS1:"
MAX_TEXT_CHARS = 4296  # the most characters any QR code can hold
MAX_PAYLOAD_BYTES = 4096  # decompressed COSE_Sign1; real documents are < 600
# What an issuer may sign: a QR code at error correction M holds at most 3,391
# alphanumeric characters (ISO/IEC 18004 table 7, version 40-M); the URL part,
# in byte mode, needs the rest.
MAX_QR_PAYLOAD_CHARS = 3200
_B32 = re.compile(r"[A-Z2-7]+")
_VERSION_PREFIX = re.compile(r"DS(\d+):")


def encode(cose_bytes: bytes) -> str:
    """COSE_Sign1 bytes -> ``DS1:<base32>`` (zlib, level 9, DS1 preset dictionary)."""
    deflater = zlib.compressobj(9, zlib.DEFLATED, 15, 9, zlib.Z_DEFAULT_STRATEGY, DS1_DICTIONARY)
    compressed = deflater.compress(cose_bytes) + deflater.flush()
    return PREFIX + base64.b32encode(compressed).decode("ascii").rstrip("=")


def with_url(payload_text: str, public_url: str) -> str:
    """The full QR text: the verification page URL, ``#``, then the payload."""
    return f"{public_url.rstrip('/')}/v#{payload_text}"


def payload_part(qr_text: str) -> str:
    """Strip the URL up to ``#`` if any and check the version prefix."""
    if not isinstance(qr_text, str) or not qr_text.strip():
        raise MalformedPayload("the QR text is empty")
    if len(qr_text) > MAX_TEXT_CHARS:
        raise MalformedPayload("the QR text is longer than any QR code can hold")
    text = qr_text.strip()
    if "#" in text:
        text = text.rsplit("#", 1)[1]
    if text.startswith(PREFIX):
        return text[len(PREFIX) :]
    version = _VERSION_PREFIX.match(text.upper())
    if version:
        raise MalformedPayload(
            f"format version {version.group(1)} is not supported",
            reason=ErrorCode.UNSUPPORTED_VERSION,
        )
    raise MalformedPayload("this is not a docseal code (it does not start with DS1:)")


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
