"""Verification receipts: what an agency files instead of a stamped copy.

After a check, docseal signs a small document of its own type
(``verification-receipt``) with its service key: which document was checked,
its verdict and reasons, when, how old the trust data was, whether the person
at the desk matched the holder, and the verifying agency when an officer is
signed in. The receipt is a docseal result like any other: its QR code
verifies with ``docseal verify`` and on the page. Its holder is the checked
document's holder; the receipt never carries the number the officer typed.
"""

from __future__ import annotations

import secrets
from typing import Any

from chalicelib.domain import claims
from chalicelib.domain.catalogue import RECEIPT_TYPE, SERVICE_ISSUER
from chalicelib.domain.claims import SignedDocument
from chalicelib.domain.idnumber import SHARED_DIGITS, mask
from chalicelib.domain.models import SigningKey
from chalicelib.domain.principal import Principal
from chalicelib.domain.verify import Verdict
from chalicelib.domain.views import iso
from chalicelib.errors import Conflict, ErrorCode, ValidationFailed
from chalicelib.ports import Clock, Counters, KeyCustody, KeyRepository
from chalicelib.services.issuers import IssuerService
from chalicelib.services.keyring import KeyringService
from chalicelib.services.signing import sign_document
from chalicelib.services.verifying import VerifyService

SERVICE_NAME_VI = "Dịch vụ xác thực kết quả điện tử docseal"
SERVICE_NAME_EN = "docseal verification service"
MAX_REASONS_TEXT = 512
MAX_AGENCY_TEXT = 200
# docseal's own issuer and key are made by docseal itself, on the first receipt
# whoever asks for it: the audit trail names the service, not that caller
SERVICE_ACTOR = f"service:{SERVICE_ISSUER}"


class ReceiptService:
    def __init__(
        self,
        keys: KeyRepository,
        counters: Counters,
        custody: KeyCustody,
        issuers: IssuerService,
        keyring: KeyringService,
        verifier: VerifyService,
        clock: Clock,
        public_url: str,
    ) -> None:
        self._keys = keys
        self._counters = counters
        self._custody = custody
        self._issuers = issuers
        self._keyring = keyring
        self._verifier = verifier
        self._clock = clock
        self._public_url = public_url

    def issue(
        self, verdict: Verdict, officer: Principal | None = None, *, masked: bool = False
    ) -> str:
        """The receipt's QR text. ``masked``: the check was of a share link,
        so the receipt names the holder by the masked ID number only.

        Raises ``ValidationFailed`` ``NOTHING_TO_CITE`` when no document could
        be read (or it is itself a receipt), ``Unavailable`` when key custody is down."""
        doc = verdict.document
        if doc is None or doc.type == RECEIPT_TYPE:
            raise ValidationFailed(
                "there is no document to write a receipt for", code=ErrorCode.NOTHING_TO_CITE
            )
        now = self._clock.now().replace(microsecond=0)
        fields = {
            "document_id": doc.id,
            "document_type": doc.type,
            "document_issuer": doc.issuer,
            "verdict": verdict.verdict,
            "checked_at": iso(verdict.checked_at.replace(microsecond=0)),
            "trust_as_of": iso(verdict.trust_as_of.replace(microsecond=0)),
            "trust_age_seconds": str(
                max(0, int((verdict.checked_at - verdict.trust_as_of).total_seconds()))
            ),
            "holder_match": verdict.holder_match_code,
        }
        reasons = " ".join(r.value for r in verdict.reasons)
        if reasons:  # every code fits: there are fewer than 30, none over 30 characters
            fields["reasons"] = (
                reasons[:MAX_REASONS_TEXT].rsplit(" ", 1)[0]
                if len(reasons) > MAX_REASONS_TEXT
                else reasons
            )
        agency = officer.agency_label() if officer is not None else ""
        if agency:  # a token's agency name may be long; a signed field holds 512
            fields["agency"] = " ".join(agency.split())[:MAX_AGENCY_TEXT]
        key = self._service_key()
        receipt = SignedDocument(
            issuer=SERVICE_ISSUER,
            issued_at=now,
            not_before=now,
            expires_at=None,
            id=claims.doc_id_text(secrets.token_bytes(16)),
            type=RECEIPT_TYPE,
            holder=doc.holder._replace(id_number=mask(doc.holder.id_number, SHARED_DIGITS))
            if masked
            else doc.holder,
            fields=fields,
            status_list_number=1,
            status_index=self._counters.next_counter(f"status:{SERVICE_ISSUER}/1"),
        )
        return sign_document(receipt, key, self._custody, self._public_url)

    def open(self, qr_text: Any) -> tuple[Verdict, str]:
        """A receipt's own verdict, before it is handed out: what its JSON
        carries, and proof that what docseal signed verifies (raises
        ``NOT_A_RECEIPT`` or ``RECEIPT_INVALID`` otherwise)."""
        verdict = self._verifier.verify(qr_text)
        if verdict.document is None or verdict.document.type != RECEIPT_TYPE:
            raise ValidationFailed("this is not a docseal receipt", code=ErrorCode.NOT_A_RECEIPT)
        if verdict.verdict != "VALID":
            raise ValidationFailed(
                "the receipt does not verify: " + " ".join(verdict.reasons),
                code=ErrorCode.RECEIPT_INVALID,
            )
        return verdict, str(qr_text)

    def _service_key(self) -> SigningKey:
        active = [k for k in self._keys.list_keys(SERVICE_ISSUER) if k.status == "active"]
        if active:
            return active[0]
        try:
            self._issuers.add_issuer(
                SERVICE_ISSUER,
                SERVICE_NAME_VI,
                SERVICE_NAME_EN,
                [RECEIPT_TYPE],
                "",
                actor=SERVICE_ACTOR,
            )
        except Conflict:
            pass  # created by an earlier receipt or another process
        try:
            return self._keyring.create_key(SERVICE_ISSUER, actor=SERVICE_ACTOR)
        except Conflict:
            active = [k for k in self._keys.list_keys(SERVICE_ISSUER) if k.status == "active"]
            return active[0]


def receipt_json(verdict: Verdict, qr_text: str) -> dict[str, Any]:
    """The JSON behind the PDF: the receipt's own verdict and its QR text."""
    out = verdict.to_dict()
    out["qr_text"] = qr_text
    return out
