"""Generate DS1 test vectors into tests/vectors/ds1/.

Run: .venv/bin/python scripts/make_vectors.py

Each vector holds a P-256 key (the private scalar, so another implementation
can sign too), the claims as JSON, the COSE_Sign1 bytes, the QR text, the
time to verify at and the expected verdict. ECDSA signatures are randomised,
so the file is regenerated only when the format changes; tests/unit/
test_vectors.py checks the committed files against this implementation.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import cbor2
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chalicelib.domain import cose, qrtext
from chalicelib.domain.claims import Holder, SignedDocument

OUT = Path(__file__).resolve().parent.parent / "tests" / "vectors" / "ds1"
SCALAR = 0x5A1E_D0C5_EA1D_0C5E_A1D0_C5EA_1D0C_5EA1_D0C5_EA1D_0C5E_A1D0_C5EA_1D0C_5EA1_D0C5
T = dt.datetime(2026, 11, 1, 1, 0, tzinfo=dt.UTC)

DOC = SignedDocument(
    issuer="UBND-DICHVONGHAU",
    issued_at=T,
    not_before=T,
    expires_at=None,
    id="rg53o6waegiyq7v3k4nz2tk2dm",
    type="birth-registration",
    holder=Holder("001325012345", "Nguyễn Thị Hồng Nhung", dt.date(2025, 3, 14)),
    fields={
        "birth_place": "Bệnh viện Phụ sản Hà Nội",
        "registration_date": "2025-03-20",
        "registration_no": "125/2025",
        "father_name": "Nguyễn Văn Hùng",
        "mother_name": "Lê Thị Mai",
        "registrar": "Nguyễn Thị Thu Hà",
    },
    status_list_number=1,
    status_index=0,
)


def main() -> None:
    key = ec.derive_private_key(SCALAR, ec.SECP256R1())
    spki = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    kid = cose.kid_for(spki)

    def sign(doc: SignedDocument, protected_map: dict[int, object] | None = None) -> bytes:
        protected = cbor2.dumps(protected_map) if protected_map else cose.protected_header(kid)
        payload = doc.to_cbor()
        der = key.sign(cose.sig_structure(protected, payload), ec.ECDSA(hashes.SHA256()))
        return cose.assemble(protected, payload, cose.der_to_raw(der))

    expiring = DOC._replace(expires_at=T + dt.timedelta(days=30))
    good = sign(DOC)
    parts = list(cbor2.loads(good).value)
    parts[2] = DOC._replace(fields={**DOC.fields, "father_name": "X"}).to_cbor()
    tampered = cbor2.CBORTag(18, parts)
    cases = [
        ("valid", good, T + dt.timedelta(days=1), []),
        ("expired", sign(expiring), T + dt.timedelta(days=31), ["EXPIRED"]),
        ("tampered", cbor2.dumps(tampered), T + dt.timedelta(days=1), ["SIGNATURE_INVALID"]),
        ("alg_es384", sign(DOC, {1: -35, 4: kid}), T, ["UNSUPPORTED_ALGORITHM"]),
    ]
    OUT.mkdir(parents=True, exist_ok=True)
    for name, cose_bytes, at, reasons in cases:
        vector = {
            "description": f"docseal DS1 vector: {name}",
            "private_scalar_hex": f"{SCALAR:064x}",
            "public_key_spki_hex": spki.hex(),
            "kid_hex": kid.hex(),
            "issuer": DOC.issuer,
            "issuer_allowed_types": ["birth-registration"],
            "key_activated_at": "2026-10-01T00:00:00Z",
            "cose_sign1_hex": cose_bytes.hex(),
            "qr_text": qrtext.with_url(qrtext.encode(cose_bytes), "https://docseal.example.vn"),
            "verify_at": at.isoformat().replace("+00:00", "Z"),
            "expected_verdict": "INVALID" if reasons else "VALID",
            "expected_reasons": reasons,
        }
        (OUT / f"{name}.json").write_text(json.dumps(vector, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {len(cases)} vectors to {OUT}")


if __name__ == "__main__":
    main()
