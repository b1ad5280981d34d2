"""Administrators' lifecycle steps, each shown by its effect on the verdict of
documents that already exist (real SQLite, real signatures, a fixed clock)."""

from __future__ import annotations

import datetime as dt

import pytest

from chalicelib.errors import Conflict, DocsealError, NotFound, ValidationFailed
from tests.functional.conftest import ISSUER, OPERATOR, World

from .test_api import issue


def verdict(world: World, text: str) -> dict[str, object]:
    return world.container.verifier.verify(text).to_dict()


def test_rotation_keeps_old_documents_valid_and_signs_new_ones_with_the_new_key(
    world: World,
) -> None:
    before = issue(world)
    old_kid = before["kid"]
    world.clock.advance(hours=1)
    new = world.container.keyring.rotate_key(ISSUER, actor=OPERATOR)
    assert new.kid != old_kid and new.status == "active"
    old = world.container.storage.keys.get_key(old_kid)
    assert old is not None and old.status == "retired" and old.retired_at == world.clock.now()
    assert verdict(world, before["qr_text"])["verdict"] == "VALID"  # still verifies
    after = issue(world)
    assert after["kid"] == new.kid and verdict(world, after["qr_text"])["verdict"] == "VALID"


class StaleKeys:
    """The signing keys as a second administrator saw them a moment ago: a fake
    around the real repository."""

    def __init__(self, real: object, keys: list[object]) -> None:
        self._real, self._keys = real, keys

    def list_keys(self, issuer: str | None = None) -> list[object]:
        return list(self._keys)

    def __getattr__(self, name: str) -> object:
        return getattr(self._real, name)


def test_of_two_rotations_at_once_one_wins_and_the_other_gets_409(world: World) -> None:
    from chalicelib.services.keyring import KeyringService

    c = world.container
    seen_by_second = c.storage.keys.list_keys(ISSUER)
    winner = c.keyring.rotate_key(ISSUER, actor=OPERATOR)
    second = KeyringService(
        c.storage.issuers,
        StaleKeys(c.storage.keys, seen_by_second),  # type: ignore[arg-type]
        c.storage.documents,
        c.custody,
        c.clock,
        c.trust,
        c.audit,
    )
    with pytest.raises(Conflict) as lost:
        second.rotate_key(ISSUER, actor=OPERATOR)
    assert lost.value.code == "KEY_CHANGED" and lost.value.http_status == 409
    active = [k.kid for k in c.storage.keys.list_keys(ISSUER) if k.status == "active"]
    assert active == [winner.kid]


def test_revocation_invalidates_every_document_under_the_key(world: World) -> None:
    first, second = issue(world), issue(world)
    world.clock.advance(hours=2)
    kid = first["kid"]
    effective = world.clock.now() - dt.timedelta(hours=1)
    world.container.keyring.revoke_key(kid, "khóa bị lộ / key leaked", effective, actor=OPERATOR)
    for doc in (first, second):
        v = verdict(world, doc["qr_text"])
        assert v["verdict"] == "INVALID" and "KEY_REVOKED" in v["reasons"]  # type: ignore[operator]
        assert v["notes"] == {  # when and why
            "key_revoked_at": effective.isoformat().replace("+00:00", "Z"),
            "key_revocation_reason": "khóa bị lộ / key leaked",
        }


def test_revocation_bad_inputs(world: World) -> None:
    keyring = world.container.keyring
    kid = issue(world)["kid"]
    with pytest.raises(NotFound) as unknown:
        keyring.revoke_key("00" * 8, "x", actor=OPERATOR)
    assert unknown.value.code == "UNKNOWN_KEY"
    with pytest.raises(ValidationFailed) as future:
        keyring.revoke_key(kid, "x", world.clock.now() + dt.timedelta(hours=1), actor=OPERATOR)
    assert future.value.code == "INVALID_EFFECTIVE_TIME"
    with pytest.raises(ValidationFailed) as early:
        keyring.revoke_key(kid, "x", world.clock.now() - dt.timedelta(days=3650), actor=OPERATOR)
    assert early.value.code == "INVALID_EFFECTIVE_TIME"
    with pytest.raises(ValidationFailed):
        keyring.revoke_key(kid, "   ", actor=OPERATOR)
    keyring.revoke_key(kid, "leaked", actor=OPERATOR)
    with pytest.raises(Conflict) as twice:
        keyring.revoke_key(kid, "again", actor=OPERATOR)
    assert twice.value.code == "KEY_ALREADY_REVOKED"


def test_suspension_stops_issuance_but_not_verification(world: World) -> None:
    doc = issue(world)
    world.container.issuers.set_issuer_status(ISSUER, "suspended", actor=OPERATOR)
    assert verdict(world, doc["qr_text"])["verdict"] == "VALID"
    from .test_api import birth_request, post

    r = post(world, "/api/v1/documents", birth_request(), world.auth())
    assert r.status_code == 403 and r.json_body["error"]["code"] == "ISSUER_SUSPENDED"
    with pytest.raises(Conflict) as rotating:
        world.container.keyring.rotate_key(ISSUER, actor=OPERATOR)
    assert rotating.value.code == "ISSUER_SUSPENDED"
    world.container.issuers.set_issuer_status(ISSUER, "active", actor=OPERATOR)
    assert issue(world)["id"]


def test_document_revocation_shows_its_reason(world: World) -> None:
    doc, other = issue(world), issue(world)
    world.container.revocation.revoke_document(doc["id"], "cấp nhầm người", actor=OPERATOR)
    v = verdict(world, doc["qr_text"])
    assert v["reasons"] == ["DOCUMENT_REVOKED"]
    assert v["notes"] == {"document_revocation_reason": "cấp nhầm người"}
    assert verdict(world, other["qr_text"])["verdict"] == "VALID"
    with pytest.raises(NotFound):
        world.container.revocation.revoke_document("a" * 26, "x", actor=OPERATOR)


