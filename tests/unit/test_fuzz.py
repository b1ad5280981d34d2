"""Hypothesis against every parser of untrusted bytes: only docseal's own
MalformedPayload may come out, and verify() always returns a verdict."""

from __future__ import annotations

import base64
import zlib

from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain import claims, cose, qrtext
from chalicelib.domain.reasons import Reason
from chalicelib.domain.verify import verify
from chalicelib.errors import MalformedPayload
from tests.support import T0, Signer, document, qr, trust

A = Signer("UBND-A")
TRUST = trust(A)
GOOD = A.sign_payload(document("UBND-A").to_cbor())


def _text(data: bytes) -> str:
    return "DS1:" + base64.b32encode(zlib.compress(data)).decode().rstrip("=")


@settings(max_examples=400)
@given(st.text(max_size=600))
def test_any_text(text: str) -> None:
    verdict = verify(text, TRUST, T0)
    assert verdict.verdict == "INVALID"


@settings(max_examples=400)
@given(st.binary(max_size=1200))
def test_any_bytes_under_the_prefix(data: bytes) -> None:
    verdict = verify(_text(data), TRUST, T0)
    assert verdict.reasons[0] in (
        Reason.MALFORMED,
        Reason.UNSUPPORTED_ALGORITHM,
        Reason.UNSUPPORTED_CRITICAL_HEADER,
        Reason.UNKNOWN_KEY,
        Reason.SIGNATURE_INVALID,
    )


@settings(max_examples=300)
@given(st.integers(0, len(GOOD) - 1), st.integers(1, 255))
def test_single_byte_flips_of_a_real_code(position: int, xor: int) -> None:
    flipped = bytearray(GOOD)
    flipped[position] ^= xor
    verdict = verify(qr(bytes(flipped)), TRUST, T0)
    assert verdict.verdict == "INVALID"


@settings(max_examples=300)
@given(st.binary(max_size=800))
def test_cbor_and_claims_parsers(data: bytes) -> None:
    for parse in (cose.parse, claims.parse):
        try:
            parse(data)
        except MalformedPayload:
            pass


@settings(max_examples=200)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.binary(max_size=20) | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(st.integers(-70000, 10) | st.text(max_size=5), inner, max_size=4)
        ),
        max_leaves=20,
    )
)
def test_structured_cbor_claims(value: object) -> None:
    import cbor2

    try:
        claims.parse(cbor2.dumps(value))
    except MalformedPayload:
        pass


def test_the_real_code_still_verifies() -> None:
    assert verify(qr(GOOD), TRUST, T0).verdict == "VALID"
    assert qrtext.decode(qr(GOOD)) == GOOD
