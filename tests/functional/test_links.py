"""Citizens' documents and share links through the API and /s/<token>, on
real SQLite with a fixed clock; access control and every listed bad input."""

from __future__ import annotations

import datetime as dt
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import jwt
import pytest

from chalicelib.services.links import token_hash
from tests.functional.conftest import OPERATOR, World
from tests.support import HOLDER_ID

from .test_api import issue

OTHER_ID = "001090004567"


def call(world: World, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    raw = None if body is None else json.dumps(body)
    return getattr(world.client.http, method)(path, headers=headers, body=raw)


def citizen(world: World, holder: str = HOLDER_ID) -> str:
    return world.token("citizen", None, holder_id=holder)


def create(world: World, doc_id: str, **body: Any) -> Any:
    return call(world, "post", f"/api/v1/me/documents/{doc_id}/links", body, citizen(world))


def path_of(url: str) -> str:
    return url.split("docseal.example.vn", 1)[1]


def test_my_documents_and_downloads(world: World) -> None:
    doc = issue(world)
    r = call(world, "get", "/api/v1/me/documents", token=citizen(world))
    assert r.status_code == 200
    [mine] = r.json_body["documents"]
    assert mine["id"] == doc["id"] and mine["status"] == "valid"
    assert "birth_place" in mine["fields"]
    png = world.client.http.get(
        mine["qr_png_url"],
        headers={"Authorization": f"Bearer {citizen(world)}", "Accept": "image/png"},
    )
    assert png.status_code == 200 and png.body.startswith(b"\x89PNG")
    pdf = world.client.http.get(
        mine["pdf_url"],
        headers={"Authorization": f"Bearer {citizen(world)}", "Accept": "application/pdf"},
    )
    assert pdf.status_code == 200 and pdf.body.startswith(b"%PDF")
    other = call(world, "get", "/api/v1/me/documents", token=citizen(world, OTHER_ID))
    assert other.json_body["documents"] == []


def test_create_open_log_and_revoke(world: World) -> None:
    doc = issue(world)
    r = create(world, doc["id"], recipient="Trường Tiểu học", disclose=["birth_place"])
    assert r.status_code == 201
    link = r.json_body
    assert link["url"].startswith("https://docseal.example.vn/s/")
    token = link["url"].rsplit("/", 1)[1]
    assert len(token) == 32 and link["state"] == "active" and link["disclose"] == ["birth_place"]
    links = world.container.storage.links
    assert links.find_link(token_hash(token)) is not None  # only the hash kept
    page = world.client.http.get(
        f"/s/{token}", headers={"User-Agent": "Mozilla/5.0 (Linux; Android 14) Chrome/130.0"}
    )
    assert page.status_code == 200
    html = page.body.decode()
    assert "Bệnh viện Phụ sản Hà Nội" in html  # birth_place: disclosed
    assert "125/2025" not in html  # registration_no: not disclosed
    assert "Trường Tiểu học" in html and HOLDER_ID not in html
    listed = call(world, "get", "/api/v1/me/links", token=citizen(world)).json_body["links"]
    assert listed[0]["views"] == 1
    assert listed[0]["log"][0]["device"] == "Điện thoại / Phone · Chrome"
    revoked = call(world, "delete", f"/api/v1/me/links/{link['id']}", token=citizen(world))
    assert revoked.status_code == 200 and revoked.json_body["state"] == "revoked"
    assert world.client.http.get(f"/s/{token}").status_code == 404


def test_unavailable_links_are_indistinguishable(world: World) -> None:
    doc = issue(world)
    expired = create(world, doc["id"], expires_in=60).json_body["url"]
    used = create(world, doc["id"], max_views=1).json_body["url"]
    revoked = create(world, doc["id"]).json_body
    call(world, "delete", f"/api/v1/me/links/{revoked['id']}", token=citizen(world))
    assert world.client.http.get(path_of(used)).status_code == 200
    world.clock.advance(minutes=2)
    token = path_of(used).rsplit("/", 1)[1]
    one_off = token[:-1] + ("A" if token[-1] != "A" else "B")
    answers = [
        world.client.http.get(path)
        for path in (
            path_of(expired),
            path_of(used),
            path_of(revoked["url"]),
            f"/s/{one_off}",  # one character off
            "/s/short",  # wrong length
            "/s/" + "x" * 300,
        )
    ]
    assert {a.status_code for a in answers} == {404}
    bodies = {a.body.replace(b"vi", b"") for a in answers}
    assert len(bodies) == 1  # the same page for every reason


def test_a_link_to_a_revoked_document_opens_and_says_invalid(world: World) -> None:
    doc = issue(world)
    url = create(world, doc["id"]).json_body["url"]
    world.container.revocation.revoke_document(doc["id"], "cấp nhầm", actor=OPERATOR)
    page = world.client.http.get(path_of(url))
    assert page.status_code == 200 and "DOCUMENT_REVOKED" in page.body.decode()


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"expires_in": 0}, "INVALID_EXPIRY"),
        ({"expires_in": -5}, "INVALID_EXPIRY"),
        ({"expires_in": 31 * 86400}, "INVALID_EXPIRY"),
        ({"expires_in": "31d"}, "INVALID_EXPIRY"),
        ({"expires_in": "soon"}, "INVALID_EXPIRY"),
        ({"expires_in": True}, "INVALID_EXPIRY"),
        ({"max_views": 0}, "INVALID_MAX_VIEWS"),
        ({"max_views": 10**12}, "INVALID_MAX_VIEWS"),
        ({"max_views": "3"}, "INVALID_MAX_VIEWS"),
        ({"disclose": ["no_such_field"]}, "UNKNOWN_FIELD"),
        ({"disclose": "birth_place,spouse_name"}, "UNKNOWN_FIELD"),
        ({"recipient": "x" * 500}, "INVALID_FIELD_VALUE"),
    ],
)
def test_bad_link_requests(world: World, body: dict[str, Any], code: str) -> None:
    doc = issue(world)
    r = create(world, doc["id"], **body)
    assert r.status_code == 422 and r.json_body["error"]["code"] == code
    assert (
        world.container.storage.links.list_links(
            world.container.links.owner(
                world.container.tokens.principal(f"Bearer {citizen(world)}", world.clock.now())
            )
        )
        == []
    )


