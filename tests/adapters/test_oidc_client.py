"""The OpenID Connect client's checks of the ID token (OpenID Connect Core
§3.1.3.7), against a fake provider whose tokens the test forges: every
forgery is refused with ID_TOKEN_INVALID, and only a token signed by the
provider's key, for this client, from this issuer, unexpired and with the
nonce sent is accepted."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from joserfc import jwt
from joserfc.jwk import ECKey, OctKey, RSAKey

from chalicelib.adapters.oidc_client import OidcClient
from chalicelib.errors import DocsealError, ErrorCode

ISSUER = "https://id.example.gov.vn"
CLIENT = "docseal"
SECRET = "client-secret-shared-with-the-provider"
NONCE = "n-0S6_WzA2Mj"
NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)

RSA = RSAKey.generate_key(2048, parameters={"kid": "rsa-1"})
EC = ECKey.generate_key("P-256", parameters={"kid": "ec-1"})
STRANGER = RSAKey.generate_key(2048, parameters={"kid": "rsa-1"})  # same kid, other key


class FakeProvider:
    """Discovery, a JWKS and a token endpoint that answers ``id_token``."""

    def __init__(self) -> None:
        self.id_token = ""
        self.token_status = 200
        self.requests: list[tuple[str, str, bytes | None, dict[str, str]]] = []
        self.down = False

    def __call__(
        self, method: str, url: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        self.requests.append((method, url, body, headers))
        if self.down:
            raise OSError("connection refused")
        if url.endswith("/.well-known/openid-configuration"):
            return 200, json.dumps(
                {
                    "issuer": ISSUER,
                    "authorization_endpoint": f"{ISSUER}/authorize",
                    "token_endpoint": f"{ISSUER}/token",
                    "jwks_uri": f"{ISSUER}/jwks",
                    "end_session_endpoint": f"{ISSUER}/logout",
                    # a provider advertising more than docseal accepts changes nothing
                    "id_token_signing_alg_values_supported": ["RS256", "HS256", "none"],
                }
            ).encode()
        if url.endswith("/jwks"):
            keys = [RSA.as_dict(private=False), EC.as_dict(private=False)]
            return 200, json.dumps({"keys": keys}).encode()
        if url.endswith("/token"):
            if self.token_status != 200:
                return self.token_status, b'{"error": "invalid_grant"}'
            return 200, json.dumps(
                {"access_token": "at", "token_type": "Bearer", "id_token": self.id_token}
            ).encode()
        return 404, b"{}"


def claims(**changes: Any) -> dict[str, Any]:
    base = {
        "iss": ISSUER,
        "sub": "001325012345",
        "aud": CLIENT,
        "exp": int(NOW.timestamp()) + 300,
        "iat": int(NOW.timestamp()),
        "nonce": NONCE,
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def signed(payload: dict[str, Any], key: Any = RSA, alg: str = "RS256") -> str:
    return jwt.encode({"alg": alg, "kid": key.kid}, payload, key, algorithms=[alg])


def unsigned(payload: dict[str, Any]) -> str:
    def b64(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{b64({'alg': 'none', 'kid': 'rsa-1'})}.{b64(payload)}."


@pytest.fixture
def provider() -> FakeProvider:
    return FakeProvider()


@pytest.fixture
def client(provider: FakeProvider) -> OidcClient:
    return OidcClient(ISSUER, CLIENT, SECRET, fetch=provider)


def exchange(client: OidcClient) -> dict[str, object]:
    return client.exchange(
        code="c", redirect_uri="https://d/cb", code_verifier="v" * 64, nonce=NONCE, now=NOW
    ).claims


def test_a_good_id_token_is_accepted_rs256_and_es256(
    client: OidcClient, provider: FakeProvider
) -> None:
    provider.id_token = signed(claims())
    assert exchange(client)["sub"] == "001325012345"
    provider.id_token = signed(claims(), EC, "ES256")
    assert exchange(client)["sub"] == "001325012345"


def test_the_code_is_traded_with_the_pkce_verifier_and_the_client_secret(
    client: OidcClient, provider: FakeProvider
) -> None:
    provider.id_token = signed(claims())
    exchange(client)
    method, url, body, headers = provider.requests[-2]  # the JWKS is fetched after the token
    assert (method, url) == ("POST", f"{ISSUER}/token")
    form = parse_qs((body or b"").decode())
    assert form["grant_type"] == ["authorization_code"] and form["code_verifier"] == ["v" * 64]
    assert headers["Authorization"].startswith("Basic ") and "client_secret" not in form


def test_a_public_client_sends_its_id_and_no_secret(provider: FakeProvider) -> None:
    provider.id_token = signed(claims())
    exchange(OidcClient(ISSUER, CLIENT, None, fetch=provider))
    _, _, body, headers = provider.requests[-2]
    assert parse_qs((body or b"").decode())["client_id"] == [CLIENT]
    assert "Authorization" not in headers


def test_the_authorization_url_carries_state_nonce_and_the_s256_challenge(
    client: OidcClient,
) -> None:
    url = client.authorization_url(
        redirect_uri="https://d/cb", state="s", nonce="n", code_challenge="c" * 43
    )
    query = parse_qs(urlsplit(url).query)
    assert url.startswith(f"{ISSUER}/authorize?")
    assert query["state"] == ["s"] and query["nonce"] == ["n"]
    assert query["code_challenge"] == ["c" * 43] and query["code_challenge_method"] == ["S256"]


FORGERIES = {
    "wrong nonce": lambda: signed(claims(nonce="another")),
    "no nonce": lambda: signed(claims(nonce=None)),
    "wrong aud": lambda: signed(claims(aud="another-client")),
    "wrong iss": lambda: signed(claims(iss="https://evil.example")),
    "expired": lambda: signed(claims(exp=int(NOW.timestamp()) - 3600)),
    "no exp": lambda: signed(claims(exp=None)),
    "unknown key": lambda: signed(claims(), STRANGER),
    "alg none": lambda: unsigned(claims()),
    "HS256 with the client secret": lambda: jwt.encode(
        {"alg": "HS256", "kid": "rsa-1"},
        claims(),
        OctKey.import_key(SECRET.encode()),
        algorithms=["HS256"],
    ),
    "not a JWT": lambda: "not.a.jwt",
}


@pytest.mark.parametrize("forgery", sorted(FORGERIES))
def test_a_forged_id_token_is_refused(
    forgery: str, client: OidcClient, provider: FakeProvider
) -> None:
    provider.id_token = FORGERIES[forgery]()
    with pytest.raises(DocsealError) as caught:
        exchange(client)
    assert caught.value.code == ErrorCode.ID_TOKEN_INVALID and caught.value.http_status == 401


def test_a_refused_code_is_signin_failed(client: OidcClient, provider: FakeProvider) -> None:
    provider.token_status = 400  # invalid_grant: a replayed or stolen code
    with pytest.raises(DocsealError) as caught:
        exchange(client)
    assert caught.value.code == ErrorCode.SIGNIN_FAILED


def test_a_provider_that_is_down_is_unavailable(client: OidcClient, provider: FakeProvider) -> None:
    provider.down = True
    with pytest.raises(DocsealError) as caught:
        client.authorization_url(
            redirect_uri="https://d/cb", state="s", nonce="n", code_challenge="c"
        )
    assert caught.value.code == ErrorCode.SIGNIN_UNAVAILABLE and caught.value.http_status == 503


def test_discovery_naming_another_issuer_is_refused(provider: FakeProvider) -> None:
    client = OidcClient("https://other.example", CLIENT, fetch=provider)
    with pytest.raises(DocsealError) as caught:
        client.metadata()
    assert caught.value.code == ErrorCode.SIGNIN_UNAVAILABLE


def test_end_session_url_names_the_hint_and_where_to_come_back(client: OidcClient) -> None:
    url = client.end_session_url(id_token_hint="t", post_logout_redirect_uri="https://d/")
    assert url is not None and url.startswith(f"{ISSUER}/logout?")
    query = parse_qs(urlsplit(url).query)
    assert query["id_token_hint"] == ["t"] and query["post_logout_redirect_uri"] == ["https://d/"]


def test_discovery_is_cached(client: OidcClient, provider: FakeProvider) -> None:
    client.metadata()
    client.metadata()
    assert sum(u.endswith("openid-configuration") for _, u, _, _ in provider.requests) == 1
