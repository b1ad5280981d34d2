"""The admin API: role checks (refusals on the audit trail), key and document
lifecycle over HTTP, and paging through the audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

import boto3
import pytest

from chalicelib.adapters.dynamodb import open_dynamodb
from chalicelib.errors import Conflict
from chalicelib.services.keyring import KeyringService
from tests.functional.conftest import ISSUER, OPERATOR, World

from .test_api import issue, post
from .test_lifecycle import StaleKeys


def admin(world: World) -> dict[str, str]:
    return world.auth("admin", None)


def test_issuer_and_citizen_tokens_are_refused_and_logged(world: World) -> None:
    citizen = {"Authorization": f"Bearer {world.token('citizen', None, holder_id='001325012345')}"}
    for headers in (world.auth(), citizen):
        r = post(world, "/api/v1/admin/issuers/X-1/suspend", {}, headers)
        assert r.status_code == 403 and r.json_body["error"]["code"] == "WRONG_ROLE"
        assert world.client.http.get("/api/v1/audit", headers=headers).status_code == 403
    denied = [e for e in world.container.audit.entries() if e.action == "access.denied"]
    assert len(denied) == 4 and denied[2].actor == "citizen"
    assert "001325012345" not in str(denied)


def test_an_issuer_acts_only_on_its_own_documents(world: World) -> None:
    doc = issue(world)
    world.container.issuers.add_issuer(
        "UBND-KHAC", "UBND khác", "Other", ["birth-registration"], actor=OPERATOR
    )
    other = {"Authorization": f"Bearer {world.token('issuer', 'UBND-KHAC')}"}
    r = post(world, f"/api/v1/admin/documents/{doc['id']}/revoke", {"reason": "x"}, other)
    assert r.status_code == 403
    r = post(world, f"/api/v1/admin/documents/{doc['id']}/revoke", {"reason": "x"}, world.auth())
    assert r.status_code == 200 and r.json_body["status"] == "revoked"


def test_a_revoked_document_stays_revoked_with_its_first_reason(world: World) -> None:
    doc = issue(world)
    path = f"/api/v1/admin/documents/{doc['id']}/revoke"
    r = post(world, path, {"reason": "cấp nhầm người"}, world.auth())
    assert r.status_code == 200 and r.json_body["reason"] == "cấp nhầm người"
    r = post(world, path, {"reason": "lý do khác"}, admin(world))
    assert r.status_code == 409 and r.json_body["error"]["code"] == "ALREADY_REVOKED"
    stored = world.container.storage.documents.get_document(doc["id"])
    assert stored is not None and stored.status_reason == "cấp nhầm người"
    v = post(world, "/api/v1/verify", {"qr_text": doc["qr_text"]}).json_body
    assert v["reasons"] == ["DOCUMENT_REVOKED"]
    assert v["notes"]["document_revocation_reason"] == "cấp nhầm người"
    revocations = [e for e in world.container.audit.entries() if e.action == "document.revoke"]
    assert len(revocations) == 1


def test_of_parallel_revocations_one_wins(world: World) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from chalicelib.errors import Conflict

    doc = issue(world)

    def revoke(reason: str) -> str:
        try:
            return world.container.revocation.revoke_document(
                doc["id"], reason, actor=OPERATOR
            ).status_reason
        except Conflict as exc:
            return exc.code

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(revoke, [f"lý do {i}" for i in range(6)]))
    winners = [o for o in outcomes if o != "ALREADY_REVOKED"]
    assert len(winners) == 1
    stored = world.container.storage.documents.get_document(doc["id"])
    assert stored is not None and stored.status_reason == winners[0]


def test_key_lifecycle_over_http(world: World) -> None:
    doc = issue(world)
    world.clock.advance(hours=1)
    r = post(world, f"/api/v1/admin/issuers/{ISSUER}/rotate-key", {}, admin(world))
    assert r.status_code == 201
    new_kid = r.json_body["kid"]
    future = (world.clock.now() + dt.timedelta(hours=1)).isoformat()
    r = post(
        world,
        f"/api/v1/admin/keys/{doc['kid']}/revoke",
        {"reason": "x", "effective": future},
        admin(world),
    )
    assert r.status_code == 422 and r.json_body["error"]["code"] == "INVALID_EFFECTIVE_TIME"
    r = post(world, "/api/v1/admin/keys/0000000000000000/revoke", {"reason": "x"}, admin(world))
    assert r.status_code == 404 and r.json_body["error"]["code"] == "UNKNOWN_KEY"
    r = post(world, f"/api/v1/admin/keys/{doc['kid']}/revoke", {"reason": "leaked"}, admin(world))
    assert r.status_code == 200 and r.json_body["status"] == "revoked"
    r = post(world, f"/api/v1/admin/keys/{doc['kid']}/revoke", {"reason": "again"}, admin(world))
    assert r.status_code == 409
    r = post(world, f"/api/v1/admin/keys/{doc['kid']}/reissue", {}, admin(world))
    [pair] = r.json_body["reissued"]
    assert pair["superseded"] == doc["id"]
    assert world.container.storage.documents.get_document(pair["id"]).kid == new_kid  # type: ignore[union-attr]
    r = post(world, f"/api/v1/admin/issuers/{ISSUER}/suspend", {}, admin(world))
    assert r.json_body["status"] == "suspended"
    r = post(world, f"/api/v1/admin/issuers/{ISSUER}/rotate-key", {}, admin(world))
    assert r.status_code == 409 and r.json_body["error"]["code"] == "ISSUER_SUSPENDED"


def test_audit_pages_and_filters(world: World) -> None:
    for _ in range(3):
        issue(world)
    get: Any = world.client.http.get
    r = get("/api/v1/audit?action=document.issue&limit=2", headers=admin(world))
    assert r.status_code == 200
    page = r.json_body
    assert [e["action"] for e in page["entries"]] == ["document.issue"] * 2
    assert page["next_after"] is not None
    rest = get(
        f"/api/v1/audit?action=document.issue&after={page['next_after']}", headers=admin(world)
    )
    assert len(rest.json_body["entries"]) == 1 and rest.json_body["next_after"] is None
    assert get("/api/v1/audit?limit=abc", headers=admin(world)).status_code == 400
    chained = [e["prev"] for e in get("/api/v1/audit", headers=admin(world)).json_body["entries"]]
    assert chained[0] == "0" * 64


def test_an_admin_defined_type_is_issued_and_verified_with_its_labels(world: World) -> None:
    body = {
        "code": "school-enrolment",
        "name_vi": "Giấy xác nhận nhập học",
        "name_en": "School enrolment confirmation",
        "default_validity_days": 365,
        "fields": [
            {"code": "school", "label_vi": "Trường", "label_en": "School"},
            {"code": "grade", "label_vi": "Lớp", "label_en": "Grade"},
            {"code": "note", "label_vi": "Ghi chú", "label_en": "Note", "required": False},
        ],
    }
    r = post(world, "/api/v1/admin/doctypes", body, admin(world))
    assert r.status_code == 201 and r.json_body["code"] == "school-enrolment"
    assert post(world, "/api/v1/admin/doctypes", body, world.auth()).status_code == 403
    listed = world.client.http.get("/api/v1/doctypes").json_body["doc_types"]
    assert "school-enrolment" in [t["code"] for t in listed]
    world.container.issuers.update_issuer(
        ISSUER, types=["birth-registration", "marital-status", "school-enrolment"], actor=OPERATOR
    )
    from .test_api import birth_request

    request = birth_request(type="school-enrolment", fields={"school": "TH Dịch Vọng"})
    r = post(world, "/api/v1/documents", request, world.auth())
    assert r.status_code == 422 and r.json_body["error"]["code"] == "MISSING_FIELD"
    request["fields"] = {"school": "TH Dịch Vọng", "grade": "1A"}
    r = post(world, "/api/v1/documents", request, world.auth())
    assert r.status_code == 201, r.json_body
    assert r.json_body["expires_at"] is not None  # the type's default validity
    v = post(world, "/api/v1/verify", {"qr_text": r.json_body["qr_text"]}).json_body
    assert v["verdict"] == "VALID"
    assert v["document"]["type_name_vi"] == "Giấy xác nhận nhập học"
    assert [f["label_vi"] for f in v["document"]["fields"]] == ["Trường", "Lớp"]


def test_bad_type_definitions(world: World) -> None:
    good = {"code": "new-type", "name_vi": "Loại mới", "fields": [{"code": "a", "label_vi": "A"}]}
    cases = [
        ({**good, "code": "Bad Code"}, "INVALID_TYPE_CODE"),
        ({**good, "code": "birth-registration"}, "TYPE_EXISTS"),
        ({**good, "fields": []}, "INVALID_FIELD_VALUE"),
        ({**good, "fields": [{"code": "a", "label_vi": "A"}] * 2}, "DUPLICATE_FIELD"),
        ({**good, "fields": [{"code": "A-1", "label_vi": "A"}]}, "INVALID_FIELD_VALUE"),
        ({**good, "default_validity_days": 0}, "INVALID_FIELD_VALUE"),
        ({**good, "name_vi": " "}, "INVALID_NAME"),
    ]
    for body, code in cases:
        r = post(world, "/api/v1/admin/doctypes", body, admin(world))
        assert r.json_body["error"]["code"] == code, (body, r.json_body)
        assert r.status_code in (400, 409, 422)


def test_document_reissue_with_a_correction_over_http(world: World) -> None:
    doc = issue(world)
    body = {"fields": {"registrar": "Lê Văn Bình"}}
    r = post(world, f"/api/v1/admin/documents/{doc['id']}/reissue", body, world.auth())
    assert r.status_code == 201 and r.json_body["superseded"] == doc["id"]
    v = post(world, "/api/v1/verify", {"qr_text": r.json_body["qr_text"]}).json_body
    assert {f["code"]: f["value"] for f in v["document"]["fields"]}["registrar"] == "Lê Văn Bình"
    r = post(world, f"/api/v1/admin/documents/{doc['id']}/reissue", {"fields": []}, world.auth())
    assert r.status_code == 409 and r.json_body["error"]["code"] == "DOCUMENT_NOT_VALID"


def test_create_key_over_http_keeps_one_active_key_per_issuer(world: World) -> None:
    world.container.issuers.add_issuer(
        "UBND-MOI", "UBND mới", "New", ["birth-registration"], actor=OPERATOR
    )
    create = "/api/v1/admin/issuers/UBND-MOI/create-key"
    r = post(world, create, {}, admin(world))
    assert r.status_code == 201
    for again in (create, f"/api/v1/admin/issuers/{ISSUER}/create-key"):
        r = post(world, again, {}, admin(world))
        assert r.status_code == 409 and r.json_body["error"]["code"] == "KEY_ALREADY_ACTIVE"
    r = post(world, "/api/v1/admin/issuers/UBND-MOI/rotate-key", {}, admin(world))
    assert r.status_code == 201
    rotated = r.json_body["kid"]
    r = post(world, create, {}, admin(world))
    assert r.status_code == 409 and r.json_body["error"]["code"] == "KEY_ALREADY_ACTIVE"
    r = post(world, f"/api/v1/admin/keys/{rotated}/revoke", {"reason": "leaked"}, admin(world))
    assert r.status_code == 200
    r = post(world, create, {}, admin(world))  # a revoked key frees its issuer
    assert r.status_code == 201
    keys = world.container.storage.keys.list_keys("UBND-MOI")
    assert [k.kid for k in keys if k.status == "active"] == [r.json_body["kid"]]
    assert sorted(k.status for k in keys) == ["active", "retired", "revoked"]


def test_the_store_refuses_a_second_key_the_caller_thought_was_the_first(world: World) -> None:
    """An administrator who looked a moment before another's key was stored
    still gets 409: the store's conditional write decides, on DynamoDB one
    TransactWriteItems that the server rejects whole."""
    c = world.container
    storage: Any = c.storage
    calls: list[str] = []
    if world.backend == "aws":  # the same table through a client whose calls are counted
        s = c.settings
        client = boto3.client("dynamodb", region_name=s.aws_region, endpoint_url=s.aws_endpoint_url)
        client.meta.events.register(
            "provide-client-params.dynamodb.*", lambda model, **_: calls.append(model.name)
        )
        storage = open_dynamodb(s.table_name, client)
    before = c.storage.keys.list_keys(ISSUER)
    second = KeyringService(
        storage.issuers,
        StaleKeys(storage.keys, []),  # type: ignore[arg-type]
        storage.documents,
        c.custody,
        c.clock,
        c.trust,
        c.audit,
    )
    with pytest.raises(Conflict) as lost:
        second.create_key(ISSUER, actor=OPERATOR)
    assert lost.value.code == "KEY_ALREADY_ACTIVE" and lost.value.http_status == 409
    assert c.storage.keys.list_keys(ISSUER) == before
    writes = [
        n for n in calls if n in ("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems")
    ]
    assert writes == (["TransactWriteItems"] if world.backend == "aws" else [])
