"""The audit trail: every state change appends one entry, chained to the
one before, naming who acted on what by public ids only."""

from __future__ import annotations

from chalicelib.domain.audit import GENESIS
from chalicelib.domain.idnumber import holder_ref
from chalicelib.domain.principal import Principal
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
    bare.issuers.add_issuer(ISSUER, WARD, "", ["birth-registration"], actor=ADMIN)
    bare.keyring.create_key(ISSUER, actor=ADMIN)
    bare.identities.import_identities(PEOPLE, actor=ADMIN)
    bare.doctypes.define_doc_type(
        "fishing-licence",
        "Giấy phép khai thác thủy sản",
        "",
        [("vessel", "Tàu", "Vessel", True)],
        actor=ADMIN,
    )
    bare.doctypes.set_type_note("fishing-licence", "Theo Nghị định 26/2019/NĐ-CP", actor=ADMIN)
    bare.later(minutes=1)
    issued = issue(bare)
    link = bare.links.create(citizen(), issued.id).link
    bare.links.revoke(citizen(), link.id)
    reissued = bare.issuing.reissue(issued.id, ADMIN)
    bare.revocation.revoke_document(reissued.id, "withdrawn", actor=ADMIN)
    old_kid = active_key(bare)
    new_key = bare.keyring.rotate_key(ISSUER, actor=ADMIN)
    bare.keyring.revoke_key(old_kid, "key leaked", actor=ADMIN)
    bare.issuers.update_issuer(ISSUER, area="Hà Nội", actor=ADMIN)
    bare.issuers.set_issuer_status(ISSUER, "suspended", actor=ADMIN)
    root = bare.trustlist.create_root(actor=ADMIN)

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
    assert {e.actor for e in trail} == {ADMIN, "issuer:clerk", "citizen"}
    # public ids only: never the ID number or its keyed hash
    text = repr(trail)
    assert HOLDER_ID not in text and holder_ref(HOLDER_ID, PEPPER) not in text


def test_a_refused_change_appends_nothing(docseal: Docseal) -> None:
    before = docseal.trail()
    with refused("KEY_ALREADY_ACTIVE"):
        docseal.keyring.create_key(ISSUER, actor=ADMIN)
    with refused("DOCUMENT_NOT_FOUND"):
        docseal.revocation.revoke_document("a" * 26, actor=ADMIN)
    with refused("ISSUER_EXISTS"):
        docseal.issuers.add_issuer(ISSUER, "Trùng mã", "", ["birth-registration"], actor=ADMIN)
    with refused("HOLDER_NAME_MISMATCH"):
        issue(docseal, holder_name="Người Khác")
    assert docseal.trail() == before


def test_entries_are_read_in_pages_after_a_sequence_number(docseal: Docseal) -> None:
    for _ in range(5):
        issue(docseal)
    trail = docseal.trail()
    assert list(docseal.audit.entries(after=3, limit=2)) == trail[3:5]
    assert list(docseal.audit.entries(after=trail[-1].seq)) == []


def test_only_staff_are_admitted_and_a_refusal_is_recorded(docseal: Docseal) -> None:
    admin = Principal("alice", "admin")
    clerk = Principal("clerk-7", "issuer", issuer=ISSUER)
    assert docseal.audit.admit(admin, "/api/v1/audit") == "admin:alice"
    assert docseal.audit.admit(clerk, "/x", ISSUER) == "issuer:clerk-7"
    before = docseal.trail()
    with refused("WRONG_ROLE"):
        docseal.audit.admit(clerk, "/api/v1/admin/issuers")  # not its own: nothing named
    with refused("WRONG_ROLE"):
        docseal.audit.entries_for(citizen(), "/api/v1/audit")
    denied = docseal.trail()[len(before) :]
    assert [(e.actor, e.action, e.target) for e in denied] == [
        ("issuer:clerk-7", "access.denied", "/api/v1/admin/issuers"),
        ("citizen", "access.denied", "/api/v1/audit"),
    ]
    page = docseal.audit.entries_for(admin, "/api/v1/audit", limit=2, action="key.create")
    assert [e.action for e in page.entries] == ["key.create"] * 2
    assert page.next_after == page.entries[-1].seq
