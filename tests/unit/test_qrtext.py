"""Bad QR texts: each is refused with the right reason, never an exception."""

from __future__ import annotations

import base64
import zlib
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain import qrtext
from chalicelib.domain.zdict import DS1_DICTIONARY
from chalicelib.errors import MalformedPayload
from tests.spellings import FOREIGN, damaged, spellings


def b32(data: bytes) -> str:
    return base64.b32encode(data).decode().rstrip("=")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "NOT_A_DOCSEAL_CODE"),
        ("   ", "NOT_A_DOCSEAL_CODE"),
        ("HC1:NCFOXN%TS3DH", "NOT_A_DOCSEAL_CODE"),  # an EU certificate, not ours
        (
            "NZCP:/1/2KCEVIQEIVVWK6JNGEASNICZAEP2KALYDZSGSZB2O5SWEOTOPJRXALTDN53GSZBRHEXGQZLYMN3D",
            "NOT_A_DOCSEAL_CODE",
        ),
        ("DS2:AAAA", "UNSUPPORTED_VERSION"),
        ("https://docseal.example.vn/v#DS9:AAAA", "UNSUPPORTED_VERSION"),
        ("DS1:", "MALFORMED"),
        ("DS1:abcdef", "MALFORMED"),  # read as ABCDEF: an impossible Base32 length
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


# One canonical reading (issue 13): every spelling of a genuine code reads as
# it, other systems' texts are NOT_A_DOCSEAL_CODE, broken docseal texts MALFORMED.
SAMPLE = qrtext.with_url(qrtext.encode(b"\xa2\x01\x26\x04\x48" + bytes(range(200))), "https://h.vn")


@pytest.mark.parametrize(
    ("name", "spelling"), spellings(SAMPLE), ids=[n for n, _ in spellings(SAMPLE)]
)
def test_every_spelling_reads_as_the_code(name: str, spelling: str) -> None:
    assert qrtext.canonical(spelling) == qrtext.canonical(SAMPLE), name
    assert qrtext.decode(spelling) == qrtext.decode(SAMPLE)
    assert qrtext.is_docseal(spelling)


@pytest.mark.parametrize(("name", "text"), FOREIGN, ids=[n for n, _ in FOREIGN])
def test_other_systems_texts_are_not_docseal_codes(name: str, text: str) -> None:
    with pytest.raises(MalformedPayload) as info:
        qrtext.decode(text)
    assert info.value.reason == "NOT_A_DOCSEAL_CODE", name
    assert not qrtext.is_docseal(text)


@pytest.mark.parametrize(
    ("name", "text", "reason"), damaged(SAMPLE), ids=[n for n, _, _ in damaged(SAMPLE)]
)
def test_damaged_docseal_texts_say_so(name: str, text: str, reason: str) -> None:
    with pytest.raises(MalformedPayload) as info:
        qrtext.decode(text)
    assert info.value.reason == reason, name
    assert qrtext.is_docseal(text)


def test_blank_is_only_white_space_and_invisible_characters() -> None:
    assert qrtext.is_blank(" \n\u200b\ufeff\u00a0" * 1000)
    assert qrtext.is_blank("%20%E2%80%8B%2520")  # however encoded
    assert not qrtext.is_blank(" x ")
    assert not qrtext.is_blank(" " * 100_000)  # longer than any code: not "nothing given"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \n\t\u200b\ufeff\u00a0%20E28B5x:", max_size=60))
def test_blank_exactly_when_the_reading_finds_the_text_empty(text: str) -> None:
    try:
        qrtext.canonical(text)
        empty = False
    except MalformedPayload as exc:
        empty = str(exc) == "the text is empty"
    assert qrtext.is_blank(text) == empty


def test_characters_that_grow_under_nfkc_are_bounded() -> None:
    """U+FDFA becomes 18 characters: the limit holds after NFKC too."""
    with pytest.raises(MalformedPayload) as info:
        qrtext.canonical("\ufdfa" * 60_000 + "%25252541")
    assert info.value.reason == "NOT_A_DOCSEAL_CODE"


_SPELLERS = {
    "as-is": lambda t: t,
    "lower": str.lower,
    "pct-hash": lambda t: t.replace("#", "%23"),
    "quoted": lambda t: quote(t, safe=""),
    "wrapped": lambda t: "\n".join(t[i : i + 50] for i in range(0, len(t), 50)),
    "zwsp": lambda t: "\u200b".join(t[i : i + 7] for i in range(0, len(t), 7)),
    "bare": lambda t: t.rsplit("#", 1)[1],
}


@settings(max_examples=150, deadline=None)
@given(
    data=st.binary(min_size=1, max_size=900),
    host=st.from_regex(
        r"https://[a-z][a-z0-9-]{0,20}(\.[a-z]{2,6}){1,2}(:[0-9]{2,5})?", fullmatch=True
    ),
    speller=st.sampled_from(sorted(_SPELLERS)),
)
def test_any_payload_on_any_host_reads_back_in_any_spelling(
    data: bytes, host: str, speller: str
) -> None:
    text = qrtext.with_url(qrtext.encode(data), host)
    assert qrtext.decode(_SPELLERS[speller](text)) == data


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gets_a_reason_never_an_exception(text: str) -> None:
    try:
        qrtext.decode(text)
    except MalformedPayload as exc:
        assert exc.reason in ("NOT_A_DOCSEAL_CODE", "MALFORMED", "UNSUPPORTED_VERSION")
