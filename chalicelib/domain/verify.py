"""Verification of a docseal QR text: the steps, numbered, and the verdict.

``verify`` is pure: everything it needs comes in as arguments (the trust
snapshot, the time, and a ``StatusSource`` port for document and identity
status, which tests replace with a fake). Up to the signature check it stops
at the first failure (nothing before it can be believed); after it, it
collects every reason that applies so the officer sees them all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Literal, Protocol

from chalicelib.domain import claims as claims_mod
from chalicelib.domain import cose, qrtext
from chalicelib.domain.catalogue import RECEIPT_TYPE
from chalicelib.domain.claims import SignedDocument
from chalicelib.domain.idnumber import same_number
from chalicelib.domain.models import DocumentStatus, IdentityStatus, Issuer
from chalicelib.domain.reasons import Reason, explain
from chalicelib.domain.trust import TrustSnapshot
from chalicelib.domain.views import document_view, iso
from chalicelib.errors import MalformedPayload

CLOCK_SKEW = dt.timedelta(minutes=5)


@dataclasses.dataclass(frozen=True)
class DocumentState:
    # "unknown": an offline status list does not cover the document's index
    status: DocumentStatus | Literal["unknown"]
    reason: str = ""
    successor: str = ""


class StatusSource(Protocol):
    """Status the signature cannot carry: revocations and identity records
    (live from the store, or from an exported trust list offline)."""

    knows_identities: bool  # an offline trust list carries no identity records

    def document_state(self, doc: SignedDocument) -> DocumentState | None: ...

    def identity_status(self, id_number: str) -> IdentityStatus | None: ...


@dataclasses.dataclass(frozen=True)
class Verdict:
    reasons: tuple[Reason, ...]
    checked_at: dt.datetime
    trust_as_of: dt.datetime
    document: SignedDocument | None = None
    kid: str | None = None
    issuer: Issuer | None = None
    holder_match: bool | None = None
    successor: str = ""
    notes: dict[str, str] = dataclasses.field(default_factory=dict)
    trust: TrustSnapshot | None = dataclasses.field(default=None, repr=False, compare=False)

    @property
    def verdict(self) -> Literal["VALID", "INVALID"]:
        return "INVALID" if self.reasons else "VALID"

    @property
    def document_valid(self) -> bool:
        """The document itself passed every check; who presents it is the
        other answer (``holder_match_code``)."""
        return self.document is not None and not any(
            r is not Reason.HOLDER_MISMATCH for r in self.reasons
        )

    @property
    def holder_match_code(self) -> Literal["MATCH", "MISMATCH", "NOT_CHECKED"]:
        if self.holder_match is None:
            return "NOT_CHECKED"
        return "MATCH" if self.holder_match else "MISMATCH"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "verdict": self.verdict,
            "reasons": [r.value for r in self.reasons],
            "explanations": [explain(r) for r in self.reasons],
            "document": self._document_dict(),
            "kid": self.kid,
            "document_valid": self.document_valid,
            "holder_match": self.holder_match_code,
            "checked_at": iso(self.checked_at),
            "trust_as_of": iso(self.trust_as_of),
        }
        if self.successor:
            out["successor"] = self.successor
        if self.document is not None and self.document.type == RECEIPT_TYPE:
            out["receipt_of"] = receipt_conclusion(self.document)
        if self.notes:
            out["notes"] = dict(self.notes)
        return out

    def _document_dict(self) -> dict[str, Any] | None:
        if self.document is None or self.trust is None:
            return None
        return document_view(self.document, self.trust)


def receipt_conclusion(receipt: SignedDocument) -> dict[str, Any]:
    """What a receipt records of the check it was made for: the verdict, the
    reasons, whether the document itself passed and the holder match. The
    receipt's own ``verdict`` says only whether the receipt is authentic."""
    fields = receipt.fields
    reasons = fields.get("reasons", "").split()
    return {
        "document_id": fields.get("document_id"),
        "verdict": fields.get("verdict"),
        "reasons": reasons,
        "document_valid": fields.get("verdict") == "VALID"
        or reasons == [Reason.HOLDER_MISMATCH.value],
        "holder_match": fields.get("holder_match"),
    }


