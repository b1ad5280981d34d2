"""What the pages promise an officer and a citizen (issue 11): errors are
pages, the verdict says what is true, state survives the language switch, a
reload costs no share-link view, the desk form is rate-limited and receipts
are signed only when asked for."""

from __future__ import annotations

import contextlib
import functools
import json
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from chalicelib.domain.principal import Principal
from chalicelib.ports import KeyCustody
from tests.functional.conftest import OPERATOR, World
from tests.functional.pages import FORM, desk_check, form_ticket, post_form, signed_in
from tests.support import HOLDER_ID

from .test_api import issue
from .test_links import citizen, create, path_of

OTHER = "079203001234"


class Exploding:
    """A desk that fails as a bug would: a fake, standing for any defect."""

    def check(self, **_: Any) -> Any:
        raise RuntimeError("secret detail 001325012345 that must not reach the page")

    presented = check


def explode(world: World) -> None:
    world.container.__dict__["desk"] = Exploding()


def assert_error_page(status: int, headers: dict[str, str], body: str, request_id: str) -> None:
    assert status == 500
    assert headers["Content-Type"].startswith("text/html")
    assert "Đã có lỗi" in body and request_id in body
    for leak in ("Traceback", "RuntimeError", "secret detail", HOLDER_ID):
        assert leak not in body


# 3. Errors are pages ----------------------------------------------------------


def test_an_unexpected_page_error_is_a_page_with_the_request_id(world: World) -> None:
    explode(world)
    r = post_form(world, "/", {"qr_text": "DS1:AAAA"})
    assert_error_page(r.status_code, r.headers, r.body.decode(), r.headers["X-Request-Id"])
    english = post_form(world, "/", {"qr_text": "DS1:AAAA"}, Cookie="docseal_lang=en")
    assert english.status_code == 500 and "Something went wrong" in english.body.decode()


def test_an_unexpected_page_error_through_the_lambda_handler(world: World) -> None:
    from app import app

    explode(world)
    event = {
        "resource": "/",
        "path": "/",
        "httpMethod": "POST",
        "headers": {"content-type": "application/x-www-form-urlencoded"},
        "multiValueHeaders": {"content-type": ["application/x-www-form-urlencoded"]},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": "/",
            "httpMethod": "POST",
            "requestId": "apigw-request-7",
            "path": "/prod/",
            "identity": {"sourceIp": "203.0.113.9"},
        },
        "body": "qr_text=DS1%3AAAAA",
        "isBase64Encoded": False,
    }
    answer = app(event, None)
    assert answer["headers"]["X-Request-Id"] == "apigw-request-7"
    assert_error_page(answer["statusCode"], answer["headers"], answer["body"], "apigw-request-7")


def test_unknown_paths_through_the_lambda_handler(world: World) -> None:
    from app import app

    def call(path: str) -> dict[str, Any]:
        event = {
            "resource": "/{proxy+}",
            "path": path,
            "httpMethod": "GET",
            "headers": {},
            "multiValueHeaders": {},
            "queryStringParameters": None,
            "multiValueQueryStringParameters": None,
            "pathParameters": {"proxy": path.lstrip("/")},
            "stageVariables": None,
            "requestContext": {
                "resourcePath": "/{proxy+}",
                "httpMethod": "GET",
                "requestId": "r-1",
                "identity": {"sourceIp": "203.0.113.9"},
            },
            "body": None,
            "isBase64Encoded": False,
        }
        return app(event, None)  # type: ignore[no-any-return]

    page = call("/no/such/page")
    assert page["statusCode"] == 404 and page["headers"]["Content-Type"].startswith("text/html")
    assert "Không tìm thấy trang" in page["body"]
    api = call("/api/v1/no-such-route")
    assert api["statusCode"] == 404 and json.loads(api["body"])["error"]["code"] == "NOT_FOUND"
    qr_text = issue(world)["qr_text"]
    camera = call("/v#" + qr_text.split("#", 1)[1])  # API Gateway hands the path decoded
    assert camera["statusCode"] == 200 and 'data-state="valid"' in camera["body"]


