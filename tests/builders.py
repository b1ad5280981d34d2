"""Records for storage tests, one builder per kind: a plausible record, with
keyword arguments for the fields a test cares about. Used by the contract
suites (tests/contract) and the adapter tests (tests/adapters, and the races
in tests/functional)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from chalicelib.domain.models import (
    DocumentRecord,
    IdentityRecord,
    Issuer,
    ShareLink,
    SigningKey,
)
from tests.support import T0

ISSUER = "UBND-DICHVONGHAU"
KID = "0011223344556677"
HOLDER_REF = "f" * 64


def issuer(code: str = ISSUER, **changes: Any) -> Issuer:
    base = Issuer(
        code=code,
        name_vi="Ủy ban nhân dân phường Dịch Vọng Hậu",
        name_en="People's Committee of Dich Vong Hau Ward",
        allowed_types=frozenset({"birth-registration", "marital-status"}),
        area="Hà Nội",
    )
    return dataclasses.replace(base, **changes)


def key(kid: str = KID, issuer_code: str = ISSUER, **changes: Any) -> SigningKey:
    base = SigningKey(
        kid=kid,
        issuer=issuer_code,
        public_key_der=b"\x30\x59" + bytes(range(89)),
        status="active",
        activated_at=T0,
        custody="local",
        custody_ref="k-0123456789abcdef",
    )
    return dataclasses.replace(base, **changes)


def document(doc_id: str = "a" * 26, kid: str = KID, **changes: Any) -> DocumentRecord:
    base = DocumentRecord(
        id=doc_id,
        type="birth-registration",
        issuer=ISSUER,
        kid=kid,
        holder_ref=HOLDER_REF,
        issued_at=T0,
        expires_at=T0 + dt.timedelta(days=180),
        status_list=f"{ISSUER}/1",
        status_index=7,
        sealed_qr=b"\x00\x01sealed\xff",
    )
    return dataclasses.replace(base, **changes)


def identity(i: int, **changes: Any) -> IdentityRecord:
    base = IdentityRecord(f"{i:064x}", f"Người {i}", dt.date(2000, 1, 1), "female", "active")
    return dataclasses.replace(base, **changes)


def link(link_id: str = "l" * 26, token_hash: str = "ab" * 32, **changes: Any) -> ShareLink:
    base = ShareLink(
        id=link_id,
        token_hash=token_hash,
        doc_id="a" * 26,
        holder_ref=HOLDER_REF,
        created_at=T0,
        expires_at=T0 + dt.timedelta(days=7),
        disclose=("birth_place", "registration_no"),
        recipient="Trường Tiểu học Dịch Vọng",
        max_views=None,
    )
    return dataclasses.replace(base, **changes)
