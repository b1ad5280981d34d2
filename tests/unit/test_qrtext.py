"""Bad QR texts: each is refused with the right reason, never an exception."""

from __future__ import annotations

import base64
import zlib

import pytest

from chalicelib.domain import qrtext
from chalicelib.domain.zdict import DS1_DICTIONARY
from chalicelib.errors import MalformedPayload


def b32(data: bytes) -> str:
    return base64.b32encode(data).decode().rstrip("=")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "MALFORMED"),
        ("   ", "MALFORMED"),
        ("HC1:NCFOXN%TS3DH", "MALFORMED"),  # an EU certificate, not ours
        (
            "NZCP:/1/2KCEVIQEIVVWK6JNGEASNICZAEP2KALYDZSGSZB2O5SWEOTOPJRXALTDN53GSZBRHEXGQZLYMN3D",
            "MALFORMED",
        ),
        ("DS2:AAAA", "UNSUPPORTED_VERSION"),
        ("https://docseal.example.vn/v#DS9:AAAA", "UNSUPPORTED_VERSION"),
        ("DS1:", "MALFORMED"),
        ("DS1:abcdef", "MALFORMED"),  # lower case is outside Base32 upper
        ("DS1:AAAA0189", "MALFORMED"),  # 0, 1, 8, 9 are not Base32
        ("DS1:AAAA====", "MALFORMED"),  # padding is not allowed
        ("DS1:A", "MALFORMED"),  # impossible length
        ("DS1:" + b32(b"not zlib at all"), "MALFORMED"),
        ("DS1:" + "A" * 5000, "MALFORMED"),  # longer than any QR code
    ],
)
def test_bad_text(text: str, reason: str) -> None:
    with pytest.raises(MalformedPayload) as info:
        qrtext.decode(text)
    assert info.value.reason == reason


def test_zlib_bomb_is_bounded() -> None:
    bomb = zlib.compress(b"\0" * 2_000_000, 9)  # ~2 MB from ~2 KB
    assert len("DS1:" + b32(bomb)) < qrtext.MAX_TEXT_CHARS  # fits in a QR code
    with pytest.raises(MalformedPayload, match="size limit"):
        qrtext.decode("DS1:" + b32(bomb))


def test_truncated_and_trailing_zlib() -> None:
    good = zlib.compress(b"x" * 100)
    with pytest.raises(MalformedPayload, match="truncated"):
        qrtext.inflate(good[:-6])
    with pytest.raises(MalformedPayload, match="follow"):
        qrtext.inflate(good + b"extra")


def test_round_trip_with_and_without_url() -> None:
    data = bytes(range(256)) * 2
    text = qrtext.encode(data)
    assert text.startswith("DS1:") and set(text[4:]) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    assert qrtext.decode(text) == data
    assert qrtext.decode(qrtext.with_url(text, "https://docseal.example.vn/")) == data
    assert qrtext.with_url(text, "https://h.vn").startswith("https://h.vn/v#DS1:")


def test_plain_zlib_without_dictionary_also_decodes() -> None:
    assert qrtext.decode("DS1:" + b32(zlib.compress(b"plain"))) == b"plain"


def test_dictionary_is_frozen() -> None:
    # DS1 codes depend on these exact bytes; changing them needs a DS2.
    assert zlib.adler32(DS1_DICTIONARY) == 0x7B7C3625
