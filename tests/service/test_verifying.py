"""Verifying: the pure verifier over the live trust and status, so what an
administrator changes shows in the next verdict."""

from __future__ import annotations

import dataclasses
import datetime as dt

from chalicelib.domain.reasons import Reason
from tests.service.conftest import (
    ADMIN,
    ISSUER,
    NAM,
    Docseal,
    active_key,
    issue,
    refused,
)
from tests.support import HOLDER_ID, PEOPLE, Signer, document, qr


def test_a_document_just_issued_is_valid_for_its_holder(docseal: Docseal) -> None:
    issued = issue(docseal)
    verdict = docseal.verifier.verify(issued.qr_text, HOLDER_ID)
    assert verdict.verdict == "VALID" and verdict.reasons == ()
    assert verdict.holder_match is True and verdict.kid == active_key(docseal)
    assert verdict.checked_at == docseal.clock.now()
    assert docseal.verdicts == [("VALID", ())]  # the observer hears every verdict


def test_someone_else_presenting_it_is_a_holder_mismatch(docseal: Docseal) -> None:
    verdict = docseal.verifier.verify(issue(docseal).qr_text, NAM)
    assert verdict.reasons == (Reason.HOLDER_MISMATCH,) and verdict.holder_match is False
    assert verdict.document_valid
    with refused("INVALID_ID_NUMBER"):
        docseal.verifier.verify(issue(docseal).qr_text, "0013 2501 2345")


def test_a_revoked_document_verifies_invalid_with_the_reason(docseal: Docseal) -> None:
    issued = issue(docseal)
    docseal.revocation.revoke_document(issued.id, "issued in error", actor=ADMIN)
    verdict = docseal.verifier.verify(issued.qr_text)
    assert verdict.reasons == (Reason.DOCUMENT_REVOKED,)
    assert verdict.notes == {"document_revocation_reason": "issued in error"}


def test_a_superseded_document_points_to_its_successor(docseal: Docseal) -> None:
    old = issue(docseal)
    docseal.later(days=1)
    new = docseal.issuing.reissue(old.id, "admin:alice", {"registration_no": "125/2025-B"})

    verdict = docseal.verifier.verify(old.qr_text)
    assert verdict.reasons == (Reason.DOCUMENT_SUPERSEDED,) and verdict.successor == new.id
    stored = docseal.repos.documents.get_document(old.id)
    assert stored is not None and (stored.status, stored.successor) == ("superseded", new.id)
    current = docseal.verifier.verify(new.qr_text)
    assert current.verdict == "VALID"
    assert current.document is not None and current.document.supersedes == old.id
    assert current.document.fields["registration_no"] == "125/2025-B"


def test_a_holder_whose_identity_is_no_longer_active_fails_verification(
    docseal: Docseal,
) -> None:
    issued = issue(docseal)
    docseal.identities.import_identities([{**PEOPLE[0], "status": "deceased"}], actor=ADMIN)
    assert docseal.verifier.verify(issued.qr_text).reasons == (Reason.IDENTITY_INACTIVE,)


def test_a_revoked_key_verifies_nothing_it_signed(docseal: Docseal) -> None:
    issued = issue(docseal)
    docseal.later(hours=1)
    docseal.keyring.revoke_key(active_key(docseal), "key leaked", actor=ADMIN)
    verdict = docseal.verifier.verify(issued.qr_text)
    assert verdict.reasons == (Reason.KEY_REVOKED,)
    assert verdict.notes["key_revocation_reason"] == "key leaked"


def test_a_change_made_by_another_process_counts_once_the_snapshot_is_stale(
    docseal: Docseal,
) -> None:
    issued = issue(docseal)
    assert docseal.verifier.verify(issued.qr_text).verdict == "VALID"
    key = docseal.repos.keys.get_key(active_key(docseal))
    assert key is not None
    leaked = dataclasses.replace(
        key, status="revoked", revoked_at=docseal.clock.now(), revocation_reason="leaked"
    )
    docseal.repos.keys.replace_key(leaked, expected_status="active")  # another process
    assert docseal.verifier.verify(issued.qr_text).verdict == "VALID"  # the snapshot is fresh
    now = docseal.later(seconds=30)
    verdict = docseal.verifier.verify(issued.qr_text)
    assert verdict.reasons == (Reason.KEY_REVOKED,) and verdict.trust_as_of == now


def test_a_retired_key_keeps_verifying_what_it_signed(docseal: Docseal) -> None:
    issued = issue(docseal)
    docseal.later(days=30)
    docseal.keyring.rotate_key(ISSUER, actor=ADMIN)
    assert docseal.verifier.verify(issued.qr_text).verdict == "VALID"


def test_an_issuer_no_longer_allowed_a_type_fails_its_documents_of_it(docseal: Docseal) -> None:
    issued = issue(docseal)
    docseal.issuers.update_issuer(ISSUER, types=["marital-status"], actor=ADMIN)
    assert docseal.verifier.verify(issued.qr_text).reasons == (Reason.ISSUER_OUT_OF_SCOPE,)


def test_an_expired_document_and_the_time_it_is_checked_at(docseal: Docseal) -> None:
    issued = issue(docseal, expires=dt.date(2026, 12, 31))
    assert docseal.verifier.verify(issued.qr_text).verdict == "VALID"
    assert docseal.verifier.verify(issued.qr_text, at=docseal.later(days=61)).reasons == (
        Reason.EXPIRED,
    )


def test_a_code_from_outside_the_trust_is_a_verdict_not_an_error(docseal: Docseal) -> None:
    forger = Signer(ISSUER)  # a key no administrator registered
    forged = qr(forger.sign_payload(document(ISSUER).to_cbor()))
    assert docseal.verifier.verify(forged).reasons == (Reason.UNKNOWN_KEY,)
    assert docseal.verifier.verify("hello").verdict == "INVALID"
    with refused("BAD_REQUEST"):
        docseal.verifier.verify(None)  # type: ignore[arg-type]
