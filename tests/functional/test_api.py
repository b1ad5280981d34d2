"""The HTTP API end to end through Chalice's test client on real SQLite."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
import zxingcpp
from PIL import Image

from tests.functional.conftest import ISSUER, World, birth_request
from tests.support import HOLDER_ID


def post(world: World, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
    raw = body if isinstance(body, bytes | str) else json.dumps(body)
    return world.client.http.post(
        path, body=raw, headers={"Content-Type": "application/json", **(headers or {})}
    )


def issue(world: World, **changes: object) -> dict[str, Any]:
    response = post(world, "/api/v1/documents", birth_request(**changes), world.auth())
    assert response.status_code == 201, response.body
    return response.json_body  # type: ignore[no-any-return]


def error_code(response: Any) -> str:
    return response.json_body["error"]["code"]  # type: ignore[no-any-return]


def test_health(world: World) -> None:
    r = world.client.http.get("/api/v1/health")
    assert r.status_code == 200
    expected = {"local": ("sqlite", "local"), "aws": ("dynamodb", "kms")}[world.backend]
    assert (r.json_body["store"], r.json_body["custody"]) == expected


def test_issue_then_verify_round_trip(world: World) -> None:
    doc = issue(world)
    assert doc["qr_text"].startswith("https://docseal.example.vn/v#DS1:")
    r = post(world, "/api/v1/verify", {"qr_text": doc["qr_text"]})
    assert r.status_code == 200
    verdict = r.json_body
    assert verdict["verdict"] == "VALID" and verdict["reasons"] == []
    assert verdict["document"]["id"] == doc["id"]
    assert verdict["document"]["issuer"]["name_vi"] == "Ủy ban nhân dân phường Dịch Vọng Hậu"
    assert verdict["document"]["holder"]["id_masked"] == "********2345"
    assert HOLDER_ID not in r.body.decode()
    bare = doc["qr_text"].split("#", 1)[1]
    assert post(world, "/api/v1/verify", {"qr_text": bare}).json_body["verdict"] == "VALID"


def test_verify_holder_match_and_mismatch(world: World) -> None:
    doc = issue(world)
    match = post(world, "/api/v1/verify", {"qr_text": doc["qr_text"], "holder_id": HOLDER_ID})
    assert match.json_body["holder_match"] == "MATCH"
    other = post(world, "/api/v1/verify", {"qr_text": doc["qr_text"], "holder_id": "001090004567"})
    assert other.json_body["reasons"] == ["HOLDER_MISMATCH"]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{not json", 400, "BAD_JSON"),
        (b"[1, 2]", 400, "BAD_JSON"),
        ({"qr_text": 12}, 400, "BAD_REQUEST"),
        ({}, 400, "BAD_REQUEST"),
        ({"qr_text": "DS1:AAAA", "holder_id": "12345"}, 422, "INVALID_ID_NUMBER"),
        ({"qr_text": "DS1:AAAA", "holder_id": "٠٠١٣٢٥٠١٢٣٤٥"}, 422, "INVALID_ID_NUMBER"),
        (b"{" + b" " * 70_000 + b"}", 413, "PAYLOAD_TOO_LARGE"),
    ],
)
def test_verify_bad_requests(world: World, body: Any, status: int, code: str) -> None:
    r = post(world, "/api/v1/verify", body)
    assert r.status_code == status and error_code(r) == code


def test_verify_garbage_is_a_verdict_not_an_error(world: World) -> None:
    for text in ["", "hello", "DS2:AAAA", "DS1:" + "A" * 4000]:
        r = post(world, "/api/v1/verify", {"qr_text": text})
        assert r.status_code == 200 and r.json_body["verdict"] == "INVALID"


def test_issuance_needs_an_issuer_token(world: World) -> None:
    r = post(world, "/api/v1/documents", birth_request())
    assert r.status_code == 401 and error_code(r) == "TOKEN_MISSING"
    r = post(world, "/api/v1/documents", birth_request(), {"Authorization": "Bearer x.y.z"})
    assert r.status_code == 401 and error_code(r) == "TOKEN_INVALID"
    r = post(world, "/api/v1/documents", birth_request(), world.auth("admin"))
    assert r.status_code == 403 and error_code(r) == "WRONG_ROLE"
    expired = world.token()
    world.clock.advance(hours=9)
    r = post(world, "/api/v1/documents", birth_request(), {"Authorization": f"Bearer {expired}"})
    assert r.status_code == 401 and error_code(r) == "TOKEN_EXPIRED"
    assert expired not in r.body.decode()


def test_a_token_from_another_identity_provider_is_refused(world: World) -> None:
    from chalicelib.adapters.tokens import DevIdentityProvider

    other = DevIdentityProvider(world.home / "other", "docseal-dev", "docseal")
    forged = other.mint("issuer", world.clock.now(), issuer_code=ISSUER)
    r = post(world, "/api/v1/documents", birth_request(), {"Authorization": f"Bearer {forged}"})
    assert r.status_code == 401


def test_issuance_errors_have_their_codes(world: World) -> None:
    cases = [
        (birth_request(type="criminal-record"), 403, "TYPE_OUT_OF_SCOPE"),
        (birth_request(type="land-title"), 422, "UNKNOWN_TYPE"),
        (birth_request(fields={"birth_place": "x"}), 422, "MISSING_FIELD"),
        (
            birth_request(fields={**birth_request()["fields"], "eye_colour": "x"}),  # type: ignore[dict-item]
            422,
            "UNKNOWN_FIELD",
        ),
        (
            birth_request(
                holder={
                    "id_number": HOLDER_ID,
                    "full_name": "Nguyễn Thị Hồng Nhung",
                    "dob": "14/03/2025",
                }
            ),
            400,
            "INVALID_DATE",
        ),
        (birth_request(holder=None), 400, "MISSING_FIELD"),
        (birth_request(expires="2020-01-01"), 422, "EXPIRY_IN_PAST"),
        (birth_request(fields="birth_place"), 400, "BAD_REQUEST"),
    ]
    for body, status, code in cases:
        r = post(world, "/api/v1/documents", body, world.auth())
        assert (r.status_code, error_code(r)) == (status, code), body


def test_idempotency_key(world: World) -> None:
    headers = {**world.auth(), "Idempotency-Key": "req-1"}
    first = post(world, "/api/v1/documents", birth_request(), headers)
    again = post(world, "/api/v1/documents", birth_request(), headers)
    assert first.status_code == 201 and again.status_code == 200
    assert first.json_body == again.json_body
    changed = post(world, "/api/v1/documents", birth_request(expires="2030-01-01"), headers)
    assert changed.status_code == 409 and error_code(changed) == "IDEMPOTENCY_KEY_REUSED"
    other = post(
        world, "/api/v1/documents", birth_request(), {**world.auth(), "Idempotency-Key": "req-2"}
    )
    assert other.json_body["id"] != first.json_body["id"]


def test_qr_png_decodes_to_the_qr_text(world: World) -> None:
    doc = issue(world)
    r = world.client.http.get(doc["qr_png_url"], headers={**world.auth(), "Accept": "image/png"})
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/png"
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(r.body)))
    assert [b.text for b in found] == [doc["qr_text"]]


def test_result_pdf(world: World) -> None:
    doc = issue(world)
    r = world.client.http.get(doc["pdf_url"], headers={**world.auth(), "Accept": "application/pdf"})
    assert r.status_code == 200 and r.body.startswith(b"%PDF")
    assert HOLDER_ID.encode() not in r.body


def test_documents_of_another_issuer_are_not_found(world: World) -> None:
    doc = issue(world)
    police = world.auth("issuer", "CA-DICHVONGHAU")
    r = world.client.http.get(doc["qr_png_url"], headers={**police, "Accept": "image/png"})
    assert r.status_code == 404 and error_code(r) == "DOCUMENT_NOT_FOUND"
    missing = world.client.http.get(
        "/api/v1/documents/" + "a" * 26 + "/qr.png", headers={**world.auth(), "Accept": "image/png"}
    )
    assert missing.status_code == 404
    weird = world.client.http.get(
        "/api/v1/documents/..%2F..%2Fetc/qr.png", headers={**world.auth(), "Accept": "image/png"}
    )
    assert weird.status_code == 404


def test_trust_lists_issuers_keys_and_types(world: World) -> None:
    r = world.client.http.get("/api/v1/trust")
    body = r.json_body
    assert {i["code"] for i in body["issuers"]} == {ISSUER, "CA-DICHVONGHAU"}
    assert all(k["status"] == "active" and k["alg"] == "ES256" for k in body["keys"])
    assert len(body["keys"]) == 2
    assert "birth-registration" in {t["code"] for t in body["doc_types"]}


def test_unexpected_failure_is_a_bare_500(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*a: object, **k: object) -> None:
        raise RuntimeError("secret detail 001325012345")

    monkeypatch.setattr(world.container.verifier, "verify", explode)
    r = post(world, "/api/v1/verify", {"qr_text": "DS1:AAAA"})
    assert r.status_code == 500 and error_code(r) == "INTERNAL"
    assert "secret" not in r.body.decode() and "Traceback" not in r.body.decode()
