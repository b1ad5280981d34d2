"""Tokens checked against an identity provider's JWKS fetched over HTTP (a
real server on 127.0.0.1, as an OpenID Connect provider's jwks_uri)."""

from __future__ import annotations

import datetime as dt
import http.server
import json
import threading
from collections.abc import Iterator

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from chalicelib.adapters.tokens import TokenVerifier
from chalicelib.errors import Unauthorized, Unavailable

NOW = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
KEY = ec.generate_private_key(ec.SECP256R1())


def _jwks() -> dict[str, object]:
    public = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(KEY.public_key()))
    return {"keys": [{**public, "kid": "idp-1", "use": "sig", "alg": "ES256"}]}


@pytest.fixture
def provider() -> Iterator[str]:
    body = json.dumps(_jwks()).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/jwks.json"
    server.shutdown()
    server.server_close()


def token(kid: str = "idp-1", key: ec.EllipticCurvePrivateKey = KEY) -> str:
    claims = {
        "iss": "https://id.example.vn",
        "aud": "docseal",
        "sub": "citizen-1",
        "role": "citizen",
        "holder_id": "001325012345",
        "iat": int(NOW.timestamp()),
        "exp": int(NOW.timestamp()) + 600,
    }
    return jwt.encode(claims, key, algorithm="ES256", headers={"kid": kid})


def test_a_token_from_the_provider_is_accepted(provider: str) -> None:
    verifier = TokenVerifier(None, "https://id.example.vn", "docseal", jwks_url=provider)
    principal = verifier.principal(f"Bearer {token()}", NOW)
    assert principal.role == "citizen" and principal.holder_id == "001325012345"


def test_unknown_kid_and_foreign_key_are_refused(provider: str) -> None:
    verifier = TokenVerifier(None, "https://id.example.vn", "docseal", jwks_url=provider)
    with pytest.raises(Unauthorized):
        verifier.principal(f"Bearer {token(kid='other')}", NOW)
    stranger = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(Unauthorized):
        verifier.principal(f"Bearer {token(key=stranger)}", NOW)


def test_an_unreachable_provider_is_unavailable_not_unauthorized() -> None:
    verifier = TokenVerifier(
        None, "https://id.example.vn", "docseal", jwks_url="http://127.0.0.1:9/jwks.json"
    )
    with pytest.raises(Unavailable):
        verifier.principal(f"Bearer {token()}", NOW)
