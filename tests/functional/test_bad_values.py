"""Values no door may take, found by review, each answered with its own code
and nothing stored: dates past the calendar, ISO week dates, times with no
UTC equivalent, sequence numbers past what a store holds, JSON nested past
what a parser follows, reasons that are not text."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.errors import DocsealError
from chalicelib.services.identities import ImportRejected
from tests.functional.conftest import OPERATOR, World, birth_request
from tests.support import HOLDER_ID

from .test_api import error_code, issue, post

LOCAL = pytest.mark.parametrize("world", ["local"], indirect=True)
DEEP = '{"a":' * 5000 + "1" + "}" * 5000  # far under the 64 KiB body limit


def admin(world: World) -> dict[str, str]:
    return world.auth("admin", None)


def holder(**changes: str) -> dict[str, str]:
    return {"id_number": HOLDER_ID, "full_name": "Nguyễn Thị Hồng Nhung", "dob": "2025-03-14"} | (
        changes
    )


@LOCAL
@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"expires": "9999-12-31"}, 422, "INVALID_EXPIRY"),
        ({"expires": "2200-01-01"}, 422, "INVALID_EXPIRY"),
        ({"expires": "2027-W11-5"}, 400, "INVALID_DATE"),
        ({"expires": "20270314"}, 400, "INVALID_DATE"),
        ({"holder": holder(dob="2025-W11-5")}, 400, "INVALID_DATE"),
        ({"holder": holder(dob="2025-073")}, 400, "INVALID_DATE"),
        ({"holder": holder(dob="٢٠٢٥-٠٣-١٤")}, 400, "INVALID_DATE"),
    ],
)
def test_an_issue_with_a_bad_date_is_refused_and_stores_nothing(
    world: World, changes: dict[str, Any], status: int, code: str
) -> None:
    before = world.stored("document")
    r = post(world, "/api/v1/documents", birth_request(**changes), world.auth())
    assert (r.status_code, error_code(r)) == (status, code), r.body
    assert world.stored("document") == before


@LOCAL
@pytest.mark.parametrize(
    ("path", "role"),
    [
        ("/api/v1/documents", "issuer"),
        ("/api/v1/verify", "verifier"),
        ("/api/v1/admin/issuers", "admin"),
    ],
)
def test_json_nested_past_any_parser_is_bad_json(world: World, path: str, role: str) -> None:
    assert len(DEEP) < 64 * 1024
    r = post(world, path, DEEP, world.auth(role, None))
    assert (r.status_code, error_code(r)) == (400, "BAD_JSON"), r.body


@LOCAL
@pytest.mark.parametrize(
    "after", ["99999999999999999999999", "9223372036854775808", "-99999999999999999999", "-1"]
)
def test_an_audit_page_after_no_possible_entry_is_refused(world: World, after: str) -> None:
    r = world.client.http.get(f"/api/v1/audit?after={after}", headers=admin(world))
    assert (r.status_code, error_code(r)) == (400, "BAD_REQUEST"), r.body


@LOCAL
def test_an_audit_page_after_the_last_possible_entry_is_empty(world: World) -> None:
    r = world.client.http.get(f"/api/v1/audit?after={2**63 - 1}", headers=admin(world))
    assert r.status_code == 200 and r.json_body["entries"] == []


@LOCAL
@pytest.mark.parametrize(
    "effective",
    ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2025-W11-5T10:00:00Z", 5],
)
def test_a_key_revocation_at_no_utc_instant_is_refused(world: World, effective: Any) -> None:
    doc = issue(world)
    r = post(
        world,
        f"/api/v1/admin/keys/{doc['kid']}/revoke",
        {"reason": "compromised", "effective": effective},
        admin(world),
    )
    assert (r.status_code, error_code(r)) == (400, "INVALID_DATE"), r.body


@LOCAL
@pytest.mark.parametrize("reason", [{"why": ["forged", None, True]}, 5, ["forged"], True])
def test_a_revocation_reason_that_is_not_text_is_refused(world: World, reason: Any) -> None:
    doc = issue(world)
    r = post(world, f"/api/v1/admin/documents/{doc['id']}/revoke", {"reason": reason}, admin(world))
    assert (r.status_code, error_code(r)) == (400, "BAD_REQUEST"), r.body
    r = post(
        world,
        f"/api/v1/admin/keys/{doc['kid']}/revoke",
        {"reason": reason},
        admin(world),
    )
    assert (r.status_code, error_code(r)) == (400, "BAD_REQUEST"), r.body
    record = world.container.revocation.document(doc["id"])
    assert record is not None and record.status == "valid"


@LOCAL
@pytest.mark.parametrize("dob", ["2025-W11-5", "2025-073", "20250314"])
def test_an_identity_row_with_a_week_date_is_rejected(world: World, dob: str) -> None:
    row = {
        "id_number": "001325054321",
        "full_name": "Phạm Văn Bình",
        "dob": dob,
        "gender": "male",
        "status": "active",
    }
    with pytest.raises(ImportRejected) as info:
        world.container.identities.import_identities([row], actor=OPERATOR)
    assert [e.code for e in info.value.errors] == ["INVALID_DOB"]


def test_a_file_of_no_known_kind_is_refused_in_good_english() -> None:
    from chalicelib.adapters.scan import scan_file

    with pytest.raises(DocsealError) as info:
        scan_file(b"plain text, not an image")
    assert (info.value.code, info.value.message) == (
        "UNSUPPORTED_FILE",
        "this kind of file is not supported",
    )
