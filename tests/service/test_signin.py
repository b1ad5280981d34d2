"""The sign-in flow and the session (services/signin.py) over a fake
provider and the in-memory store: what the service decides, in milliseconds.
The real provider is in tests/functional/test_signin.py, ID token forgeries
in tests/adapters/test_oidc_client.py."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest

from chalicelib.adapters.memory.hits import MemoryHits
from chalicelib.domain.claim_mapping import DEFAULT_MAPPING, parse_mapping
from chalicelib.errors import DocsealError, ErrorCode
from chalicelib.ports import SignedIn
from chalicelib.services.signin import SigninService
from tests.support import T0, FixedClock


class FakeProvider:
    def __init__(self, claims: dict[str, object]) -> None:
        self.claims = claims
        self.exchanged: list[dict[str, str]] = []

    def authorization_url(
        self, *, redirect_uri: str, state: str, nonce: str, code_challenge: str
    ) -> str:
        return f"https://id.example/auth?state={state}&nonce={nonce}&cc={code_challenge}"

    def exchange(
        self, *, code: str, redirect_uri: str, code_verifier: str, nonce: str, now: dt.datetime
    ) -> SignedIn:
        self.exchanged.append({"code": code, "verifier": code_verifier, "nonce": nonce})
        return SignedIn(dict(self.claims), "id.token.here")

    def end_session_url(self, *, id_token_hint: str, post_logout_redirect_uri: str) -> str | None:
        return f"https://id.example/logout?hint={id_token_hint}"


class Directory:
    def __init__(self) -> None:
        self.accounts: dict[str, tuple[str, str]] = {"o-1": ("BV-01", "Bệnh viện")}

    def officer_agency(self, subject: str) -> tuple[str, str] | None:
        return self.accounts.get(subject)


def service(
    claims: dict[str, object], mapping: str | None = None, directory: Directory | None = None
) -> tuple[SigninService, FakeProvider, FixedClock]:
    provider, clock = FakeProvider(claims), FixedClock(T0)
    signin = SigninService(
        provider, parse_mapping(mapping) if mapping else DEFAULT_MAPPING, directory,
        MemoryHits(), b"s" * 32, clock, "https://docseal.example.vn",
    )  # fmt: skip
    return signin, provider, clock


def state_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["state"][0]


def test_the_pkce_verifier_and_nonce_sent_are_the_ones_traded() -> None:
    signin, provider, _ = service({"sub": "001325012345"})
    started = signin.start("/me", "en")
    done = signin.finish(started.flow, state_of(started.redirect), "code-1")
    sent = parse_qs(urlsplit(started.redirect).query)
    assert provider.exchanged[0]["nonce"] == sent["nonce"][0]
    assert 43 <= len(provider.exchanged[0]["verifier"]) <= 128
    assert (done.next, done.lang, done.session.principal.holder_id) == ("/me", "en", "001325012345")
    assert signin.session(done.cookie) == done.session


def test_a_state_is_spent_once_and_the_attempt_expires() -> None:
    signin, provider, clock = service({"sub": "001325012345"})
    started = signin.start(None, "vi")
    signin.finish(started.flow, state_of(started.redirect), "c")
    with pytest.raises(DocsealError) as again:
        signin.finish(started.flow, state_of(started.redirect), "c")
    assert again.value.code == ErrorCode.SIGNIN_FAILED and len(provider.exchanged) == 1
    late = signin.start(None, "vi")
    clock.advance(minutes=11)
    with pytest.raises(DocsealError):
        signin.finish(late.flow, state_of(late.redirect), "c")


def test_the_session_expires_and_its_csrf_token_is_its_own() -> None:
    signin, _, clock = service({"sub": "001325012345"})
    started = signin.start(None, "vi")
    one = signin.finish(started.flow, state_of(started.redirect), "c").session
    other = signin.new_session(one.principal)
    signin.check_csrf(one, signin.csrf_token(one))
    for token in (signin.csrf_token(other), "", None):
        with pytest.raises(DocsealError) as caught:
            signin.check_csrf(one, token)
        assert caught.value.code == ErrorCode.CSRF_INVALID
    cookie = signin.seal_session(one)
    clock.advance(hours=8, seconds=1)
    assert signin.session(cookie) is None


def test_a_directory_officer_loses_the_session_when_removed() -> None:
    directory = Directory()
    signin, _, _ = service({"sub": "o-1"}, '{"officer": {"source": "directory"}}', directory)
    started = signin.start(None, "vi")
    done = signin.finish(started.flow, state_of(started.redirect), "c")
    assert done.session.principal.agency == "BV-01"
    directory.accounts["o-1"] = ("BV-02", "Bệnh viện khác")  # moved: the directory decides
    found = signin.session(done.cookie)
    assert found is not None and found.principal.agency == "BV-02"
    directory.accounts.clear()
    assert signin.session(done.cookie) is None


def test_a_directory_mapping_without_a_directory_is_not_configured() -> None:
    signin, _, _ = service({"sub": "o-1"}, '{"officer": {"source": "directory"}}')
    started = signin.start(None, "vi")
    with pytest.raises(DocsealError) as caught:
        signin.finish(started.flow, state_of(started.redirect), "c")
    assert caught.value.code == ErrorCode.SIGNIN_UNAVAILABLE


def test_sign_out_goes_to_the_providers_end_session_with_the_hint() -> None:
    signin, _, _ = service({"sub": "001325012345"})
    started = signin.start(None, "vi")
    session = signin.finish(started.flow, state_of(started.redirect), "c").session
    assert signin.signout_redirect(session) == "https://id.example/logout?hint=id.token.here"
    assert signin.signout_redirect(None) is None
