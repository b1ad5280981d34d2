"""Publishing the signed trust list: signed by the root key in custody,
carrying issuers, keys and status lists, opened offline with pinned roots."""

from __future__ import annotations

import base64

from chalicelib.domain.reasons import Reason
from chalicelib.domain.trustlist import open_trust_list
from chalicelib.domain.verify import verify
from chalicelib.services.trustlist import CACHE, VALIDITY
from tests.service.conftest import ADMIN, ISSUER, OTHER_ISSUER, Docseal, active_key, issue, refused


def pinned(docseal: Docseal) -> dict[str, bytes]:
    """The root keys an offline verifier pins, as it reads them."""
    return {
        k["kid"]: base64.b64decode(k["public_key"])
        for k in docseal.trustlist.pinned_roots()["keys"]
    }


def test_there_is_no_list_before_there_is_a_root_key(docseal: Docseal) -> None:
    with refused("NO_ROOT_KEY"):
        docseal.trustlist.publish()


def test_the_published_list_opens_with_the_pinned_root_and_carries_the_trust(
    docseal: Docseal,
) -> None:
    root = docseal.trustlist.create_root(actor=ADMIN)
    published = docseal.trustlist.publish()

    assert published.root_kid == root.kid
    assert published.issued_at == docseal.clock.now().replace(microsecond=0)
    assert published.next_update == published.issued_at + VALIDITY
    offline = open_trust_list(published.jws, pinned(docseal), docseal.clock.now())
    assert set(offline.snapshot.issuers) == {ISSUER, OTHER_ISSUER}
    assert set(offline.snapshot.keys) == {active_key(docseal), active_key(docseal, OTHER_ISSUER)}
    assert root.kid not in offline.snapshot.keys  # the root signs lists, not documents


def test_an_offline_verifier_sees_revocations_through_the_status_list(docseal: Docseal) -> None:
    docseal.trustlist.create_root(actor=ADMIN)
    kept, revoked = issue(docseal), issue(docseal)
    docseal.revocation.revoke_document(revoked.id, "withdrawn", actor=ADMIN)

    offline = open_trust_list(docseal.trustlist.publish().jws, pinned(docseal), docseal.clock.now())
    now = docseal.clock.now()
    assert verify(kept.qr_text, offline.snapshot, now, status=offline).verdict == "VALID"
    assert verify(revoked.qr_text, offline.snapshot, now, status=offline).reasons == (
        Reason.DOCUMENT_REVOKED,
    )


def test_the_list_is_cached_for_minutes_then_signed_again(docseal: Docseal) -> None:
    docseal.trustlist.create_root(actor=ADMIN)
    first = docseal.trustlist.publish()
    docseal.clock.advance(seconds=CACHE.total_seconds() - 1)
    assert docseal.trustlist.publish() == first
    docseal.later(seconds=1)
    assert docseal.trustlist.publish().issued_at == docseal.clock.now()


def test_one_active_root_rotated_not_duplicated(docseal: Docseal) -> None:
    old = docseal.trustlist.create_root(actor=ADMIN)
    with refused("KEY_ALREADY_ACTIVE"):
        docseal.trustlist.create_root(actor=ADMIN)
    docseal.later(days=1)
    new = docseal.trustlist.rotate_root(actor=ADMIN)

    assert {k.kid: k.status for k in docseal.trustlist.roots()} == {
        old.kid: "retired",
        new.kid: "active",
    }
    assert set(pinned(docseal)) == {old.kid, new.kid}  # lists signed before stay readable
    assert docseal.trustlist.publish().root_kid == new.kid
    assert docseal.actions()[-3:] == ["root.create", "root.retire", "root.create"]


def test_a_root_key_already_in_custody_is_adopted(bare: Docseal) -> None:
    made = bare.custody.create_key("trust-root")
    root = bare.trustlist.create_root(existing=made.ref, actor=ADMIN)
    assert (root.custody_ref, root.public_key_der) == (made.ref, made.public_key_der)
    with refused("NOT_FOUND"):
        bare.trustlist.rotate_root(existing="k-0000000000000000", actor=ADMIN)
