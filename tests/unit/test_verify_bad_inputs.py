"""Every bad input of the verifier gets the right reason code.

Real P-256 keys and signatures throughout; each case builds the bytes an
attacker or a broken issuer could put in a QR code.
"""

from __future__ import annotations

import base64
import zlib

import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from chalicelib.domain import cose
from chalicelib.domain.reasons import Reason
from chalicelib.domain.verify import verify
from tests.support import T0, FakeStatus, Signer, document, qr, trust

A = Signer("UBND-A")
B = Signer("UBND-B")
TRUST = trust(A, B)
PAYLOAD = document("UBND-A").to_cbor()


def check(cose_bytes: bytes) -> tuple[Reason, ...]:
    return verify(qr(cose_bytes), TRUST, T0, status=FakeStatus()).reasons


def test_the_honest_payload_is_valid() -> None:
    assert check(A.sign_payload(PAYLOAD)) == ()


def test_untagged_cose_sign1_is_accepted() -> None:
    assert check(A.sign_payload(PAYLOAD, tagged=False)) == ()


@pytest.mark.parametrize(
    "name, protected, unprotected, reason",
    [
        ("alg none", {1: 0, 4: A.kid}, None, Reason.UNSUPPORTED_ALGORITHM),
        ("alg missing", {4: A.kid}, None, Reason.UNSUPPORTED_ALGORITHM),
        ("alg ES384", {1: -35, 4: A.kid}, None, Reason.UNSUPPORTED_ALGORITHM),
        ("alg EdDSA", {1: -8, 4: A.kid}, None, Reason.UNSUPPORTED_ALGORITHM),
        ("alg as text", {1: "ES256", 4: A.kid}, None, Reason.UNSUPPORTED_ALGORITHM),
        ("alg unprotected", {4: A.kid}, {1: -7}, Reason.UNSUPPORTED_ALGORITHM),
        ("alg in both", {1: -7, 4: A.kid}, {1: -7}, Reason.UNSUPPORTED_ALGORITHM),
        ("unknown crit", {1: -7, 2: [99], 4: A.kid}, None, Reason.UNSUPPORTED_CRITICAL_HEADER),
        ("empty protected", {}, {1: -7, 4: A.kid}, Reason.UNSUPPORTED_ALGORITHM),
        ("kid only unprotected", {1: -7}, {4: A.kid}, Reason.MALFORMED),
        ("kid of wrong size", {1: -7, 4: A.kid + b"\0"}, None, Reason.MALFORMED),
        ("kid as text", {1: -7, 4: A.kid.hex()}, None, Reason.MALFORMED),
        ("unknown kid", {1: -7, 4: b"\x01" * 8}, None, Reason.UNKNOWN_KEY),
    ],
)
def test_header_rules(
    name: str, protected: dict[int, object], unprotected: dict[int, object] | None, reason: Reason
) -> None:
    assert check(A.sign_payload(PAYLOAD, protected, unprotected)) == (reason,)


def test_der_signature_instead_of_raw_is_refused() -> None:
    protected = cose.protected_header(A.kid)
    raw = A.raw_sign(cose.sig_structure(protected, PAYLOAD))
    der = encode_dss_signature(int.from_bytes(raw[:32]), int.from_bytes(raw[32:]))
    assert check(A.sign_payload(PAYLOAD, signature=der)) == (Reason.SIGNATURE_INVALID,)


def test_truncated_and_empty_signatures() -> None:
    good = A.sign_payload(PAYLOAD)
    sig = cbor2.loads(good).value[3]
    assert check(A.sign_payload(PAYLOAD, signature=sig[:63])) == (Reason.SIGNATURE_INVALID,)
    assert check(A.sign_payload(PAYLOAD, signature=b"")) == (Reason.SIGNATURE_INVALID,)
    assert check(A.sign_payload(PAYLOAD, signature=b"\0" * 64)) == (Reason.SIGNATURE_INVALID,)


def test_high_s_copy_has_the_same_verdict_as_the_original() -> None:
    protected = cose.protected_header(A.kid)
    raw = A.raw_sign(cose.sig_structure(protected, PAYLOAD))
    r, s = int.from_bytes(raw[:32]), int.from_bytes(raw[32:])
    flipped = r.to_bytes(32) + (cose.P256_ORDER - s).to_bytes(32)
    assert flipped != raw
    assert check(A.sign_payload(PAYLOAD, signature=raw)) == ()
    assert check(A.sign_payload(PAYLOAD, signature=flipped)) == ()