def verify(
    qr_text: str,
    trust: TrustSnapshot,
    now: dt.datetime,
    presented_holder_id: str | None = None,
    status: StatusSource | None = None,
) -> Verdict:
    def fail(reason: Reason | str, kid: str | None = None) -> Verdict:
        return Verdict((Reason(reason),), now, trust.as_of, kid=kid, trust=trust)

    try:
        # 1. Decode the QR text: version prefix, Base32, bounded zlib.
        cose_bytes = qrtext.decode(qr_text)
        # 2. Parse COSE_Sign1; ES256 and kid in the protected header, no crit.
        sign1 = cose.parse(cose_bytes)
    except MalformedPayload as exc:
        return fail(exc.reason)

    # 3. Find the signing key in the trust snapshot.
    kid = sign1.kid.hex()
    key = trust.keys.get(kid)
    public_key = trust.public_keys.get(kid)
    if key is None or public_key is None:
        return fail(Reason.UNKNOWN_KEY, kid=kid)

    # 4. Check the signature over the Sig_structure.
    if not cose.verify_raw_signature(public_key, sign1.signature, sign1.to_be_signed()):
        return fail(Reason.SIGNATURE_INVALID, kid=kid)

    # 5. Only now read the claims: a valid signature makes them the issuer's words.
    try:
        doc = claims_mod.parse(sign1.payload)
    except MalformedPayload as exc:
        return fail(exc.reason, kid=kid)

    reasons: list[Reason] = []
    notes: dict[str, str] = {}
    issuer = trust.issuers.get(key.issuer)

    # 6. The issuer named in the payload must own the key that signed it.
    if doc.issuer != key.issuer:
        reasons.append(Reason.ISSUER_MISMATCH)

    # 7. The key: not revoked (revoked keys verify nothing), active when it signed.
    if key.status == "revoked" and (key.revoked_at is None or key.revoked_at <= now):
        reasons.append(Reason.KEY_REVOKED)
        if key.revoked_at:
            notes["key_revoked_at"] = iso(key.revoked_at)
        if key.revocation_reason:
            notes["key_revocation_reason"] = key.revocation_reason
    if doc.issued_at < key.activated_at or (
        key.retired_at is not None and doc.issued_at >= key.retired_at
    ):
        reasons.append(Reason.KEY_NOT_ACTIVE_AT_ISSUANCE)

    # 8. Scope: the type must be known and within the issuer's allowed types.
    if doc.type not in trust.doc_types:
        reasons.append(Reason.UNKNOWN_DOCUMENT_TYPE)
    if issuer is None or doc.type not in issuer.allowed_types:
        reasons.append(Reason.ISSUER_OUT_OF_SCOPE)

    # 9. Validity period (with a small allowance for clock skew on nbf).
    if doc.not_before > now + CLOCK_SKEW:
        reasons.append(Reason.NOT_YET_VALID)
    if doc.expires_at is not None and doc.expires_at <= now:
        reasons.append(Reason.EXPIRED)

    # 10. Document status: revoked or superseded since signing.
    successor = ""
    state = status.document_state(doc) if status else None
    if state is not None and state.status == "revoked":
        reasons.append(Reason.DOCUMENT_REVOKED)
        if state.reason:
            notes["document_revocation_reason"] = state.reason
    elif state is not None and state.status == "superseded":
        reasons.append(Reason.DOCUMENT_SUPERSEDED)
        successor = state.successor
    elif state is not None and state.status == "unknown":
        reasons.append(Reason.STATUS_UNAVAILABLE)

    # 11. The holder's identity record must exist and be active (not for receipts,
    # which record a past check).
    doc_type = trust.doc_types.get(doc.type)
    if (
        status is not None
        and status.knows_identities
        and (doc_type is None or doc_type.checks_identity)
    ):
        identity = status.identity_status(doc.holder.id_number)
        if identity is None:
            reasons.append(Reason.IDENTITY_UNKNOWN)
        elif identity != "active":
            reasons.append(Reason.IDENTITY_INACTIVE)

    # 12. Is the person at the desk the holder? (Not of a receipt: it names
    # the holder of the document it records, masked when made from a link.)
    holder_match: bool | None = None
    if presented_holder_id is not None and doc.type != RECEIPT_TYPE:
        holder_match = same_number(presented_holder_id, doc.holder.id_number)
        if not holder_match:
            reasons.append(Reason.HOLDER_MISMATCH)

    return Verdict(
        tuple(reasons),
        now,
        trust.as_of,
        document=doc,
        kid=kid,
        issuer=issuer,
        holder_match=holder_match,
        successor=successor,
        notes=notes,
        trust=trust,
    )
