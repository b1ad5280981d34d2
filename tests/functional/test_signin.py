"""Signing in to the pages through a real OpenID Connect provider (the local
one `make run` starts), through Chalice's test client, on SQLite and on
DynamoDB: the flow, the session and CSRF, and the attacks on each step.

The ID token's own attacks (wrong nonce, aud, iss, expired, unknown key,
``alg: none``, HS256 with the client secret) are in
tests/adapters/test_oidc_client.py, where the tokens can be forged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from chalicelib import bootstrap
from chalicelib.domain.principal import Principal
from tests.functional.conftest import World
from tests.functional.pages import post_form, signed_in
from tests.idp import CITIZEN, OFFICER, OTHER_OFFICER, authorize

from .test_api import issue


@pytest.fixture
def site(world: World, oidc_issuer: str) -> Iterator[World]:
    """The world with the local provider configured, on the real time (the
    provider's ID tokens carry the real ``exp``)."""
    world.clock.current = dt.datetime.now(dt.UTC).replace(microsecond=0)
    settings = dataclasses.replace(world.container.settings, oidc_issuer=oidc_issuer)
    yield dataclasses.replace(world, container=bootstrap.reset(settings, world.clock))


def cookies_of(response: Any) -> dict[str, str]:
    """name -> the whole Set-Cookie line, for each cookie a response sets."""
    raw = response.headers.get("Set-Cookie", "")
    lines = raw if isinstance(raw, list) else re.split(r",\s*(?=docseal_)", raw)
    return {line.split("=", 1)[0]: line for line in lines if line}


def value(line: str) -> str:
    return line.split(";", 1)[0].split("=", 1)[1]


@dataclasses.dataclass
class Attempt:
    flow: str  # the Cookie header for the callback
    provider_url: str


def start(site: World, next_path: str | None = None) -> Attempt:
    path = "/signin" + (f"?next={next_path}" if next_path is not None else "")
    r = site.client.http.get(path)
    assert r.status_code == 303, r.body[:500]
    flow = cookies_of(r)["docseal_signin"]
    assert "HttpOnly" in flow and "SameSite=Lax" in flow and "Path=/signin" in flow
    return Attempt(f"docseal_signin={value(flow)}", r.headers["Location"])


def callback_path(url: str) -> str:
    parts = urlsplit(url)
    assert parts.path == "/signin/callback"
    return f"{parts.path}?{parts.query}"


def sign_in(site: World, subject: str, next_path: str | None = None) -> tuple[Any, str]:
    """The whole flow: /signin, the provider's page, the callback; the
    callback's response and the session cookie it set ("" when none)."""
    attempt = start(site, next_path)
    back = callback_path(authorize(attempt.provider_url, subject))
    r = site.client.http.get(back, headers={"Cookie": attempt.flow})
    line = cookies_of(r).get("docseal_session", "")
    return r, (value(line) if line and "Max-Age=0" not in line else "")


def session_headers(cookie: str) -> dict[str, str]:
    return {"Cookie": f"docseal_session={cookie}"}


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None, "no CSRF token on a signed-in page"
    return found.group(1)


# 1. The flow ---------------------------------------------------------------------


def test_signin_sends_the_browser_to_the_provider_with_pkce_state_and_nonce(site: World) -> None:
    attempt = start(site)
    query = parse_qs(urlsplit(attempt.provider_url).query)
    assert attempt.provider_url.startswith(site.container.settings.oidc_issuer or "-")
    assert query["response_type"] == ["code"] and query["client_id"] == ["docseal"]
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32
    assert query["redirect_uri"] == ["https://docseal.example.vn/signin/callback"]
    assert "openid" in query["scope"][0].split()


def test_a_citizen_signs_in_and_lands_on_their_documents(site: World) -> None:
    issue(site)
    r, cookie = sign_in(site, CITIZEN)
    assert r.status_code == 303 and r.headers["Location"].startswith("/me")
    line = cookies_of(r)["docseal_session"]
    assert "HttpOnly" in line and "SameSite=Lax" in line and "Secure" in line
    assert CITIZEN not in line  # the session is sealed, not readable
    me = site.client.http.get("/me", headers=session_headers(cookie))
    assert me.status_code == 200 and "doc-" in me.body.decode()
    assert "docseal_signin=; Path=/signin; Max-Age=0" in cookies_of(r)["docseal_signin"]


def test_an_officer_signs_in_with_their_agency_and_goes_where_they_were_going(
    site: World,
) -> None:
    r, cookie = sign_in(site, OFFICER, "/v")
    assert r.status_code == 303 and r.headers["Location"] == "/v?lang=vi"
    home = site.client.http.get("/", headers=session_headers(cookie))
    assert "Trường Tiểu học Dịch Vọng (TH-DV)" in home.body.decode()


def test_sign_out_ends_the_session_and_the_providers(site: World) -> None:
    _, cookie = sign_in(site, OFFICER)
    home = site.client.http.get("/", headers=session_headers(cookie))
    r = post_form(
        site, "/signout", {"csrf": csrf_of(home.body.decode())}, **session_headers(cookie)
    )
    assert r.status_code == 303
    assert r.headers["Location"].startswith(
        f"{site.container.settings.oidc_issuer}/oauth2/end_session"
    )
    assert "post_logout_redirect_uri=https%3A%2F%2Fdocseal.example.vn%2F" in r.headers["Location"]
    assert "Max-Age=0" in cookies_of(r)["docseal_session"]


# 2. Attacks on the callback ---------------------------------------------------------


def test_a_callback_with_a_wrong_or_missing_state_is_refused(site: World) -> None:
    attempt = start(site)
    back = callback_path(authorize(attempt.provider_url, CITIZEN))
    wrong = re.sub(r"state=[^&]+", "state=forged", back)
    missing = re.sub(r"&?state=[^&]+", "", back)
    for path in (wrong, missing):
        r = site.client.http.get(path, headers={"Cookie": attempt.flow})
        assert r.status_code == 401 and "SIGNIN_FAILED" in r.body.decode()
        assert "docseal_session" not in cookies_of(r)
    no_cookie = site.client.http.get(back)  # another browser's callback (login CSRF)
    assert no_cookie.status_code == 401 and "docseal_session" not in cookies_of(no_cookie)


def test_a_replayed_callback_is_refused(site: World) -> None:
    attempt = start(site)
    back = callback_path(authorize(attempt.provider_url, CITIZEN))
    first = site.client.http.get(back, headers={"Cookie": attempt.flow})
    assert first.status_code == 303
    again = site.client.http.get(back, headers={"Cookie": attempt.flow})
    assert again.status_code == 401 and "SIGNIN_FAILED" in again.body.decode()
    assert "docseal_session" not in cookies_of(again)


def test_a_code_replayed_with_a_new_attempt_is_refused_by_the_provider(site: World) -> None:
    attempt = start(site)
    back = callback_path(authorize(attempt.provider_url, CITIZEN))
    assert site.client.http.get(back, headers={"Cookie": attempt.flow}).status_code == 303
    other = start(site)  # the attacker's own attempt, with the stolen code
    state = parse_qs(urlsplit(other.provider_url).query)["state"][0]
    code = parse_qs(urlsplit(back).query)["code"][0]
    r = site.client.http.get(
        f"/signin/callback?code={code}&state={state}", headers={"Cookie": other.flow}
    )
    assert r.status_code == 401 and "docseal_session" not in cookies_of(r)


def test_the_provider_saying_no_is_a_clear_page(site: World) -> None:
    attempt = start(site)
    state = parse_qs(urlsplit(attempt.provider_url).query)["state"][0]
    r = site.client.http.get(
        f"/signin/callback?error=access_denied&state={state}", headers={"Cookie": attempt.flow}
    )
    assert r.status_code == 401 and "SIGNIN_FAILED" in r.body.decode()
    assert 'id="signin-start"' in r.body.decode()


def test_a_provider_that_is_down_is_a_clear_503_and_nothing_is_set(world: World) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there
    settings = dataclasses.replace(world.container.settings, oidc_issuer=f"http://127.0.0.1:{port}")
    bootstrap.reset(settings, world.clock)
    r = world.client.http.get("/signin?next=/me")
    assert r.status_code == 503 and "SIGNIN_UNAVAILABLE" in r.body.decode()
    assert r.headers["Content-Type"].startswith("text/html") and "Set-Cookie" not in r.headers
    assert world.client.http.get("/").status_code == 200  # verifying still works


def test_signin_when_no_provider_is_configured_says_so(world: World) -> None:
    r = world.client.http.get("/signin")
    assert r.status_code == 503 and "SIGNIN_UNAVAILABLE" in r.body.decode()


def test_next_cannot_send_the_reader_to_another_site(site: World) -> None:
    for evil in ("https://evil.example", "//evil.example", "/\\evil.example", "javascript:x"):
        r, _ = sign_in(site, OFFICER, evil)
        assert r.status_code == 303 and r.headers["Location"] == "/?lang=vi", evil


def test_a_citizen_claim_with_11_digits_is_refused_never_half_signed_in(site: World) -> None:
    r, cookie = sign_in(site, "00132501234")
    assert r.status_code == 403 and "SIGNIN_REFUSED" in r.body.decode()
    assert cookie == "" and "docseal_session" not in cookies_of(r)


# 3. The session ------------------------------------------------------------------------


def test_a_tampered_or_expired_session_is_no_session(site: World) -> None:
    _, cookie = sign_in(site, CITIZEN)
    assert site.client.http.get("/me", headers=session_headers(cookie)).status_code == 200
    flipped = cookie[:-6] + ("A" if cookie[-6] != "A" else "B") + cookie[-5:]
    assert site.client.http.get("/me", headers=session_headers(flipped)).status_code == 401
    raw_token = site.token("citizen", holder_id=CITIZEN)  # the old pasted bearer token
    assert site.client.http.get("/me", headers=session_headers(raw_token)).status_code == 401
    site.clock.advance(hours=8, seconds=1)
    assert site.client.http.get("/me", headers=session_headers(cookie)).status_code == 401


def test_a_cross_site_post_without_the_csrf_token_is_refused(site: World) -> None:
    doc = issue(site)
    _, cookie = sign_in(site, CITIZEN)
    fields = {"doc_id": doc["id"], "expires_in": "7d", "field:birth_place": "1"}
    for token in (None, "", "forged"):
        sent = fields if token is None else {**fields, "csrf": token}
        r = post_form(site, "/me/links", sent, **session_headers(cookie))
        assert r.status_code == 403 and "CSRF_INVALID" in r.body.decode()
    links = site.client.http.get(
        "/api/v1/me/links",
        headers={"Authorization": f"Bearer {site.token('citizen', holder_id=CITIZEN)}"},
    ).json_body["links"]
    assert links == []  # nothing was created
    me = site.client.http.get("/me", headers=session_headers(cookie)).body.decode()
    ok = post_form(site, "/me/links", {**fields, "csrf": csrf_of(me)}, **session_headers(cookie))
    assert ok.status_code == 201
    _, other = sign_in(site, CITIZEN)  # another session's token is not this one's
    r = post_form(site, "/me/links", {**fields, "csrf": csrf_of(me)}, **session_headers(other))
    assert r.status_code == 403


def test_every_state_changing_form_of_a_signed_in_page_carries_the_csrf_token(
    site: World,
) -> None:
    issue(site)
    _, cookie = sign_in(site, CITIZEN)
    me = site.client.http.get("/me", headers=session_headers(cookie)).body.decode()
    forms = re.findall(r'<form method="post".*?</form>', me, re.DOTALL)
    assert forms and all('name="csrf"' in form for form in forms)


# 4. Officers and agencies ----------------------------------------------------------------


class Directory:
    """A fake of the officer accounts administrators keep (``OfficerDirectory``)."""

    def __init__(self, accounts: dict[str, tuple[str, str]]) -> None:
        self.accounts = accounts

    def officer_agency(self, subject: str) -> tuple[str, str] | None:
        return self.accounts.get(subject)


def test_an_officer_of_agency_a_is_recorded_as_a_never_as_b(site: World) -> None:
    doc = issue(site)
    citizen_headers, csrf = signed_in(site, Principal("c", "citizen", holder_id=CITIZEN))
    created = post_form(
        site,
        "/me/links",
        {"doc_id": doc["id"], "expires_in": "7d", "csrf": csrf},
        **citizen_headers,
    )
    url = re.search(r'id="link-url">([^<]+)<', created.body.decode())
    assert url is not None
    _, officer = sign_in(site, OTHER_OFFICER)  # BV-01
    forged = session_headers(officer[:-4] + "AAAA")  # an attempt to make it say TH-DV
    site.client.http.get(urlsplit(url.group(1)).path, headers=forged)
    site.client.http.get(urlsplit(url.group(1)).path, headers=session_headers(officer))
    log = site.client.http.get("/me", headers=citizen_headers).body.decode()
    assert "BV-01" in log and "TH-DV" not in log
    # an officer may not read a citizen's pages
    assert site.client.http.get("/me", headers=session_headers(officer)).status_code == 401


def test_officers_from_the_directory_take_its_agency_and_lose_access_when_removed(
    site: World,
) -> None:
    directory = Directory({OTHER_OFFICER: ("BV-01", "Bệnh viện Đa khoa Dịch Vọng")})
    settings = dataclasses.replace(
        site.container.settings, oidc_mapping='{"officer": {"source": "directory"}}'
    )
    c = bootstrap.reset(settings, site.clock)
    c.officers = directory  # type: ignore[attr-defined]  # where container.officers lands
    world = dataclasses.replace(site, container=c)
    # the provider's token says TH-DV for officer.thdv, but the directory does not list them:
    # they are not an officer, and their subject is no ID number either
    r, cookie = sign_in(world, OFFICER)
    assert r.status_code == 403 and cookie == ""
    r, cookie = sign_in(world, OTHER_OFFICER)
    assert r.status_code == 303
    home = world.client.http.get("/", headers=session_headers(cookie)).body.decode()
    assert "(BV-01)" in home
    directory.accounts.clear()  # an administrator disables the account
    after = world.client.http.get("/", headers=session_headers(cookie)).body.decode()
    assert "(BV-01)" not in after and 'id="signin-link"' in after