@contextlib.contextmanager
def local_server() -> Iterator[str]:
    """`docseal serve`'s server, in this process (so a fault can be planted),
    on 127.0.0.1, stopped when done."""
    from chalice.config import Config
    from chalice.local import create_local_server

    from app import app
    from chalicelib.cli import _quiet_request_handler

    config = Config.create(chalice_stage="local")
    server = create_local_server(app, config, "127.0.0.1", 0)
    server.server.RequestHandlerClass = functools.partial(
        _quiet_request_handler(), app_object=app, config=config
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server.server_address[1]}"
    finally:
        server.server.shutdown()
        server.server.server_close()
        thread.join(timeout=10)


def fetch(
    url: str, method: str = "GET", body: bytes | None = None
) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, data=body, method=method, headers=FORM if body else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


@pytest.mark.parametrize("world", ["local"], indirect=True)
def test_errors_are_pages_on_the_local_server(world: World) -> None:
    qr_text = issue(world)["qr_text"]
    with local_server() as base:
        status, headers, body = fetch(base + "/no/such/page")
        assert status == 404 and "Không tìm thấy trang" in body
        assert headers["Content-Type"].startswith("text/html")
        status, _, body = fetch(base + "/favicon.ico")
        assert status == 404 and "docseal" in body
        status, _, body = fetch(base + "/api/v1/no/such")
        assert status == 404 and json.loads(body)["error"]["code"] == "NOT_FOUND"
        status, headers, body = fetch(base + "/", "PUT", b"x=1")
        assert status == 405 and "GET" in headers["Allow"] and "<html" in body
        status, headers, body = fetch(base + "/api/v1/verify", "DELETE", b"x=1")
        assert status == 405 and json.loads(body)["error"]["code"] == "METHOD_NOT_ALLOWED"
        payload = qr_text.split("#", 1)[1]
        for spelling in (
            "/v%23" + quote(payload, safe=""),  # a reader app encoded '#' and ':'
            "/v%2523" + quote(quote(payload, safe=""), safe=""),  # and encoded it twice
        ):
            status, _, body = fetch(base + spelling)
            assert status == 200 and 'data-state="valid"' in body, spelling
        explode(world)
        status, headers, body = fetch(base + "/", "POST", b"qr_text=DS1%3AAAAA")
        assert_error_page(status, headers, body, headers["X-Request-Id"])


def test_post_only_pages_answer_a_get_with_a_page(world: World) -> None:
    for path, home in (("/receipt", "/"), ("/signout", "/"), ("/me/links", "/me")):
        r = world.client.http.get(path + "?lang=en")
        assert r.status_code == 303 and r.headers["Location"] == home + "?lang=en", path
    r = world.client.http.get("/receipt?lang=<script>")
    assert r.status_code == 303 and r.headers["Location"] == "/"
    r = world.client.http.put("/signin", body="a=1", headers=FORM)
    assert r.status_code == 405 and r.headers["Content-Type"].startswith("text/html")
    assert "Allow" in r.headers and b"MethodNotAllowed" not in r.body


def test_a_language_cookie_with_markup_is_ignored(world: World) -> None:
    r = world.client.http.get("/", headers={"Cookie": 'docseal_lang="<script>alert(1)</script>"'})
    assert r.status_code == 200 and b"<script>alert" not in r.body and b'lang="vi"' in r.body
    r = world.client.http.get("/", headers={"Cookie": "docseal_lang=en; docseal_lang=<b>"})
    assert r.status_code == 200 and b"<b>" not in r.body


# 4. The verdict says what is true ---------------------------------------------


def test_a_genuine_document_shown_by_someone_else(world: World) -> None:
    qr_text = issue(world)["qr_text"]
    api = world.client.http.post(
        "/api/v1/verify",
        body=json.dumps({"qr_text": qr_text, "holder_id": OTHER}),
        headers={"Content-Type": "application/json"},
    ).json_body
    assert api["verdict"] == "INVALID" and api["reasons"] == ["HOLDER_MISMATCH"]
    assert api["document_valid"] is True and api["holder_match"] == "MISMATCH"
    matched = world.client.http.post(
        "/api/v1/verify",
        body=json.dumps({"qr_text": qr_text, "holder_id": HOLDER_ID}),
        headers={"Content-Type": "application/json"},
    ).json_body
    assert matched["document_valid"] is True and matched["holder_match"] == "MATCH"
    page = desk_check(world, qr_text, OTHER)
    assert 'data-state="not_holder"' in page
    assert "GIẤY TỜ THẬT — NGƯỜI XUẤT TRÌNH KHÔNG PHẢI CHỦ SỞ HỮU" in page
    assert "KHÔNG HỢP LỆ" not in page
    english = desk_check(world, qr_text, OTHER, lang="en")
    assert "GENUINE DOCUMENT — THIS PERSON IS NOT ITS HOLDER" in english


