"""The Store contract, run against every adapter (see conftest)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from chalicelib.domain.models import (
    DocumentRecord,
    IdempotencyRecord,
    IdentityRecord,
    Issuer,
    LinkView,
    ShareLink,
    SigningKey,
)
from chalicelib.errors import Conflict, NotFound
from chalicelib.ports import Store

T0 = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)


def issuer(code: str = "UBND-DICHVONGHAU") -> Issuer:
    return Issuer(
        code=code,
        name_vi="Ủy ban nhân dân phường Dịch Vọng Hậu",
        name_en="People's Committee of Dich Vong Hau Ward",
        allowed_types=frozenset({"birth-registration", "marital-status"}),
        area="Hà Nội",
    )


def key(kid: str = "0011223344556677", issuer_code: str = "UBND-DICHVONGHAU") -> SigningKey:
    return SigningKey(
        kid=kid,
        issuer=issuer_code,
        public_key_der=b"\x30\x59" + bytes(range(89)),
        status="active",
        activated_at=T0,
        custody="local",
        custody_ref="k-0123456789abcdef",
    )


def document(doc_id: str = "a" * 26, kid: str = "0011223344556677") -> DocumentRecord:
    return DocumentRecord(
        id=doc_id,
        type="birth-registration",
        issuer="UBND-DICHVONGHAU",
        kid=kid,
        holder_ref="f" * 64,
        issued_at=T0,
        expires_at=T0 + dt.timedelta(days=180),
        status_list="UBND-DICHVONGHAU/1",
        status_index=7,
        sealed_qr=b"\x00\x01sealed\xff",
    )


def test_issuer_round_trip_and_create_is_conditional(store: Store) -> None:
    assert store.get_issuer("UBND-DICHVONGHAU") is None
    store.create_issuer(issuer())
    assert store.get_issuer("UBND-DICHVONGHAU") == issuer()
    with pytest.raises(Conflict):
        store.create_issuer(dataclasses.replace(issuer(), name_en="overwritten"))
    assert store.get_issuer("UBND-DICHVONGHAU") == issuer()


def test_save_issuer_updates_and_list_is_ordered(store: Store) -> None:
    store.create_issuer(issuer("B-ISSUER"))
    store.create_issuer(issuer("A-ISSUER"))
    store.save_issuer(dataclasses.replace(issuer("B-ISSUER"), status="suspended"))
    listed = store.list_issuers()
    assert [i.code for i in listed] == ["A-ISSUER", "B-ISSUER"]
    assert listed[1].status == "suspended"


def test_key_round_trip_keeps_bytes_and_times(store: Store) -> None:
    store.create_key(key())
    got = store.get_key("0011223344556677")
    assert got == key()
    assert got is not None and got.activated_at.tzinfo is not None
    with pytest.raises(Conflict):
        store.create_key(key())


def test_list_keys_by_issuer(store: Store) -> None:
    store.create_key(dataclasses.replace(key("0000000000000001", "A"), status="retired"))
    store.create_key(key("0000000000000002", "B"))
    store.create_key(key("0000000000000003", "A"))
    assert [k.kid for k in store.list_keys("A")] == ["0000000000000001", "0000000000000003"]
    assert len(store.list_keys()) == 3
    assert store.list_keys("nobody") == []


def test_replace_key_is_compare_and_set(store: Store) -> None:
    store.create_key(key())
    retired = dataclasses.replace(key(), status="retired", retired_at=T0 + dt.timedelta(days=1))
    store.replace_key(retired, expected_status="active")
    assert store.get_key(key().kid) == retired
    with pytest.raises(Conflict):
        store.replace_key(dataclasses.replace(retired, status="revoked"), expected_status="active")
    assert store.get_key(key().kid) == retired


def test_an_issuer_has_at_most_one_active_key(store: Store) -> None:
    first = key("0000000000000001")
    store.create_key(first)
    with pytest.raises(Conflict) as second:
        store.create_key(key("0000000000000002"))
    assert second.value.code == "KEY_ALREADY_ACTIVE"
    assert store.get_key("0000000000000002") is None  # the refused key left nothing
    assert store.list_keys(first.issuer) == [first]
    store.create_key(key("0000000000000003", "OTHER-ISSUER"))  # one each
    store.create_key(dataclasses.replace(key("0000000000000004"), status="retired"))
    with pytest.raises(Conflict) as same_kid:
        store.create_key(dataclasses.replace(first, issuer="THIRD-ISSUER"))
    assert same_kid.value.code != "KEY_ALREADY_ACTIVE"  # a kid is recorded once


@pytest.mark.parametrize("leaving", ["retired", "revoked"])
def test_a_key_leaving_active_frees_its_issuer(store: Store, leaving: str) -> None:
    store.create_key(key("0000000000000001"))
    gone = dataclasses.replace(key("0000000000000001"), status=leaving, retired_at=T0)
    store.replace_key(gone, expected_status="active")
    store.create_key(key("0000000000000002"))
    with pytest.raises(Conflict) as third:
        store.create_key(key("0000000000000003"))
    assert third.value.code == "KEY_ALREADY_ACTIVE"
    store.replace_key(dataclasses.replace(gone, status="revoked"), expected_status=leaving)
    with pytest.raises(Conflict) as fourth:
        store.create_key(key("0000000000000004"))  # revoking a retired key frees nothing
    assert fourth.value.code == "KEY_ALREADY_ACTIVE"
    assert [k.kid for k in store.list_keys(key().issuer) if k.status == "active"] == [
        "0000000000000002"
    ]


def test_a_key_made_active_again_is_held_to_the_rule(store: Store) -> None:
    store.create_key(key("0000000000000001"))
    retired = dataclasses.replace(key("0000000000000001"), status="retired", retired_at=T0)
    store.replace_key(retired, expected_status="active")
    store.create_key(key("0000000000000002"))
    with pytest.raises(Conflict) as again:
        store.replace_key(key("0000000000000001"), expected_status="retired")
    assert again.value.code == "KEY_ALREADY_ACTIVE"
    assert store.get_key("0000000000000001") == retired
    store.replace_key(
        dataclasses.replace(key("0000000000000002"), status="retired", retired_at=T0),
        expected_status="active",
    )
    store.replace_key(key("0000000000000001"), expected_status="retired")
    assert store.get_key("0000000000000001") == key("0000000000000001")
    with pytest.raises(Conflict) as after:
        store.create_key(key("0000000000000003"))
    assert after.value.code == "KEY_ALREADY_ACTIVE"


def test_replace_key_of_missing_key_conflicts(store: Store) -> None:
    with pytest.raises(Conflict):
        store.replace_key(key(), expected_status="active")


def test_documents_are_never_overwritten(store: Store) -> None:
    store.create_document(document())
    assert store.get_document("a" * 26) == document()
    with pytest.raises(Conflict):
        store.create_document(dataclasses.replace(document(), type="criminal-record"))
    assert store.get_document("a" * 26) == document()
    assert store.get_document("b" * 26) is None


def test_identities_upsert(store: Store) -> None:
    record = IdentityRecord("e" * 64, "Trần Văn Nam", dt.date(1990, 5, 17), "male", "active")
    store.put_identities([record])
    assert store.get_identity("e" * 64) == record
    store.put_identities([dataclasses.replace(record, status="deceased")])
    got = store.get_identity("e" * 64)
    assert got is not None and got.status == "deceased"
    assert store.get_identity("0" * 64) is None


def test_identity_import_in_bulk(store: Store) -> None:
    records = [
        IdentityRecord(f"{i:064x}", f"Người {i}", dt.date(2000, 1, 1), "female", "active")
        for i in range(60)
    ]
    store.put_identities(records)
    assert store.get_identity(f"{59:064x}") == records[59]


def test_idempotency_first_claim_wins(store: Store) -> None:
    first = IdempotencyRecord("ISSUER", "key-1", "hash-a", "a" * 26)
    assert store.claim_idempotency(first) == first
    second = IdempotencyRecord("ISSUER", "key-1", "hash-b", "b" * 26)
    assert store.claim_idempotency(second) == first
    other_scope = IdempotencyRecord("OTHER", "key-1", "hash-b", "b" * 26)
    assert store.claim_idempotency(other_scope) == other_scope


def test_counters_increment_from_zero(store: Store) -> None:
    assert [store.next_counter("L1") for _ in range(3)] == [0, 1, 2]
    assert store.next_counter("L2") == 0


def test_type_notes_set_replace_and_clear(store: Store) -> None:
    assert store.list_type_notes() == {}
    store.save_type_note("birth-registration", "Theo Nghị định 45/2020", "")
    store.save_type_note("criminal-record", "Căn cứ A", "Basis A")
    store.save_type_note("criminal-record", "Căn cứ B", "Basis B")
    assert store.list_type_notes() == {
        "birth-registration": ("Theo Nghị định 45/2020", ""),
        "criminal-record": ("Căn cứ B", "Basis B"),
    }
    store.save_type_note("birth-registration", "", "")
    assert store.list_type_notes() == {"criminal-record": ("Căn cứ B", "Basis B")}


def link(link_id: str = "l" * 26, token_hash: str = "ab" * 32, **changes: object) -> ShareLink:
    base = ShareLink(
        id=link_id,
        token_hash=token_hash,
        doc_id="a" * 26,
        holder_ref="f" * 64,
        created_at=T0,
        expires_at=T0 + dt.timedelta(days=7),
        disclose=("birth_place", "registration_no"),
        recipient="Trường Tiểu học Dịch Vọng",
        max_views=None,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_documents_are_listed_by_holder(store: Store) -> None:
    store.create_document(document("a" * 26))
    store.create_document(dataclasses.replace(document("b" * 26), issued_at=T0 + dt.timedelta(1)))
    store.create_document(dataclasses.replace(document("c" * 26), holder_ref="e" * 64))
    assert [d.id for d in store.list_documents("f" * 64)] == ["b" * 26, "a" * 26]
    assert store.list_documents("0" * 64) == []


def test_link_round_trip_find_by_hash_and_list(store: Store) -> None:
    store.create_link(link())
    store.create_link(link("m" * 26, "cd" * 32, created_at=T0 + dt.timedelta(hours=1)))
    store.create_link(link("n" * 26, "ef" * 32, holder_ref="e" * 64))
    assert store.get_link("l" * 26) == link()
    assert store.find_link("ab" * 32) == link()
    assert store.find_link("00" * 32) is None and store.get_link("x" * 26) is None
    assert [x.id for x in store.list_links("f" * 64)] == ["m" * 26, "l" * 26]
    with pytest.raises(Conflict):
        store.create_link(link())


def test_claim_view_counts_and_refuses_when_unusable(store: Store) -> None:
    store.create_link(link(max_views=2))
    now = T0 + dt.timedelta(hours=1)
    first = store.claim_view("l" * 26, now)
    assert first is not None and first.views == 1
    second = store.claim_view("l" * 26, now)
    assert second is not None and second.views == 2
    assert store.claim_view("l" * 26, now) is None  # max_views reached
    assert store.get_link("l" * 26).views == 2  # type: ignore[union-attr]
    store.create_link(link("m" * 26, "cd" * 32))
    assert store.claim_view("m" * 26, T0 + dt.timedelta(days=7)) is None  # expired
    store.revoke_link("m" * 26, now)
    store.revoke_link("m" * 26, now + dt.timedelta(hours=1))  # twice: the first time stays
    assert store.get_link("m" * 26).revoked_at == now  # type: ignore[union-attr]
    assert store.claim_view("m" * 26, now) is None
    assert store.claim_view("x" * 26, now) is None  # unknown
    store.revoke_link("x" * 26, now)  # unknown: nothing happens


def test_views_are_logged_newest_first(store: Store) -> None:
    store.add_view(LinkView("l" * 26, T0, "Điện thoại · Chrome"))
    store.add_view(LinkView("l" * 26, T0 + dt.timedelta(minutes=5), "Máy tính · Firefox", "BV-01"))
    store.add_view(LinkView("m" * 26, T0, "Máy tính · Safari"))
    views = store.list_views("l" * 26)
    assert [v.device for v in views] == ["Máy tính · Firefox", "Điện thoại · Chrome"]
    assert views[0].agency == "BV-01" and views[0].at == T0 + dt.timedelta(minutes=5)


def test_hits_count_per_bucket(store: Store) -> None:
    end = T0 + dt.timedelta(minutes=1)
    assert [store.count_hit("ip:a:1", end) for _ in range(3)] == [1, 2, 3]
    assert store.count_hit("ip:b:1", end) == 1


def test_parallel_views_never_pass_max_views(store: Store, request: pytest.FixtureRequest) -> None:
    """Racing viewers never pass max_views. SQLite's atomicity is this code's
    (one write transaction); DynamoDB's is the service's, and moto does not
    lock between threads, so for it the test in tests/adapters checks instead
    that a claim is one conditional UpdateItem and no read before it."""
    from concurrent.futures import ThreadPoolExecutor

    if request.node.callspec.params["store"] != "sqlite":
        store.create_link(link(max_views=3))
        now = T0 + dt.timedelta(hours=1)
        claimed = [store.claim_view("l" * 26, now) for _ in range(16)]
        assert sum(c is not None for c in claimed) == 3
        return
    store.create_link(link(max_views=3))
    now = T0 + dt.timedelta(hours=1)
    with ThreadPoolExecutor(max_workers=8) as pool:
        claimed = list(pool.map(lambda _: store.claim_view("l" * 26, now), range(16)))
    assert sum(c is not None for c in claimed) == 3
    assert store.get_link("l" * 26).views == 3  # type: ignore[union-attr]


def test_save_document_changes_status_and_needs_the_document(store: Store) -> None:
    store.create_document(document())
    store.save_document(dataclasses.replace(document(), status="revoked", status_reason="x"))
    saved = store.get_document("a" * 26)
    assert saved is not None and saved.status == "revoked" and saved.status_reason == "x"
    assert [d.status for d in store.list_documents("f" * 64)] == ["revoked"]
    with pytest.raises(NotFound):
        store.save_document(document("z" * 26))


def test_save_document_with_an_expected_status_is_conditional(store: Store) -> None:
    from concurrent.futures import ThreadPoolExecutor

    store.create_document(document())

    def revoke(reason: str) -> str | None:
        revoked = dataclasses.replace(document(), status="revoked", status_reason=reason)
        try:
            store.save_document(revoked, expected_status="valid")
        except Conflict:
            return None
        return reason

    with ThreadPoolExecutor(max_workers=8) as pool:
        won = [r for r in pool.map(revoke, [f"reason {i}" for i in range(8)]) if r]
    assert len(won) == 1
    saved = store.get_document("a" * 26)
    assert saved is not None and saved.status_reason == won[0]
    with pytest.raises(NotFound):
        store.save_document(document("z" * 26), expected_status="valid")


def test_audit_append_is_conditional_and_pages_in_order(store: Store) -> None:
    from chalicelib.domain.audit import next_entry

    assert store.last_audit() is None and store.list_audit() == []
    head = None
    for i in range(5):
        head = next_entry(head, T0 + dt.timedelta(seconds=i), "cli", "issuer.add", f"I{i}")
        store.append_audit(head)
    assert store.last_audit() == head
    with pytest.raises(Conflict):
        store.append_audit(head)  # that seq is taken
    assert [e.seq for e in store.list_audit()] == [1, 2, 3, 4, 5]
    assert [e.seq for e in store.list_audit(after=2, limit=2)] == [3, 4]
    assert store.list_audit(after=5) == []
    assert store.list_audit()[0].at == T0


def test_documents_are_listed_by_signing_key(store: Store) -> None:
    store.create_document(document("a" * 26))
    store.create_document(
        dataclasses.replace(document("b" * 26), issued_at=T0 + dt.timedelta(hours=1))
    )
    store.create_document(document("c" * 26, kid="8899aabbccddeeff"))
    assert [d.id for d in store.list_documents_by_key("0011223344556677")] == ["a" * 26, "b" * 26]
    assert store.list_documents_by_key("ffffffffffffffff") == []


def test_documents_of_one_second_are_listed_by_id(store: Store) -> None:
    for doc_id in ("m" * 26, "b" * 26, "x" * 26):  # issued in the same second
        store.create_document(document(doc_id))
    listed = [d.id for d in store.list_documents_by_key("0011223344556677")]
    assert listed == ["b" * 26, "m" * 26, "x" * 26]


def test_doc_types_are_saved_replaced_and_listed(store: Store) -> None:
    from chalicelib.domain.catalogue import DocType, FieldSpec

    first = DocType(
        "school-enrolment",
        "Xác nhận nhập học",
        "School enrolment",
        (FieldSpec("school", "Trường", "School"), FieldSpec("note", "Ghi chú", "Note", False)),
        365,
    )
    store.save_doc_type(first)
    store.save_doc_type(DocType("a-type", "A", "A", (FieldSpec("x", "X", "X"),)))
    changed = dataclasses.replace(first, name_en="Enrolment")
    store.save_doc_type(changed)
    assert store.list_doc_types() == [
        DocType("a-type", "A", "A", (FieldSpec("x", "X", "X"),)),
        changed,
    ]
