"""Administration: revoking documents, and the life of signing keys (made in
custody, one active per issuer, retired by rotation, revoked on compromise)."""

from __future__ import annotations

import datetime as dt

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from chalicelib.domain import cose
from tests.service.conftest import (
    ADMIN,
    ISSUER,
    OTHER_ISSUER,
    WARD,
    Docseal,
    active_key,
    issue,
    refused,
)

# Revoking documents ----------------------------------------------------------


def test_revoking_a_document_is_final_and_keeps_the_first_reason(docseal: Docseal) -> None:
    issued = issue(docseal)
    revoked = docseal.revocation.revoke_document(issued.id, "  issued in error  ", actor=ADMIN)
    assert (revoked.status, revoked.status_reason) == ("revoked", "issued in error")
    assert docseal.repos.documents.get_document(issued.id) == revoked

    with refused("ALREADY_REVOKED"):
        docseal.revocation.revoke_document(issued.id, "second thoughts", actor=ADMIN)
    stored = docseal.repos.documents.get_document(issued.id)
    assert stored is not None and stored.status_reason == "issued in error"
    assert docseal.actions().count("document.revoke") == 1


def test_a_superseded_document_can_still_be_revoked(docseal: Docseal) -> None:
    old = issue(docseal)
    docseal.issuing.reissue(old.id, ADMIN)
    assert docseal.revocation.revoke_document(old.id, "withdrawn", actor=ADMIN).status == "revoked"


def test_a_reason_too_long_is_refused_whole_not_cut(docseal: Docseal) -> None:
    issued = issue(docseal)
    with refused("INVALID_FIELD_VALUE"):
        docseal.revocation.revoke_document(issued.id, "x" * 201, actor=ADMIN)
    assert docseal.repos.documents.get_document(issued.id).status == "valid"  # type: ignore[union-attr]
    longest = docseal.revocation.revoke_document(issued.id, "y" * 200, actor=ADMIN)
    assert longest.status_reason == "y" * 200


def test_revoking_an_unknown_document_is_not_found(docseal: Docseal) -> None:
    with refused("DOCUMENT_NOT_FOUND"):
        docseal.revocation.revoke_document("a" * 26, "no such thing", actor=ADMIN)


# Signing keys ------------------------------------------------------------------


def test_a_new_key_is_made_in_custody_and_published_by_its_public_half(bare: Docseal) -> None:
    bare.issuers.add_issuer(ISSUER, WARD, "", ["birth-registration"], actor=ADMIN)
    key = bare.keyring.create_key(ISSUER, actor=ADMIN)

    assert (key.issuer, key.status, key.custody) == (ISSUER, "active", "memory")
    assert key.activated_at == bare.clock.now()
    assert bare.repos.keys.get_key(key.kid) == key
    assert bare.custody.public_key(key.custody_ref) == key.public_key_der
    assert bytes.fromhex(key.kid) == cose.kid_for(key.public_key_der)
    # custody signs with it: the public key in the record checks the signature
    public = serialization.load_der_public_key(key.public_key_der)
    assert isinstance(public, ec.EllipticCurvePublicKey)
    signature = bare.custody.sign(key.custody_ref, b"message")
    assert cose.verify_raw_signature(public, signature, b"message")
    assert key.kid in bare.trust.snapshot().keys


def test_an_issuer_has_one_active_key(docseal: Docseal) -> None:
    before = docseal.keyring.list_keys(ISSUER)
    with refused("KEY_ALREADY_ACTIVE"):
        docseal.keyring.create_key(ISSUER, actor=ADMIN)
    assert docseal.keyring.list_keys(ISSUER) == before
    with refused("UNKNOWN_ISSUER"):
        docseal.keyring.create_key("UBND-KHONGCO", actor=ADMIN)


def test_rotation_retires_the_old_key_and_activates_a_new_one(docseal: Docseal) -> None:
    old = active_key(docseal)
    signed_before = issue(docseal)
    at = docseal.later(days=10)
    new = docseal.keyring.rotate_key(ISSUER, actor=ADMIN)
    assert docseal.actions()[-2:] == ["key.retire", "key.create"]

    statuses = {k.kid: (k.status, k.retired_at) for k in docseal.keyring.list_keys(ISSUER)}
    assert statuses == {old: ("retired", at), new.kid: ("active", None)}
    assert issue(docseal).record.kid == new.kid
    assert docseal.verifier.verify(signed_before.qr_text).verdict == "VALID"
    assert docseal.keyring.key_documents(old) == [signed_before.record]


def test_rotating_a_suspended_issuers_key_is_refused(docseal: Docseal) -> None:
    docseal.issuers.set_issuer_status(OTHER_ISSUER, "suspended", actor=ADMIN)
    with refused("ISSUER_SUSPENDED"):
        docseal.keyring.rotate_key(OTHER_ISSUER, actor=ADMIN)
    assert [k.status for k in docseal.keyring.list_keys(OTHER_ISSUER)] == ["active"]


def test_revoking_a_key_says_when_and_why_once(docseal: Docseal) -> None:
    kid = active_key(docseal)
    docseal.later(days=2)
    effective = docseal.clock.now() - dt.timedelta(days=1)
    revoked = docseal.keyring.revoke_key(kid, "  key   leaked ", effective, actor=ADMIN)
    assert (revoked.status, revoked.revoked_at) == ("revoked", effective.replace(microsecond=0))
    assert revoked.revocation_reason == "key leaked"
    assert docseal.repos.keys.get_key(kid) == revoked
    with refused("KEY_ALREADY_REVOKED"):
        docseal.keyring.revoke_key(kid, "again", actor=ADMIN)
    # a revoked key frees its issuer for a new one
    assert docseal.keyring.create_key(ISSUER, actor=ADMIN).status == "active"


def test_a_key_revocation_needs_a_reason_and_a_time_in_the_keys_life(docseal: Docseal) -> None:
    kid = active_key(docseal)
    with refused("MISSING_FIELD"):
        docseal.keyring.revoke_key(kid, "   ", actor=ADMIN)
    with refused("INVALID_EFFECTIVE_TIME"):
        docseal.keyring.revoke_key(
            kid, "leaked", docseal.clock.now() + dt.timedelta(minutes=1), actor=ADMIN
        )
    with refused("INVALID_EFFECTIVE_TIME"):
        docseal.keyring.revoke_key(
            kid, "leaked", docseal.clock.now() - dt.timedelta(days=1), actor=ADMIN
        )
    with refused("UNKNOWN_KEY"):
        docseal.keyring.revoke_key("00" * 8, "leaked", actor=ADMIN)
    assert docseal.repos.keys.get_key(kid).status == "active"  # type: ignore[union-attr]


def test_reissuing_a_keys_documents_moves_them_to_the_active_key(docseal: Docseal) -> None:
    old = active_key(docseal)
    first, second = issue(docseal), issue(docseal)
    docseal.revocation.revoke_document(second.id, "withdrawn", actor=ADMIN)
    docseal.later(days=1)
    new = docseal.keyring.rotate_key(ISSUER, actor=ADMIN)

    ((old_id, new_id),) = docseal.issuing.reissue_key(old, ADMIN)
    assert old_id == first.id
    successor = docseal.repos.documents.get_document(new_id)
    assert successor is not None and (successor.kid, successor.supersedes) == (new.kid, first.id)
    with refused("UNKNOWN_KEY"):
        docseal.issuing.reissue_key("00" * 8, ADMIN)
