"""Wycheproof ECDSA P-256/SHA-256 vectors through the verifier's signature check.

Source: C2SP/wycheproof (Apache-2.0), copied from shared/vectors/wycheproof.
The P1363 file holds raw ``r || s`` signatures, the form docseal's COSE
signatures take; the DER file is run too, after converting each DER
signature to raw form, because DER is what KMS returns before conversion.
"""

from __future__ import annotations

import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from chalicelib.domain.cose import load_public_key, verify_raw_signature

VECTORS = Path(__file__).resolve().parent.parent / "vectors" / "wycheproof"


def _cases(name: str) -> list[tuple[str, dict[str, object], dict[str, str]]]:
    data = json.loads((VECTORS / name).read_text())
    return [(g["publicKeyDer"], g, t) for g in data["testGroups"] for t in g["tests"]]


def test_p1363_vectors_zero_mismatches() -> None:
    cases = _cases("ecdsa_secp256r1_sha256_p1363_test.json")
    assert len(cases) == 262
    mismatches = []
    for key_hex, _group, case in cases:
        key = load_public_key(bytes.fromhex(key_hex))
        ok = verify_raw_signature(key, bytes.fromhex(case["sig"]), bytes.fromhex(case["msg"]))
        if (case["result"] == "valid" and not ok) or (case["result"] == "invalid" and ok):
            mismatches.append(case["tcId"])
    assert mismatches == []


def test_der_vectors_converted_to_raw_zero_mismatches() -> None:
    cases = _cases("ecdsa_secp256r1_sha256_test.json")
    assert len(cases) > 400
    mismatches, checked = [], 0
    for key_hex, _group, case in cases:
        key = load_public_key(bytes.fromhex(key_hex))
        try:
            r, s = decode_dss_signature(bytes.fromhex(case["sig"]))
            raw = r.to_bytes(32, "big") + s.to_bytes(32, "big")
        except (ValueError, OverflowError):
            # Not strict DER or r/s wider than 32 bytes: cannot be a P-256
            # signature in raw form, so only "invalid" is a correct expectation.
            if case["result"] == "valid":
                mismatches.append(case["tcId"])
            continue
        checked += 1
        ok = verify_raw_signature(key, raw, bytes.fromhex(case["msg"]))
        if ok != (case["result"] == "valid"):
            mismatches.append(case["tcId"])
    assert checked > 100
    assert mismatches == []
