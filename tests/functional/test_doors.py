"""Every door to a use meets the same rule, because the service decides it
(issue 12, part 5): the desk form, a camera URL, a receipt and the API's text
and file checks spend one ``verify`` budget per client; share-link pages spend
the ``links`` budget; the operator's CLI spends none; and a request is refused
in the same words through the API as through the service itself."""

from __future__ import annotations

import dataclasses
from typing import Any
from urllib.parse import quote

import pytest

from chalicelib import bootstrap
from chalicelib.domain.caller import OPERATOR, Caller
from chalicelib.errors import DocsealError, TooManyRequests
from tests.functional.conftest import World, birth_request
from tests.functional.pages import desk_check, form_ticket, post_form
from tests.support import HOLDER_ID

from .test_api import error_code, issue, post
from .test_links import create, path_of

LIMIT = 3
GARBAGE = {"qr_text": "DS1:AAAA"}


@pytest.fixture
def tight(world: World) -> World:
    """The same docseal, store and clock, with budgets of ``LIMIT`` a minute."""
    settings = dataclasses.replace(world.container.settings, rate_verify=LIMIT, rate_links=LIMIT)
    return dataclasses.replace(world, container=bootstrap.reset(settings, world.clock))


def refused_page(response: Any) -> bool:
    return (
        response.status_code == 429
        and response.headers["Content-Type"].startswith("text/html")
        and int(response.headers["Retry-After"]) >= 1
    )


def test_the_desk_form_and_the_api_spend_one_verify_budget(tight: World) -> None:
    for _ in range(LIMIT):
        assert post_form(tight, "/", GARBAGE).status_code == 200
    refused = post(tight, "/api/v1/verify", GARBAGE)
    assert refused.status_code == 429 and error_code(refused) == "RATE_LIMITED"
    assert int(refused.headers["Retry-After"]) >= 1


def test_the_api_text_and_file_checks_and_the_desk_spend_it_the_other_way(tight: World) -> None:
    for _ in range(LIMIT):
        assert post(tight, "/api/v1/verify", GARBAGE).status_code == 200
    upload = tight.client.http.post(
        "/api/v1/verify", body=b"not an image", headers={"Content-Type": "image/png"}
    )
    assert upload.status_code == 429 and error_code(upload) == "RATE_LIMITED"
    assert refused_page(post_form(tight, "/", GARBAGE))


def test_a_camera_url_and_a_receipt_spend_the_verify_budget_too(tight: World) -> None:
    doc = issue(tight)  # issuing is not metered
    ticket = form_ticket(desk_check(tight, doc["qr_text"]), "/receipt")
    camera = "/v%23" + quote(doc["qr_text"].split("#", 1)[1], safe="")
    assert tight.client.http.get(camera).status_code == 200
    assert post_form(tight, "/receipt", {"ticket": ticket, "format": "pdf"}).status_code == 200
    assert refused_page(post_form(tight, "/receipt", {"ticket": ticket, "format": "pdf"}))
    assert refused_page(tight.client.http.get(camera))


def test_share_link_pages_spend_their_own_budget(tight: World) -> None:
    doc = issue(tight)
    path = path_of(create(tight, doc["id"]).json_body["url"])
    for _ in range(LIMIT):
        assert tight.client.http.get(path).status_code == 200
    assert refused_page(tight.client.http.get(path))
    assert refused_page(post_form(tight, path, {"holder_id": HOLDER_ID}))  # a holder check too
    assert post(tight, "/api/v1/verify", GARBAGE).status_code == 200  # verifying is another


def test_the_service_meters_a_client_and_not_the_operator(tight: World) -> None:
    c = tight.container
    for _ in range(LIMIT + 2):  # the CLI, on the operator's own machine
        c.verifier.verify_request(GARBAGE, OPERATOR)
        c.desk.check(OPERATOR, qr_text="DS1:AAAA")
    someone = Caller(client="203.0.113.9")
    for _ in range(LIMIT):
        c.verifier.verify_request(GARBAGE, someone)
    with pytest.raises(TooManyRequests):
        c.desk.check(someone, qr_text="DS1:AAAA")
    with pytest.raises(TooManyRequests):
        c.files.verify_upload(b"not an image", None, someone)


def _holder(**changes: str) -> dict[str, str]:
    return {"id_number": HOLDER_ID, "full_name": "Nguyễn Thị Hồng Nhung", "dob": "2025-03-14"} | (
        changes
    )


@pytest.mark.parametrize(
    ("role", "body", "code"),
    [
        ("issuer", birth_request(holder=None), "MISSING_FIELD"),
        ("issuer", birth_request(type=""), "MISSING_FIELD"),
        ("issuer", birth_request(holder=_holder(dob="14/03/2025")), "INVALID_DATE"),
        ("issuer", birth_request(holder=_holder(full_name="")), "MISSING_FIELD"),
        ("issuer", birth_request(expires="2030-02-30"), "INVALID_DATE"),
        ("issuer", birth_request(kid=""), "MISSING_FIELD"),
        ("issuer", birth_request(fields=["birth_place"]), "BAD_REQUEST"),
        ("issuer", birth_request(type="land-title"), "UNKNOWN_TYPE"),
        ("issuer", birth_request(holder=_holder(id_number="12345")), "INVALID_ID_NUMBER"),
        ("admin", birth_request(), "WRONG_ROLE"),
    ],
)
@pytest.mark.parametrize("world", ["local"], indirect=True)  # refused before any storage
def test_an_issuance_is_refused_alike_through_the_api_and_the_service(
    world: World, role: str, body: dict[str, Any], code: str
) -> None:
    token = world.token(role)
    r = post(world, "/api/v1/documents", body, {"Authorization": f"Bearer {token}"})
    principal = world.container.tokens.principal(f"Bearer {token}", world.clock.now())
    with pytest.raises(DocsealError) as refused:
        world.container.issuing.issue_from(body, principal)
    assert refused.value.code == code
    assert (refused.value.http_status, refused.value.to_dict()) == (r.status_code, r.json_body)


@pytest.mark.parametrize(
    "body", [{}, {"qr_text": 12}, {"qr_text": "DS1:AAAA", "holder_id": "12345"}]
)
@pytest.mark.parametrize("world", ["local"], indirect=True)  # refused before any storage
def test_a_check_is_refused_alike_through_the_api_and_the_service(
    world: World, body: dict[str, Any]
) -> None:
    r = post(world, "/api/v1/verify", body)
    with pytest.raises(DocsealError) as refused:
        world.container.verifier.verify_request(body, Caller(client="203.0.113.9"))
    assert (refused.value.http_status, refused.value.to_dict()) == (r.status_code, r.json_body)
