"""The signed trust list and its status lists, with a real P-256 key."""

from __future__ import annotations

import datetime as dt
import json
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


def signed(
    lists: dict[str, tuple[list[int], int]],
    kid: str = "r1",
    superseded: dict[str, list[int]] | None = None,
    without_superseded: bool = False,
) -> str:
    issuer = Issuer("UBND-A", "UBND A", "Ward A", frozenset({"birth-registration"}))
    body = trustlist.payload(
        [issuer], [], lists, T0, T0 + dt.timedelta(hours=24), superseded=superseded
    )
    if without_superseded:  # as an export made before the second bitstring existed
        for entry in body["status_lists"].values():
            del entry["superseded"]
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


def test_superseded_documents_have_their_own_bits() -> None:
    jws = signed({"UBND-A/1": ([0, 9, 15], 16)}, superseded={"UBND-A/1": [9]})
    opened = trustlist.open_trust_list(jws, {"r1": SPKI}, T0)
    states = [opened.state_at("UBND-A/1", i) for i in range(16)]
    assert [i for i, s in enumerate(states) if s == "revoked"] == [0, 15]
    assert [i for i, s in enumerate(states) if s == "superseded"] == [9]
    body = json.loads(trustlist._unb64(jws.split(".")[1]))
    main_bits = zlib.decompress(trustlist._unb64(body["status_lists"]["UBND-A/1"]["bits"]))
    assert main_bits == bytes([0x80, 0x41])  # a verifier reading only "bits" refuses all three


def test_a_list_without_superseded_bits_reads_every_set_bit_as_revoked() -> None:
    jws = signed({"UBND-A/1": ([0, 9], 16)}, without_superseded=True)
    opened = trustlist.open_trust_list(jws, {"r1": SPKI}, T0)
    assert [opened.state_at("UBND-A/1", i) for i in (0, 1, 9)] == ["revoked", "valid", "revoked"]


def test_superseded_bits_shorter_than_the_list_are_refused() -> None:
    issuer = Issuer("UBND-A", "UBND A", "Ward A", frozenset({"birth-registration"}))
    body = trustlist.payload([issuer], [], {"UBND-A/1": ([1], 64)}, T0, T0 + dt.timedelta(hours=24))
    body["status_lists"]["UBND-A/1"]["superseded"] = trustlist.bitstring([1], 8)
    signing_input = trustlist.signing_input(body, "r1")
    jws = trustlist.assemble(
        signing_input, der_to_raw(ROOT.sign(signing_input, ec.ECDSA(hashes.SHA256())))
    )
    with pytest.raises(trustlist.TrustListRefused) as info:
        trustlist.open_trust_list(jws, {"r1": SPKI}, T0)
    assert info.value.code == "TRUST_LIST_MALFORMED"


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
        [issuer],
        [signer.key],
        {"UBND-A/1": ([1, 2], 8)},
        T0,
        T0 + dt.timedelta(hours=24),
        superseded={"UBND-A/1": [2]},
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
    assert offline_verdict(2) == ("DOCUMENT_SUPERSEDED",)
    assert offline_verdict(8) == ("STATUS_UNAVAILABLE",)  # the list is shorter than the index
