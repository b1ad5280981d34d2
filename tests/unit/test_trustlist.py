"""The signed trust list and its status lists, with a real P-256 key."""

from __future__ import annotations

import datetime as dt
import zlib

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from chalicelib.domain import trustlist
from chalicelib.domain.cose import der_to_raw
from chalicelib.domain.models import Issuer

T0 = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
ROOT = ec.generate_private_key(ec.SECP256R1())
SPKI = ROOT.public_key().public_bytes(
    serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
)


def signed(lists: dict[str, tuple[list[int], int]], kid: str = "r1") -> str:
    issuer = Issuer("UBND-A", "UBND A", "Ward A", frozenset({"birth-registration"}))
    body = trustlist.payload([issuer], [], lists, T0, T0 + dt.timedelta(hours=24))
    signing_input = trustlist.signing_input(body, kid)
    return trustlist.assemble(
        signing_input, der_to_raw(ROOT.sign(signing_input, ec.ECDSA(hashes.SHA256())))
    )


def test_bits_are_read_back_most_significant_first() -> None:
    opened = trustlist.open_trust_list(signed({"UBND-A/1": ([0, 9, 15], 16)}), {"r1": SPKI}, T0)
    states = [opened.state_at("UBND-A/1", i) for i in range(16)]
    assert [i for i, s in enumerate(states) if s == "revoked"] == [0, 9, 15]
    assert opened.state_at("UBND-A/1", 16) == "unknown"  # shorter than the index
    assert opened.state_at("UBND-B/1", 0) == "unknown"  # no such list
    assert opened.snapshot.issuers["UBND-A"].allowed_types == {"birth-registration"}


def test_the_bitstring_is_compressed() -> None:
    raw = zlib.decompress(trustlist._unb64(trustlist.bitstring([3], 100_000)))
    assert len(raw) == 12_500 and raw[0] == 0x10
    assert len(trustlist.bitstring([3], 100_000)) < 200


@pytest.mark.parametrize(
    ("jws", "roots", "now", "code"),
    [
        ("not.a.jws.at.all", {"r1": SPKI}, T0, "TRUST_LIST_MALFORMED"),
        ("", {"r1": SPKI}, T0, "TRUST_LIST_MALFORMED"),
        (None, {"other": SPKI}, T0, "TRUST_LIST_UNKNOWN_ROOT"),
        (None, {"r1": SPKI}, T0 + dt.timedelta(hours=24), "TRUST_LIST_EXPIRED"),
    ],
)
def test_refusals(jws: str | None, roots: dict[str, bytes], now: dt.datetime, code: str) -> None:
    with pytest.raises(trustlist.TrustListRefused) as info:
        trustlist.open_trust_list(jws if jws is not None else signed({}), roots, now)
    assert info.value.code == code


def test_a_changed_byte_fails_the_signature() -> None:
    head, body, sig = signed({"UBND-A/1": ([1], 8)}).split(".")
    for i in (0, 5, len(body) // 2, len(body) - 8):  # not the last: it may hold padding bits
        changed = body[:i] + ("A" if body[i] != "A" else "B") + body[i + 1 :]
        with pytest.raises(trustlist.TrustListRefused) as info:
            trustlist.open_trust_list(f"{head}.{changed}.{sig}", {"r1": SPKI}, T0)
        assert info.value.code == "TRUST_LIST_BAD_SIGNATURE"


def test_offline_verdicts_read_the_status_list() -> None:
    from chalicelib.domain.verify import verify
    from tests.support import Signer, document, qr

    signer = Signer("UBND-A")
    issuer = Issuer("UBND-A", "UBND A", "Ward A", frozenset({"birth-registration"}))
    body = trustlist.payload(
        [issuer], [signer.key], {"UBND-A/1": ([1], 8)}, T0, T0 + dt.timedelta(hours=24)
    )
    signing_input = trustlist.signing_input(body, "r1")
    jws = trustlist.assemble(
        signing_input, der_to_raw(ROOT.sign(signing_input, ec.ECDSA(hashes.SHA256())))
    )
    offline = trustlist.open_trust_list(jws, {"r1": SPKI}, T0)

    def offline_verdict(index: int) -> tuple[str, ...]:
        doc = document(status_index=index)
        text = qr(signer.sign_payload(doc.to_cbor()))
        return tuple(verify(text, offline.snapshot, T0, status=offline).reasons)

    assert offline_verdict(0) == ()  # no identity check offline: records are not exported
    assert offline_verdict(1) == ("DOCUMENT_REVOKED",)
    assert offline_verdict(8) == ("STATUS_UNAVAILABLE",)  # the list is shorter than the index
