"""Who the audit trail names: the principal of the request on the API, on
SQLite and on DynamoDB alike, never the operator's ``Settings.actor`` (which
on Lambda names nobody who asked); a citizen by nothing that identifies them."""

from __future__ import annotations

from chalicelib.domain.audit import AuditEntry
from tests.functional.conftest import ISSUER, OPERATOR, World
from tests.support import HOLDER_ID

from .test_api import birth_request, issue, post
from .test_links import call


def token(world: World, role: str, subject: str, **kw: str) -> dict[str, str]:
    minted = world.container.dev_idp.mint(role, world.clock.now(), subject=subject, **kw)
    return {"Authorization": f"Bearer {minted}"}


def entries(world: World, action: str) -> list[AuditEntry]:
    return [e for e in world.container.audit.entries() if e.action == action]


def test_admin_actions_are_recorded_under_the_principal(world: World) -> None:
    admin = token(world, "admin", "alice@moj.gov.vn")
    body = {"code": "UBND-MOI", "name_vi": "UBND mới", "types": ["birth-registration"]}
    assert post(world, "/api/v1/admin/issuers", body, admin).status_code == 201
    doc = issue(world)
    r = post(world, f"/api/v1/admin/documents/{doc['id']}/revoke", {"reason": "nhầm"}, admin)
    assert r.status_code == 200
    clerk = token(world, "issuer", "clerk-7", issuer_code=ISSUER)
    r = post(world, "/api/v1/documents", birth_request(), clerk)
    assert r.status_code == 201
    other = r.json_body
    r = post(world, f"/api/v1/admin/documents/{other['id']}/revoke", {"reason": "x"}, clerk)
    assert r.status_code == 200

    [added] = entries(world, "issuer.add")[-1:]
    assert (added.actor, added.target) == ("admin:alice@moj.gov.vn", "UBND-MOI")
    revoked = {e.target: e.actor for e in entries(world, "document.revoke")}
    assert revoked == {doc["id"]: "admin:alice@moj.gov.vn", other["id"]: "issuer:clerk-7"}
    issued = {e.target: e.actor for e in entries(world, "document.issue")}
    assert issued[other["id"]] == "issuer:clerk-7"  # the employee who signed it, by name
    assert OPERATOR not in {added.actor, *revoked.values(), *issued.values()}


def test_a_citizens_link_is_recorded_as_theirs_without_naming_them(world: World) -> None:
    doc = issue(world)
    citizen = world.token("citizen", None, holder_id=HOLDER_ID, subject="citizen-nhung")
    made = call(world, "post", f"/api/v1/me/documents/{doc['id']}/links", {}, citizen)
    assert made.status_code == 201
    link_id = made.json_body["id"]
    for _ in range(2):  # revoking again changes nothing, so it records nothing
        assert (
            call(world, "delete", f"/api/v1/me/links/{link_id}", token=citizen).status_code == 200
        )

    [created] = entries(world, "link.create")
    [revoked] = entries(world, "link.revoke")
    assert (created.actor, created.target) == ("citizen", link_id)
    assert (revoked.actor, revoked.target) == ("citizen", link_id)
    trail = repr(list(world.container.audit.entries()))
    assert "citizen-nhung" not in trail and HOLDER_ID not in trail


def test_an_exported_trail_can_be_rechecked_from_what_it_shows(world: World) -> None:
    """Anyone holding ``GET /api/v1/audit`` can recompute every hash from the
    fields shown, by the canonical form domain/audit.py documents, written
    out here independently of the code; the clock stands between two seconds."""
    import hashlib
    import json

    admin = token(world, "admin", "alice@moj.gov.vn")
    world.clock.advance(seconds=0.25)
    doc = issue(world)
    world.clock.advance(seconds=0.5)
    post(world, f"/api/v1/admin/documents/{doc['id']}/revoke", {"reason": "nhầm"}, admin)
    shown = world.client.http.get("/api/v1/audit?limit=500", headers=admin)
    assert shown.status_code == 200
    rows = json.loads(shown.body)["entries"]
    assert len(rows) >= 2
    prev = "0" * 64
    for row in rows:
        assert row["at"].endswith("Z") and len(row["at"]) == 20
        canonical = {
            "seq": row["seq"],
            "at": row["at"][:-1] + ".000000Z",
            "actor": row["actor"],
            "action": row["action"],
            "target": row["target"],
            "details": row["details"],
            "prev": prev,
        }
        text = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        assert hashlib.sha256(text.encode()).hexdigest() == row["hash"], row["seq"]
        prev = row["hash"]