def test_a_revoked_document_shown_by_someone_else_is_invalid(world: World) -> None:
    doc = issue(world)
    world.container.revocation.revoke_document(doc["id"], "cấp nhầm", actor=OPERATOR)
    api = world.client.http.post(
        "/api/v1/verify",
        body=json.dumps({"qr_text": doc["qr_text"], "holder_id": OTHER}),
        headers={"Content-Type": "application/json"},
    ).json_body
    assert api["document_valid"] is False and api["holder_match"] == "MISMATCH"
    page = desk_check(world, doc["qr_text"], OTHER)
    assert 'data-state="invalid"' in page and "KHÔNG HỢP LỆ" in page
    unread = world.client.http.post(
        "/api/v1/verify",
        body=json.dumps({"qr_text": "DS1:AAAA"}),
        headers={"Content-Type": "application/json"},
    ).json_body
    assert unread["document_valid"] is False and unread["holder_match"] == "NOT_CHECKED"


@pytest.mark.parametrize(
    ("holder", "revoke", "state"),
    [(OTHER, False, "not_holder"), ("", True, "invalid"), (HOLDER_ID, False, "valid")],
)
def test_a_receipt_shows_it_is_authentic_and_what_it_concluded(
    world: World, holder: str, revoke: bool, state: str
) -> None:
    doc = issue(world)
    if revoke:
        world.container.revocation.revoke_document(doc["id"], "cấp nhầm", actor=OPERATOR)
    ticket = form_ticket(desk_check(world, doc["qr_text"], holder), "/receipt")
    receipt = post_form(world, "/receipt", {"ticket": ticket, "format": "json"}).json_body
    page = desk_check(world, receipt["qr_text"])
    assert 'data-state="receipt"' in page and "BIÊN NHẬN HỢP LỆ" in page
    assert re.search(rf'id="conclusion" data-state="{state}"', page)
    words = {"valid": "HỢP LỆ", "not_holder": "KHÔNG PHẢI CHỦ SỞ HỮU", "invalid": "KHÔNG HỢP LỆ"}
    conclusion = page[page.index('id="conclusion"') :].split("</section>", 1)[0]
    assert words[state] in conclusion


# 6. State survives the language switch; a reload costs no view ------------------


def test_the_language_switch_keeps_the_verdict(world: World) -> None:
    doc = issue(world)
    page = desk_check(world, doc["qr_text"], OTHER)
    switch = re.search(
        r'<form method="post" action="/"[^>]*class="inline"[^>]*>.*?</form>', page, re.DOTALL
    )
    assert switch is not None and 'id="lang-switch"' in switch.group(0)
    ticket = re.search(r'name="ticket" value="([^"]+)"', switch.group(0))
    assert ticket is not None
    english = post_form(world, "/", {"ticket": ticket.group(1), "lang": "en"})
    assert english.status_code == 200
    body = english.body.decode()
    assert "GENUINE DOCUMENT — THIS PERSON IS NOT ITS HOLDER" in body and doc["id"] in body


def views(world: World, link_id: str) -> int:
    links = world.client.http.get(
        "/api/v1/me/links", headers={"Authorization": f"Bearer {citizen(world)}"}
    ).json_body["links"]
    return int(next(x["views"] for x in links if x["id"] == link_id))


def seen_cookie(response: Any) -> str:
    cookie = response.headers.get("Set-Cookie", "")
    assert cookie.startswith("docseal_seen=") and "HttpOnly" in cookie
    return cookie.split(";", 1)[0]


