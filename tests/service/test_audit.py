"""The audit trail: every state change appends one entry, chained to the
one before, naming who acted on what by public ids only."""

from __future__ import annotations

from chalicelib.domain.audit import GENESIS
from chalicelib.domain.idnumber import holder_ref
from tests.service.conftest import (
    ADMIN,
    ISSUER,
    PEPPER,
    WARD,
    Docseal,
    active_key,
    citizen,
    issue,
    refused,
)
from tests.support import HOLDER_ID, PEOPLE


def test_each_state_change_appends_one_chained_entry(bare: Docseal) -> None:
    bare.admin.add_issuer(ISSUER, WARD, "", ["birth-registration"])
    bare.admin.create_key(ISSUER)
    bare.admin.import_identities(PEOPLE)
    bare.admin.define_doc_type(
        "fishing-licence", "Giấy phép khai thác thủy sản", "", [("vessel", "Tàu", "Vessel", True)]
    )
    bare.admin.set_type_note("fishing-licence", "Theo Nghị định 26/2019/NĐ-CP")
    bare.later(minutes=1)
    issued = issue(bare)
    link = bare.links.create(citizen(), issued.id).link
    bare.links.revoke(citizen(), link.id)
    reissued = bare.issuing.reissue(issued.id, ADMIN)
    bare.admin.revoke_document(reissued.id, "withdrawn")
    old_kid = active_key(bare)
    new_key = bare.admin.rotate_key(ISSUER)
    bare.admin.revoke_key(old_kid, "key leaked")
    bare.admin.update_issuer(ISSUER, area="Hà Nội")
    bare.admin.set_issuer_status(ISSUER, "suspended")
    root = bare.trustlist.create_root()

    trail = bare.trail()
    assert [(e.action, e.target) for e in trail] == [
        ("issuer.add", ISSUER),
        ("key.create", old_kid),
        ("identity.import", "identities"),
        ("doctype.define", "fishing-licence"),
        ("doctype.note", "fishing-licence"),
        ("document.issue", issued.id),
        ("link.create", link.id),
        ("link.revoke", link.id),
        ("document.reissue", reissued.id),
        ("document.revoke", reissued.id),
        ("key.retire", old_kid),
        ("key.create", new_key.kid),
        ("key.revoke", old_kid),
        ("issuer.update", ISSUER),
        ("issuer.suspend", ISSUER),
        ("root.create", root.kid),
    ]
    assert [e.seq for e in trail] == list(range(1, len(trail) + 1))
    assert [e.prev for e in trail] == [GENESIS, *(e.hash for e in trail[:-1])]
    assert bare.audit.verify() == (len(trail), None)
    assert {e.actor for e in trail} == {ADMIN, f"issuer:{ISSUER}", "citizen"}
    # public ids only: never the ID number or its keyed hash
    text = repr(trail)
    assert HOLDER_ID not in text and holder_ref(HOLDER_ID, PEPPER) not in text


def test_a_refused_change_appends_nothing(docseal: Docseal) -> None:
    before = docseal.trail()
    with refused("KEY_ALREADY_ACTIVE"):
        docseal.admin.create_key(ISSUER)
    with refused("DOCUMENT_NOT_FOUND"):
        docseal.admin.revoke_document("a" * 26)
    with refused("ISSUER_EXISTS"):
        docseal.admin.add_issuer(ISSUER, "Trùng mã", "", ["birth-registration"])
    with refused("HOLDER_NAME_MISMATCH"):
        issue(docseal, holder_name="Người Khác")
    assert docseal.trail() == before


def test_entries_are_read_in_pages_after_a_sequence_number(docseal: Docseal) -> None:
    for _ in range(5):
        issue(docseal)
    trail = docseal.trail()
    assert list(docseal.audit.entries(after=3, limit=2)) == trail[3:5]
    assert list(docseal.audit.entries(after=trail[-1].seq)) == []