def test_after_a_compromise_the_key_documents_are_reissued_and_superseded(
    world: World,
) -> None:
    c = world.container
    first, second = issue(world), issue(world)
    old_kid = first["kid"]
    world.clock.advance(hours=1)
    c.keyring.revoke_key(old_kid, "leaked", actor=OPERATOR)
    with pytest.raises(DocsealError) as no_key:
        c.issuing.reissue_key(old_kid, actor=OPERATOR)  # the issuer's only key is the revoked one
    assert no_key.value.code == "KEY_REVOKED"
    new_key = c.keyring.create_key(ISSUER, actor=OPERATOR)
    pairs = c.issuing.reissue_key(old_kid, actor=OPERATOR)
    in_order = sorted((first, second), key=lambda d: str(d["id"]))  # same second: by id
    assert [old for old, _ in pairs] == [d["id"] for d in in_order]
    for (old_id, new_id), doc in zip(pairs, in_order, strict=True):
        old_verdict = verdict(world, doc["qr_text"])
        assert {"KEY_REVOKED", "DOCUMENT_SUPERSEDED"} <= set(old_verdict["reasons"])  # type: ignore[arg-type]
        assert old_verdict["successor"] == new_id
        record = c.storage.documents.get_document(new_id)
        assert record is not None and record.kid == new_key.kid and record.supersedes == old_id
        new_text = c.issuing.qr_text(record)
        new_verdict = verdict(world, new_text)
        assert new_verdict["verdict"] == "VALID"
        assert new_verdict["document"]["supersedes"] == old_id  # type: ignore[index]
    # the citizen finds the new versions among their documents
    citizen = world.container.tokens.principal(
        f"Bearer {world.token('citizen', None, holder_id='001325012345')}", world.clock.now()
    )
    mine = {d.id: d.status for d in c.links.my_documents(citizen)}
    assert all(mine[new] == "valid" and mine[old] == "superseded" for old, new in pairs)
    assert c.issuing.reissue_key(old_kid, actor=OPERATOR) == []  # nothing left to re-issue


def test_reissue_of_one_document(world: World) -> None:
    c = world.container
    doc = issue(world)
    issued = c.issuing.reissue(doc["id"], actor=OPERATOR)
    assert verdict(world, doc["qr_text"])["reasons"] == ["DOCUMENT_SUPERSEDED"]
    assert verdict(world, issued.qr_text)["verdict"] == "VALID"
    with pytest.raises(Conflict):
        c.issuing.reissue(doc["id"], actor=OPERATOR)  # already superseded
    with pytest.raises(NotFound):
        c.issuing.reissue("a" * 26, actor=OPERATOR)


def test_narrowing_an_issuers_types_takes_effect_on_existing_documents(world: World) -> None:
    doc = issue(world)
    issuers = world.container.issuers
    changed = issuers.update_issuer(
        ISSUER,
        name_vi="UBND phường Dịch Vọng Hậu (mới)",
        types=["marital-status"],
        actor=OPERATOR,
    )
    assert changed.allowed_types == {"marital-status"}
    v = verdict(world, doc["qr_text"])
    assert v["reasons"] == ["ISSUER_OUT_OF_SCOPE"]
    assert v["document"]["issuer"]["name_vi"] == "UBND phường Dịch Vọng Hậu (mới)"  # type: ignore[index]
    issuers.update_issuer(ISSUER, types=["birth-registration", "marital-status"], actor=OPERATOR)
    assert verdict(world, doc["qr_text"])["verdict"] == "VALID"
    for bad in (["no-such-type"], [], ["verification-receipt"]):
        with pytest.raises(ValidationFailed):
            issuers.update_issuer(ISSUER, types=bad, actor=OPERATOR)
    with pytest.raises(NotFound):
        issuers.update_issuer("NO-SUCH", area="x", actor=OPERATOR)


def test_a_corrected_reissue_changes_the_field_and_supersedes(world: World) -> None:
    c = world.container
    doc = issue(world)
    fixed = c.issuing.reissue(
        doc["id"], corrections={"registration_no": "126/2025"}, actor=OPERATOR
    )
    v = verdict(world, fixed.qr_text)
    values = {f["code"]: f["value"] for f in v["document"]["fields"]}  # type: ignore[index]
    assert v["verdict"] == "VALID" and values["registration_no"] == "126/2025"
    old = verdict(world, doc["qr_text"])
    assert old["reasons"] == ["DOCUMENT_SUPERSEDED"] and old["successor"] == fixed.id
    other = issue(world)
    with pytest.raises(ValidationFailed):
        c.issuing.reissue(other["id"], corrections={"no_such_field": "x"}, actor=OPERATOR)
    assert verdict(world, other["qr_text"])["verdict"] == "VALID"  # nothing changed


def test_an_issuer_cannot_issue_under_another_issuers_code(world: World) -> None:
    from .test_api import birth_request, post

    world.container.issuers.add_issuer(
        "UBND-KHAC", "UBND khác", "Other", ["birth-registration"], actor=OPERATOR
    )
    key = world.container.keyring.create_key("UBND-KHAC", actor=OPERATOR)
    other = {"Authorization": f"Bearer {world.token('issuer', 'UBND-KHAC')}"}
    r = post(world, "/api/v1/documents", {**birth_request(), "issuer": ISSUER}, other)
    assert r.status_code == 201 and r.json_body["kid"] == key.kid  # the token decides
    v = verdict(world, r.json_body["qr_text"])
    assert v["document"]["issuer"]["code"] == "UBND-KHAC"  # type: ignore[index]