def test_a_view_counts_once_per_browser_and_hour(world: World) -> None:
    doc = issue(world)
    link = create(world, doc["id"], max_views=2).json_body
    path = path_of(link["url"])
    first = world.client.http.get(path)
    assert first.status_code == 200 and views(world, link["id"]) == 1
    mine = {"Cookie": seen_cookie(first)}
    for attempt in (path, path + "?lang=en", path + "?lang=vi"):
        assert world.client.http.get(attempt, headers=mine).status_code == 200
    checked = world.client.http.post(
        path, body=f"holder_id={HOLDER_ID}&lang=en", headers={**FORM, **mine}
    )
    assert checked.status_code == 200 and "MATCHES the holder" in checked.body.decode()
    assert views(world, link["id"]) == 1  # reloads, switches and a holder check are free
    mark = seen_cookie(first).split("=", 1)[1]
    forged = {"Cookie": "docseal_seen=" + mark[:-1] + ("1" if mark[-1] == "0" else "0")}
    assert world.client.http.get(path, headers=forged).status_code == 200
    assert views(world, link["id"]) == 2  # a forged mark is a new viewer
    assert world.client.http.get(path).status_code == 404  # used up for anyone new
    assert world.client.http.get(path, headers=mine).status_code == 200  # not for the first
    other = create(world, doc["id"]).json_body
    world.client.http.get(path_of(other["url"]), headers=mine)
    assert views(world, other["id"]) == 1  # one link's mark opens no other link free
    world.clock.advance(minutes=61)
    assert world.client.http.get(path, headers=mine).status_code == 404  # an hour later
    world.client.http.delete(
        f"/api/v1/me/links/{other['id']}", headers={"Authorization": f"Bearer {citizen(world)}"}
    )
    assert world.client.http.get(path_of(other["url"]), headers=mine).status_code == 404


def test_a_just_created_link_stays_on_screen_across_the_switch(world: World) -> None:
    doc = issue(world)
    session, csrf = signed_in(world, Principal("c", "citizen", holder_id=HOLDER_ID))
    created = post_form(
        world, "/me/links",
        {"doc_id": doc["id"], "expires_in": "7d", "field:birth_place": "1", "csrf": csrf},
        **session,
    )  # fmt: skip
    assert created.status_code == 201
    url = re.search(r'id="link-url">([^<]+)<', created.body.decode())
    assert url is not None
    ticket = form_ticket(created.body.decode(), "/me")
    english = post_form(world, "/me", {"ticket": ticket, "lang": "en", "csrf": csrf}, **session)
    assert english.status_code == 200 and url.group(1) in english.body.decode()
    assert "Link created" in english.body.decode()
    stranger, theirs_csrf = signed_in(world, Principal("o", "citizen", holder_id=OTHER))
    theirs = post_form(
        world, "/me", {"ticket": ticket, "lang": "en", "csrf": theirs_csrf}, **stranger
    )
    assert url.group(1) not in theirs.body.decode()  # a ticket shows its link to its owner only


# 8. Cost and abuse --------------------------------------------------------------


def test_the_desk_form_is_rate_limited_like_the_api(world: World) -> None:
    statuses = []
    limit = world.container.settings.rate_verify
    for _ in range(limit + 5):
        r = post_form(world, "/", {"qr_text": "DS1:AAAA"})
        statuses.append(r.status_code)
        if r.status_code == 429:
            assert int(r.headers["Retry-After"]) >= 1
            assert r.headers["Content-Type"].startswith("text/html")
            break
    assert statuses[-1] == 429 and len(statuses) == limit + 1


class CountingCustody:
    """The real key custody, counting signatures: a fake around the real thing."""

    def __init__(self, inner: KeyCustody) -> None:
        self.inner = inner
        self.signatures = 0

    def sign(self, ref: str, message: bytes) -> bytes:
        self.signatures += 1
        return self.inner.sign(ref, message)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_a_receipt_is_signed_only_when_downloaded(world: World) -> None:
    doc = issue(world)
    c = world.container
    counting = CountingCustody(c.custody)
    for built in ("custody", "receipts", "desk"):
        c.__dict__.pop(built, None)
    c.__dict__["custody"] = counting
    pages = [desk_check(world, doc["qr_text"], holder) for holder in ("", HOLDER_ID, OTHER)]
    link = create(world, doc["id"]).json_body
    shared = world.client.http.get(path_of(link["url"]))
    assert shared.status_code == 200
    assert counting.signatures == 0  # four checks, nothing signed
    r = post_form(world, "/receipt", {"ticket": form_ticket(pages[1], "/receipt")})
    assert r.status_code == 200 and counting.signatures == 1
    r = post_form(world, "/receipt", {"ticket": form_ticket(shared.body.decode(), "/receipt")})
    assert r.status_code == 200 and counting.signatures == 2


