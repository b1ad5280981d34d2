"""Test support: the holder, identity records and birth-registration fields
the suites issue with; a fixed clock, a fake status source, and a forger that
signs docseal payloads with arbitrary (also broken) headers using real P-256 keys."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from chalicelib.domain import cose, qrtext
from chalicelib.domain.catalogue import CATALOGUE
from chalicelib.domain.claims import Holder, SignedDocument
from chalicelib.domain.models import DocumentStatus, IdentityStatus, Issuer, SigningKey
from chalicelib.domain.trust import TrustSnapshot
from chalicelib.domain.verify import DocumentState

T0 = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)
HOLDER_ID = "001325012345"
HOLDER_NAME = "Nguyễn Thị Hồng Nhung"
HOLDER_DOB = dt.date(2025, 3, 14)
# A birth registration's fields, all filled in (the parents' names are optional).
BIRTH_FIELDS = {
    "birth_place": "Bệnh viện Phụ sản Hà Nội",
    "registration_date": "2025-03-20",
    "registration_no": "125/2025",
    "father_name": "Nguyễn Văn Hùng",
    "mother_name": "Lê Thị Mai",
    "registrar": "Nguyễn Thị Thu Hà",
}

# Identity records as an import file's rows: the holder, another adult, and
# someone deceased (no document may be issued to them).
PEOPLE = [
    {
        "id_number": HOLDER_ID,
        "full_name": HOLDER_NAME,
        "dob": HOLDER_DOB.isoformat(),
        "gender": "female",
        "status": "active",
    },
    {
        "id_number": "001090004567",
        "full_name": "Trần Văn Nam",
        "dob": "1990-05-17",
        "gender": "male",
        "status": "active",
    },
    {
        "id_number": "001145003344",
        "full_name": "Đỗ Thị Lan",
        "dob": "1945-01-20",
        "gender": "female",
        "status": "deceased",
    },
]


class FixedClock:
    def __init__(self, now: dt.datetime = T0) -> None:
        self.current = now

    def now(self) -> dt.datetime:
        return self.current

    def advance(self, **kw: float) -> None:
        self.current += dt.timedelta(**kw)


@dataclasses.dataclass
class FakeStatus:
    documents: dict[str, DocumentState] = dataclasses.field(default_factory=dict)
    identities: dict[str, IdentityStatus] = dataclasses.field(
        default_factory=lambda: {HOLDER_ID: "active"}
    )

    knows_identities = True

    def document_state(self, doc: SignedDocument) -> DocumentState | None:
        return self.documents.get(doc.id)

    def identity_status(self, id_number: str) -> IdentityStatus | None:
        return self.identities.get(id_number)

    def set_document(self, doc_id: str, status: DocumentStatus, successor: str = "") -> None:
        self.documents[doc_id] = DocumentState(status, "test", successor)


class Signer:
    """An issuer's P-256 key, able to sign correct and deliberately broken payloads."""

    def __init__(self, issuer: str, activated_at: dt.datetime = T0 - dt.timedelta(days=30)):
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.spki = self.private.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.kid = cose.kid_for(self.spki)
        self.key = SigningKey(
            kid=self.kid.hex(),
            issuer=issuer,
            public_key_der=self.spki,
            status="active",
            activated_at=activated_at,
            custody="test",
            custody_ref="test",
        )

    def raw_sign(self, message: bytes) -> bytes:
        return cose.der_to_raw(self.private.sign(message, ec.ECDSA(hashes.SHA256())))

    def sign_payload(
        self,
        payload: bytes,
        protected_map: dict[Any, Any] | None = None,
        unprotected: dict[Any, Any] | None = None,
        signature: bytes | None = None,
        tagged: bool = True,
    ) -> bytes:
        """COSE_Sign1 bytes; headers default to docseal's (ES256, kid)."""
        if protected_map is None:
            protected_map = {cose.HDR_ALG: cose.ALG_ES256, cose.HDR_KID: self.kid}
        protected = cbor2.dumps(protected_map) if protected_map else b""
        if signature is None:
            signature = self.raw_sign(cose.sig_structure(protected, payload))
        body = [protected, unprotected or {}, payload, signature]
        return cbor2.dumps(cbor2.CBORTag(18, body) if tagged else body)


def document(issuer: str = "UBND-A", **changes: Any) -> SignedDocument:
    base = SignedDocument(
        issuer=issuer,
        issued_at=T0,
        not_before=T0,
        expires_at=None,
        id="rg53o6waegiyq7v3k4nz2tk2dm",
        type="birth-registration",
        holder=Holder(HOLDER_ID, HOLDER_NAME, HOLDER_DOB),
        fields=dict(BIRTH_FIELDS),
        status_list_number=1,
        status_index=0,
    )
    return base._replace(**changes)


def qr(cose_bytes: bytes) -> str:
    return qrtext.with_url(qrtext.encode(cose_bytes), "https://docseal.example.vn")


def trust(*signers: Signer, as_of: dt.datetime = T0) -> TrustSnapshot:
    issuers = {
        s.key.issuer: Issuer(
            s.key.issuer,
            f"Cơ quan {s.key.issuer}",
            f"Issuer {s.key.issuer}",
            frozenset({"birth-registration", "marital-status"}),
        )
        for s in signers
    }
    return TrustSnapshot.build(
        issuers.values(), [s.key for s in signers], CATALOGUE.values(), as_of
    )