def test_tampered_payload_fails_the_signature() -> None:
    protected = cose.protected_header(A.kid)
    sig = A.raw_sign(cose.sig_structure(protected, PAYLOAD))
    forged = document("UBND-A", fields={**document().fields, "father_name": "Kẻ Giả Mạo"})
    assert check(A.sign_payload(forged.to_cbor(), signature=sig)) == (Reason.SIGNATURE_INVALID,)


def test_issuer_b_key_on_a_payload_claiming_issuer_a() -> None:
    forged = B.sign_payload(PAYLOAD)  # PAYLOAD says iss = UBND-A
    assert Reason.ISSUER_MISMATCH in check(forged)


def test_signature_by_a_key_outside_the_trust_list() -> None:
    stranger = Signer("UBND-A")
    assert check(stranger.sign_payload(PAYLOAD)) == (Reason.UNKNOWN_KEY,)


def _raw_cose(data: bytes) -> str:
    return "DS1:" + base64.b32encode(zlib.compress(data)).decode().rstrip("=")


@pytest.mark.parametrize(
    "name, data",
    [
        ("too large", cbor2.dumps(cbor2.CBORTag(18, [b"", {}, b"x" * 5000, b""]))),
        ("too deep", b"\x81" * 50 + b"\x01"),
        ("duplicate keys in unprotected", b"\xd2\x84\x40\xa2\x01\x26\x01\x26\x40\x40"),
        ("trailing bytes", A.sign_payload(PAYLOAD) + b"\x00"),
        ("indefinite array", b"\xd2\x9f\x40\xa0\x40\x40\xff"),
        ("wrong tag", cbor2.dumps(cbor2.CBORTag(98, [b"", {}, b"", b""]))),
        ("three items", cbor2.dumps([b"", {}, b""])),
        ("map not array", cbor2.dumps({1: 2})),
        ("datetime tag", b"\xc1\x1a\x00\x00\x00\x01"),
        ("truncated", A.sign_payload(PAYLOAD)[:-10]),
        ("protected not a map", cbor2.dumps([cbor2.dumps([1]), {}, b"", b""])),
        ("payload as text", cbor2.dumps([cose.protected_header(A.kid), {}, "text", b""])),
    ],
    # named by the case alone: the bytes hold a random kid, and parallel runs
    # (pytest-xdist) need every worker to collect the same ids
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_malformed_cbor(name: str, data: bytes) -> None:
    assert verify(_raw_cose(data), TRUST, T0).reasons == (Reason.MALFORMED,)


@pytest.mark.parametrize(
    "name, claims",
    [
        ("claims not a map", [1, 2]),
        ("iss missing", {6: 1, 5: 1, -65537: {}}),
        ("iat as text", {1: "UBND-A", 6: "now", 5: 1, -65537: {}}),
        ("document missing", {1: "UBND-A", 6: 1, 5: 1}),
        ("duplicate claim keys", None),
    ],
)
def test_signed_but_malformed_claims(name: str, claims: object) -> None:
    payload = b"\xa2\x01\x66UBND-A\x01\x66UBND-B" if claims is None else cbor2.dumps(claims)
    assert check(A.sign_payload(payload)) == (Reason.MALFORMED,)


def test_signed_claims_with_bad_document_fields() -> None:
    raw = cbor2.loads(PAYLOAD)
    for mutate in (
        lambda d: d.__setitem__(1, b"short"),
        lambda d: d[3].__setitem__(3, "14/03/2025"),
        lambda d: d[3].__setitem__(3, "2025-02-30"),
        lambda d: d[4].__setitem__("Bad Code", "x"),
        lambda d: d[4].__setitem__("empty", ""),
        lambda d: d.__setitem__(6, ["UBND-A/1", 0]),
        lambda d: d.__setitem__(6, [1, -1]),
        lambda d: d[3].__setitem__(1, 1325012345),
    ):
        claims = cbor2.loads(PAYLOAD)
        mutate(claims[-65537])
        assert check(A.sign_payload(cbor2.dumps(claims))) == (Reason.MALFORMED,), mutate
    assert raw == cbor2.loads(PAYLOAD)
