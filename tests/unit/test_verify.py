"""The verifier's checks after the signature, with a fake status source."""

from __future__ import annotations

import dataclasses
import datetime as dt

from chalicelib.domain.reasons import Reason
from chalicelib.domain.trust import TrustSnapshot
from chalicelib.domain.verify import verify
from tests.support import HOLDER_ID, T0, FakeStatus, Signer, document, qr, trust

A = Signer("UBND-A")
DAY = dt.timedelta(days=1)


def text(signer: Signer = A, **changes: object) -> str:
    return qr(signer.sign_payload(document(signer.key.issuer, **changes).to_cbor()))


def with_key(snapshot: TrustSnapshot, **changes: object) -> TrustSnapshot:
    keys = [dataclasses.replace(k, **changes) for k in snapshot.keys.values()]
    return TrustSnapshot.build(
        snapshot.issuers.values(), keys, snapshot.doc_types.values(), snapshot.as_of
    )


def test_valid_verdict_carries_document_key_issuer_and_trust_age() -> None:
    v = verify(text(), trust(A, as_of=T0 - DAY), T0, status=FakeStatus())
    assert v.verdict == "VALID" and v.reasons == ()
    assert v.kid == A.kid.hex()
    assert v.issuer is not None and v.issuer.code == "UBND-A"
    out = v.to_dict()
    assert out["trust_as_of"] == "2026-10-31T08:00:00Z"
    assert out["document"]["holder"]["id_masked"] == "********2345"
    assert HOLDER_ID not in str(out)
    assert out["document"]["fields"][0]["label_vi"] == "Nơi sinh"
    assert out["document"]["issuer"]["authorised_for_type"] is True


def test_holder_match_and_mismatch() -> None:
    t = trust(A)
    assert verify(text(), t, T0, HOLDER_ID, FakeStatus()).holder_match is True
    v = verify(text(), t, T0, "001090004567", FakeStatus())
    assert v.reasons == (Reason.HOLDER_MISMATCH,) and v.holder_match is False


def test_revoked_key_verifies_nothing_and_says_when_and_why() -> None:
    t = with_key(trust(A), status="revoked", revoked_at=T0 - DAY, revocation_reason="leaked")
    v = verify(text(), t, T0, status=FakeStatus())
    assert v.reasons == (Reason.KEY_REVOKED,)
    assert v.notes == {"key_revoked_at": "2026-10-31T08:00:00Z", "key_revocation_reason": "leaked"}


def test_retired_key_keeps_verifying_what_it_signed_while_active() -> None:
    t = with_key(trust(A), status="retired", retired_at=T0 + DAY)
    assert verify(text(), t, T0 + 5 * DAY, status=FakeStatus()).reasons == ()


def test_signed_after_retirement_or_before_activation() -> None:
    retired = with_key(trust(A), status="retired", retired_at=T0 - DAY)
    assert verify(text(), retired, T0, status=FakeStatus()).reasons == (
        Reason.KEY_NOT_ACTIVE_AT_ISSUANCE,
    )
    early = with_key(trust(A), activated_at=T0 + DAY)
    assert verify(text(), early, T0 + 2 * DAY, status=FakeStatus()).reasons == (
        Reason.KEY_NOT_ACTIVE_AT_ISSUANCE,
    )


def test_type_outside_the_issuers_scope() -> None:
    v = verify(text(type="criminal-record"), trust(A), T0, status=FakeStatus())
    assert v.reasons == (Reason.ISSUER_OUT_OF_SCOPE,)
    assert v.to_dict()["document"]["issuer"]["authorised_for_type"] is False


def test_unknown_document_type() -> None:
    v = verify(text(type="land-title"), trust(A), T0, status=FakeStatus())
    assert v.reasons == (Reason.UNKNOWN_DOCUMENT_TYPE, Reason.ISSUER_OUT_OF_SCOPE)


def test_not_yet_valid_and_expired() -> None:
    t = trust(A)
    later = text(not_before=T0 + DAY)
    assert verify(later, t, T0, status=FakeStatus()).reasons == (Reason.NOT_YET_VALID,)
    assert verify(later, t, T0 + DAY - dt.timedelta(minutes=4), status=FakeStatus()).reasons == ()
    expiring = text(expires_at=T0 + DAY)
    assert (
        verify(expiring, t, T0 + DAY - dt.timedelta(seconds=1), status=FakeStatus()).reasons == ()
    )
    assert verify(expiring, t, T0 + DAY, status=FakeStatus()).reasons == (Reason.EXPIRED,)


def test_revoked_and_superseded_documents() -> None:
    status = FakeStatus()
    status.set_document(document().id, "revoked")
    assert verify(text(), trust(A), T0, status=status).reasons == (Reason.DOCUMENT_REVOKED,)
    status.set_document(document().id, "superseded", successor="b" * 26)
    v = verify(text(), trust(A), T0, status=status)
    assert v.reasons == (Reason.DOCUMENT_SUPERSEDED,)
    assert v.to_dict()["successor"] == "b" * 26


def test_identity_unknown_and_inactive() -> None:
    assert verify(text(), trust(A), T0, status=FakeStatus(identities={})).reasons == (
        Reason.IDENTITY_UNKNOWN,
    )
    deceased = FakeStatus(identities={HOLDER_ID: "deceased"})
    assert verify(text(), trust(A), T0, status=deceased).reasons == (Reason.IDENTITY_INACTIVE,)


def test_every_applicable_reason_is_listed() -> None:
    status = FakeStatus(identities={})
    status.set_document(document().id, "revoked")
    v = verify(text(expires_at=T0), trust(A), T0 + DAY, "001090004567", status)
    assert v.reasons == (
        Reason.EXPIRED,
        Reason.DOCUMENT_REVOKED,
        Reason.IDENTITY_UNKNOWN,
        Reason.HOLDER_MISMATCH,
    )


def test_without_status_source_only_the_signed_data_is_checked() -> None:
    assert verify(text(), trust(A), T0).reasons == ()