def test_citizen_b_cannot_touch_citizen_a(world: World) -> None:
    doc = issue(world)
    link = create(world, doc["id"]).json_body
    b = citizen(world, OTHER_ID)
    for method, path in [
        ("get", f"/api/v1/me/documents/{doc['id']}/qr.png"),
        ("post", f"/api/v1/me/documents/{doc['id']}/links"),
        ("get", f"/api/v1/me/links/{link['id']}"),
        ("delete", f"/api/v1/me/links/{link['id']}"),
    ]:
        r = call(world, method, path, {} if method == "post" else None, b)
        assert r.status_code == 404, (method, path)
        assert doc["id"] not in r.body.decode() or method == "get"
    assert call(world, "get", "/api/v1/me/links", token=b).json_body["links"] == []
    mine = call(world, "get", "/api/v1/me/links", token=citizen(world)).json_body["links"]
    assert mine[0]["state"] == "active"  # B's revoke did nothing


def test_tokens_on_citizen_routes(world: World) -> None:
    now = world.clock.now()
    claims = {
        "iss": "docseal-dev",
        "aud": "docseal",
        "sub": "x",
        "role": "citizen",
        "holder_id": HOLDER_ID,
        "iat": int(now.timestamp()),
        "exp": int(now.timestamp()) + 600,
    }
    none_alg = jwt.encode(claims, key="", algorithm="none")
    from cryptography.hazmat.primitives.asymmetric import ec

    stranger = jwt.encode(
        claims, ec.generate_private_key(ec.SECP256R1()), algorithm="ES256", headers={"kid": "k1"}
    )
    expired = world.container.dev_idp.mint(
        "citizen", now - dt.timedelta(days=1), ttl=dt.timedelta(hours=1), holder_id=HOLDER_ID
    )
    cases = [
        (None, 401),
        (none_alg, 401),
        (stranger, 401),
        (expired, 401),
        (world.token("issuer"), 403),
        (world.token("verifier", None), 403),
    ]
    for token, status in cases:
        r = call(world, "get", "/api/v1/me/documents", token=token)
        assert r.status_code == status, (token, r.body)


def test_parallel_openings_stop_at_max_views(world: World) -> None:
    doc = issue(world)
    path = path_of(create(world, doc["id"], max_views=2).json_body["url"])
    with ThreadPoolExecutor(max_workers=6) as pool:
        codes = list(pool.map(lambda _: world.client.http.get(path).status_code, range(8)))
    assert sorted(codes) == [200, 200] + [404] * 6


def test_a_thousand_guesses_are_cut_off(world: World) -> None:
    statuses = []
    for n in range(1000):
        r = world.client.http.get(f"/s/{n:032d}")
        statuses.append(r.status_code)
        if r.status_code == 429:
            assert int(r.headers["Retry-After"]) >= 1
            break
    assert statuses[-1] == 429 and len(statuses) <= 61
