"""The committed DS1 vectors (tests/vectors/ds1, made by scripts/make_vectors.py)
still decode, verify and encode the same way with this implementation."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from chalicelib.domain import cose, qrtext
from chalicelib.domain.catalogue import CATALOGUE
from chalicelib.domain.models import Issuer, SigningKey
from chalicelib.domain.trust import TrustSnapshot
from chalicelib.domain.verify import verify

FOLDER = Path(__file__).resolve().parent.parent / "vectors" / "ds1"
VECTORS = sorted(FOLDER.glob("*.json"))


def test_there_are_vectors() -> None:
    assert {p.stem for p in VECTORS} >= {"valid", "expired", "tampered", "alg_es384"}


@pytest.mark.parametrize("path", VECTORS, ids=lambda p: p.stem)
def test_vector(path: Path) -> None:
    v = json.loads(path.read_text())
    spki = bytes.fromhex(v["public_key_spki_hex"])
    assert cose.kid_for(spki).hex() == v["kid_hex"]
    cose_bytes = bytes.fromhex(v["cose_sign1_hex"])
    # Decoding the QR text gives the COSE bytes; encoding them gives the QR text.
    assert qrtext.decode(v["qr_text"]) == cose_bytes
    assert qrtext.encode(cose_bytes) == v["qr_text"].split("#", 1)[1]
    key = SigningKey(
        kid=v["kid_hex"],
        issuer=v["issuer"],
        public_key_der=spki,
        status="active",
        activated_at=dt.datetime.fromisoformat(v["key_activated_at"]),
        custody="vector",
        custody_ref="vector",
    )
    issuer = Issuer(v["issuer"], "vector", "vector", frozenset(v["issuer_allowed_types"]))
    at = dt.datetime.fromisoformat(v["verify_at"])
    snapshot = TrustSnapshot.build([issuer], [key], CATALOGUE.values(), at)
    verdict = verify(v["qr_text"], snapshot, at)
    assert verdict.verdict == v["expected_verdict"]
    assert [r.value for r in verdict.reasons] == v["expected_reasons"]


def test_published_dictionary_matches() -> None:
    from chalicelib.domain.zdict import DS1_DICTIONARY

    assert (FOLDER / "ds1-zdict.bin").read_bytes() == DS1_DICTIONARY