def test_a_disclosed_field_the_type_does_not_have_is_refused_on_the_page(world: World) -> None:
    doc = issue(world)
    session, csrf = signed_in(world, Principal("c", "citizen", holder_id=HOLDER_ID))
    r = post_form(
        world, "/me/links", {"doc_id": doc["id"], "field:no_such_field": "1", "csrf": csrf},
        **session,
    )  # fmt: skip
    assert r.status_code == 422 and "UNKNOWN_FIELD" in r.body.decode()
    assert r.headers["Content-Type"].startswith("text/html")
    links = world.client.http.get(
        "/api/v1/me/links", headers={"Authorization": f"Bearer {citizen(world)}"}
    ).json_body["links"]
    assert links == []  # nothing was created


def test_a_link_allows_few_holder_checks_and_logs_each(world: World) -> None:
    """Each holder check tells whether a number is the holder's: a link allows
    five in its life, whoever asks, and the citizen sees each in the log. The
    share page and its receipt show two digits of the number, not four."""
    from chalicelib.services.links import MAX_HOLDER_CHECKS

    doc = issue(world)
    link = create(world, doc["id"]).json_body
    path = path_of(link["url"])
    page = world.client.http.get(path).body.decode()
    assert "**********45" in page and "2345" not in page
    guesses = [f"001325{n:02d}2345" for n in range(50, 50 + MAX_HOLDER_CHECKS)]
    for guess in guesses:
        world.clock.advance(seconds=1)
        r = post_form(world, path, {"holder_id": guess})
        assert r.status_code == 200 and "KHÔNG KHỚP" in r.body.decode()
    for guess in (HOLDER_ID, OTHER):  # the right number too: the checks are used up
        r = post_form(world, path, {"holder_id": guess})
        assert r.status_code == 429 and "HOLDER_CHECKS_USED_UP" in r.body.decode()
        assert "KHỚP" not in r.body.decode()
    log = world.client.http.get(
        f"/api/v1/me/links/{link['id']}", headers={"Authorization": f"Bearer {citizen(world)}"}
    ).json_body["log"]
    assert sum("holder check" in entry["device"] for entry in log) == MAX_HOLDER_CHECKS
    assert world.client.http.get(path).status_code == 200  # the link itself still opens


def test_the_api_says_what_a_receipt_concluded(world: World) -> None:
    doc = issue(world)
    ticket = form_ticket(desk_check(world, doc["qr_text"], OTHER), "/receipt")
    receipt = post_form(world, "/receipt", {"ticket": ticket, "format": "json"}).json_body
    assert receipt["verdict"] == "VALID"  # the receipt is authentic
    checked = world.client.http.post(
        "/api/v1/verify",
        body=json.dumps({"qr_text": receipt["qr_text"]}),
        headers={"Content-Type": "application/json"},
    ).json_body
    assert checked["verdict"] == "VALID"
    assert checked["receipt_of"] == {
        "document_id": doc["id"],
        "verdict": "INVALID",
        "reasons": ["HOLDER_MISMATCH"],
        "document_valid": True,
        "holder_match": "MISMATCH",
    }


def test_pages_answer_other_bodies_and_methods_in_their_own_words(world: World) -> None:
    for kind in ("text/plain", "application/json", "application/pdf"):
        r = world.client.http.post("/", body=b"qr_text=x", headers={"Content-Type": kind})
        assert r.status_code == 400 and b"BAD_FORM" in r.body, kind
        assert r.headers["Content-Type"].startswith("text/html")
    for path in ("/api", "/api/", "/api/v2/x", "/api/nope"):
        r = world.client.http.get(path)
        assert r.status_code == 404 and r.json_body["error"]["code"] == "NOT_FOUND", path
    r = world.client.http.request("HEAD", "/receipt")
    assert r.status_code in (303, 405) and b"MethodNotAllowedError" not in r.body


def test_chalices_own_refusals_are_said_in_docseals_words(world: World) -> None:
    doc = issue(world)
    pdf = world.client.http.get(doc["pdf_url"], headers={**world.auth(), "Accept": "text/html"})
    assert pdf.status_code == 406 and pdf.json_body["error"]["code"] == "NOT_ACCEPTABLE"
    xml = world.client.http.post(
        "/api/v1/documents",
        body=b"<x/>",
        headers={**world.auth(), "Content-Type": "application/xml"},
    )
    assert xml.status_code == 415 and xml.json_body["error"]["code"] == "UNSUPPORTED_MEDIA_TYPE"
    # /api/v1/verify takes any declared type and judges the bytes
    upload = world.client.http.post(
        "/api/v1/verify", body=b"<x/>", headers={"Content-Type": "application/xml"}
    )
    assert upload.status_code == 415 and upload.json_body["error"]["code"] == "UNSUPPORTED_FILE"
    ticket = form_ticket(desk_check(world, doc["qr_text"]), "/receipt")
    page = post_form(world, "/receipt", {"ticket": ticket}, Accept="text/html")
    assert page.status_code == 406 and page.headers["Content-Type"].startswith("text/html")
    assert b"BadRequest" not in page.body and b"Code" not in page.body


def test_a_receipt_takes_no_holder_number(world: World) -> None:
    """A receipt names the holder of the document it records (masked from a
    link): a number typed with it is not compared, and its verdict stays the
    receipt's authenticity, with what it recorded beside it."""
    doc = issue(world)
    ticket = form_ticket(desk_check(world, doc["qr_text"], OTHER), "/receipt")
    receipt = post_form(world, "/receipt", {"ticket": ticket, "format": "json"}).json_body
    for number in (HOLDER_ID, OTHER):
        checked = world.client.http.post(
            "/api/v1/verify",
            body=json.dumps({"qr_text": receipt["qr_text"], "holder_id": number}),
            headers={"Content-Type": "application/json"},
        ).json_body
        assert checked["verdict"] == "VALID" and checked["holder_match"] == "NOT_CHECKED"
        assert checked["receipt_of"]["holder_match"] == "MISMATCH"
        page = desk_check(world, receipt["qr_text"], number)
        assert 'data-state="receipt"' in page and 'id="holder-result"' not in page
    pdf = post_form(world, "/receipt", {"ticket": ticket, "format": "pdf"}).body
    upload = world.client.http.post(
        "/api/v1/verify", body=pdf, headers={"Content-Type": "application/pdf"}
    ).json_body
    assert upload["verdict"] == "VALID" and upload["receipt_of"]["verdict"] == "INVALID"
    assert upload["document_valid"] is True and upload["holder_match"] == "NOT_CHECKED"


def test_a_share_page_keeps_itself_and_its_holder_checks(world: World) -> None:
    """A bad number is said on the share page itself; switching language or
    reloading after a check repeats that check without spending another; a
    ticket of another link spends nothing."""
    from chalicelib.services.links import MAX_HOLDER_CHECKS

    doc = issue(world)
    path = path_of(create(world, doc["id"]).json_body["url"])
    bad = post_form(world, path, {"holder_id": "12345"})
    assert bad.status_code == 422 and "INVALID_ID_NUMBER" in bad.body.decode()
    assert 'id="shared-note"' in bad.body.decode() and 'data-state="valid"' in bad.body.decode()
    checked = post_form(world, path, {"holder_id": HOLDER_ID}).body.decode()
    ticket = form_ticket(checked, path)
    for lang in ("en", "vi", "en", "vi", "en", "vi"):
        again = post_form(world, path, {"ticket": ticket, "lang": lang})
        assert again.status_code == 200 and 'id="holder-result"' in again.body.decode()
    other = path_of(create(world, doc["id"]).json_body["url"])
    foreign = form_ticket(post_form(world, other, {"holder_id": OTHER}).body.decode(), other)
    refused = post_form(world, path, {"ticket": foreign, "holder_id": OTHER})
    assert refused.status_code == 400 and b"TICKET_INVALID" in refused.body
    for n in range(MAX_HOLDER_CHECKS - 1):  # the first check spent one; the rest remain
        r = post_form(world, path, {"holder_id": f"0013256{n}2345"})
        assert r.status_code == 200, r.body[-300:]
    used_up = post_form(world, path, {"holder_id": OTHER})
    assert used_up.status_code == 429 and 'id="shared-note"' in used_up.body.decode()
    assert "HOLDER_CHECKS_USED_UP" in used_up.body.decode()


def test_head_answers_as_get_without_a_body(world: World) -> None:
    r = world.client.http.request("HEAD", "/")
    assert r.status_code == 200 and r.body in (b"", "")
    assert r.headers["Content-Type"].startswith("text/html")


def test_a_malformed_cookie_spoils_none_of_ours(world: World) -> None:
    headers, _ = signed_in(world, Principal("c", "citizen", holder_id=HOLDER_ID))
    session = headers["Cookie"]
    r = world.client.http.get("/me", headers={"Cookie": f'a="x; {session}; docseal_lang=en'})
    assert r.status_code == 200 and b"My documents" in r.body
