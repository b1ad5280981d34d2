"""The OpenID Connect relying party the pages sign in through (``OpenIdProvider``).

Authlib builds the requests and checks the ID token's claims, joserfc checks
its signature; the three HTTP calls (discovery, JWKS, token endpoint) go
through ``urllib`` with short timeouts, so the Lambda needs no HTTP client
library. The steps, as OpenID Connect Core 1.0 §3.1 numbers them:

1. discovery (``{issuer}/.well-known/openid-configuration``), whose
   ``issuer`` must be the configured one (Discovery §4.3), cached;
2. the authorization request: ``response_type=code``, ``state``, ``nonce``
   and a PKCE S256 ``code_challenge`` (RFC 7636);
3. the token request with the ``code_verifier`` (client_secret_basic for a
   confidential client, the ``client_id`` alone for a public one);
4. the ID token (§3.1.3.7): signed with one of ``ALGORITHMS`` by a key of the
   provider's JWKS (refetched once for an unknown ``kid``), ``iss`` the
   issuer, ``aud`` (and ``azp``) the client, not expired, ``nonce`` the one
   sent. ``alg: none`` and HS256 (which a client secret could forge) are
   refused by the algorithm list, whatever the provider advertises.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

from chalicelib.errors import ErrorCode, Unauthorized, Unavailable
from chalicelib.ports import SignedIn

ALGORITHMS = ("RS256", "ES256")
MAX_RESPONSE_BYTES = 256 * 1024
# (method, url, body or None, headers) -> (status, body)
Fetch = Callable[[str, str, bytes | None, dict[str, str]], tuple[int, bytes]]


def urllib_fetch(timeout: float) -> Fetch:
    def fetch(
        method: str, url: str, body: bytes | None, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        request = urllib.request.Request(url, data=body, headers=headers, method=method)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                return response.status, response.read(MAX_RESPONSE_BYTES)
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read(MAX_RESPONSE_BYTES)

    return fetch


class OidcClient:
    def __init__(
        self,
        issuer: str,
        client_id: str,
        client_secret: str | None = None,
        *,
        fetch: Fetch | None = None,
        timeout: float = 5.0,
        cache_seconds: float = 300.0,
        leeway: int = 30,
        scope: str = "openid profile",
    ) -> None:
        self._issuer = issuer.rstrip("/")
        self._client_id = client_id
        self._client_secret = client_secret or None
        self._fetch = fetch or urllib_fetch(timeout)
        self._cache_seconds = cache_seconds
        self._leeway = leeway
        self._scope = scope
        self._lock = threading.Lock()
        self._metadata: tuple[float, dict[str, Any]] | None = None
        self._jwks: dict[str, Any] | None = None

    # -- HTTP ------------------------------------------------------------------

    def _json(
        self, method: str, url: str, body: bytes | None = None, **headers: str
    ) -> dict[str, Any]:
        if not url.startswith(("https://", "http://")):
            raise Unavailable(
                "the sign-in provider's configuration is broken", code=ErrorCode.SIGNIN_UNAVAILABLE
            )
        try:
            status, raw = self._fetch(method, url, body, {"Accept": "application/json", **headers})
        except (OSError, ValueError) as exc:
            raise Unavailable(
                "the sign-in provider cannot be reached", code=ErrorCode.SIGNIN_UNAVAILABLE
            ) from exc
        if status >= 500:
            raise Unavailable(
                f"the sign-in provider answered {status}", code=ErrorCode.SIGNIN_UNAVAILABLE
            )
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = None
        if status >= 400:
            error = parsed.get("error") if isinstance(parsed, dict) else None
            raise Unauthorized(
                f"the sign-in provider refused: {error or status}", code=ErrorCode.SIGNIN_FAILED
            )
        if not isinstance(parsed, dict):
            raise Unavailable(
                "the sign-in provider's answer is not JSON", code=ErrorCode.SIGNIN_UNAVAILABLE
            )
        return parsed

    def metadata(self) -> dict[str, Any]:
        """1. Discovery, cached for ``cache_seconds``."""
        with self._lock:
            cached = self._metadata
        if cached is not None and time.monotonic() - cached[0] < self._cache_seconds:
            return cached[1]
        found = self._json("GET", f"{self._issuer}/.well-known/openid-configuration")
        if found.get("issuer", "").rstrip("/") != self._issuer:
            raise Unavailable(
                "the sign-in provider's discovery names another issuer",
                code=ErrorCode.SIGNIN_UNAVAILABLE,
            )
        for endpoint in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not isinstance(found.get(endpoint), str):
                raise Unavailable(
                    f"the sign-in provider's discovery has no {endpoint}",
                    code=ErrorCode.SIGNIN_UNAVAILABLE,
                )
        with self._lock:
            self._metadata = (time.monotonic(), found)
        return found

    def _key_set(self, refresh: bool = False) -> Any:
        from joserfc.jwk import KeySet

        with self._lock:
            jwks = None if refresh else self._jwks
        if jwks is None:
            jwks = self._json("GET", self.metadata()["jwks_uri"])
            with self._lock:
                self._jwks = jwks
        try:
            return KeySet.import_key_set(jwks)  # type: ignore[arg-type]
        except Exception as exc:  # a provider's broken JWKS
            raise Unavailable(
                "the sign-in provider's keys cannot be read", code=ErrorCode.SIGNIN_UNAVAILABLE
            ) from exc

    # -- OpenIdProvider ----------------------------------------------------------

    def authorization_url(
        self, *, redirect_uri: str, state: str, nonce: str, code_challenge: str
    ) -> str:
        """2. The authorization request."""
        from authlib.oauth2.rfc6749.parameters import prepare_grant_uri

        return str(
            prepare_grant_uri(
                self.metadata()["authorization_endpoint"],
                self._client_id,
                "code",
                redirect_uri=redirect_uri,
                scope=self._scope,
                state=state,
                nonce=nonce,
                code_challenge=code_challenge,
                code_challenge_method="S256",
            )
        )

    def exchange(
        self, *, code: str, redirect_uri: str, code_verifier: str, nonce: str, now: dt.datetime
    ) -> SignedIn:
        """3. The token request, then 4. the ID token's checks."""
        from authlib.oauth2.rfc6749.parameters import prepare_token_request

        fields: dict[str, str] = {"code": code, "code_verifier": code_verifier}
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if self._client_secret:
            pair = ":".join(
                urllib.parse.quote(x, safe="") for x in (self._client_id, self._client_secret)
            )
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        else:
            fields["client_id"] = self._client_id
        body = prepare_token_request("authorization_code", redirect_uri=redirect_uri, **fields)
        tokens = self._json(
            "POST", self.metadata()["token_endpoint"], str(body).encode("ascii"), **headers
        )
        id_token = tokens.get("id_token")
        if not isinstance(id_token, str) or not id_token:
            raise Unauthorized(
                "the sign-in provider sent no ID token", code=ErrorCode.ID_TOKEN_INVALID
            )
        access_token = tokens.get("access_token")
        claims = self.verify_id_token(
            id_token,
            nonce,
            now,
            access_token if isinstance(access_token, str) else None,
        )
        return SignedIn(claims=claims, id_token=id_token)

    def verify_id_token(
        self, id_token: str, nonce: str, now: dt.datetime, access_token: str | None = None
    ) -> dict[str, object]:
        from authlib.oidc.core import CodeIDToken
        from joserfc import jwt
        from joserfc.errors import InvalidKeyIdError, JoseError

        invalid = "the sign-in provider's ID token does not verify"
        try:
            try:
                token = jwt.decode(id_token, self._key_set(), algorithms=list(ALGORITHMS))
            except InvalidKeyIdError:  # the provider may have rotated its keys
                token = jwt.decode(id_token, self._key_set(True), algorithms=list(ALGORITHMS))
            params: dict[str, Any] = {"nonce": nonce, "client_id": self._client_id}
            if access_token:
                params["access_token"] = access_token
            claims = CodeIDToken(
                token.claims,
                token.header,
                {
                    "iss": {"essential": True, "value": self._issuer},
                    "aud": {"essential": True, "value": self._client_id},
                },
                params,
            )
            claims.validate(now=int(now.timestamp()), leeway=self._leeway)
        except (JoseError, ValueError, TypeError, KeyError) as exc:
            raise Unauthorized(
                f"{invalid} ({type(exc).__name__})", code=ErrorCode.ID_TOKEN_INVALID
            ) from None
        if not nonce:
            raise Unauthorized(invalid, code=ErrorCode.ID_TOKEN_INVALID)
        return dict(claims)

    def end_session_url(self, *, id_token_hint: str, post_logout_redirect_uri: str) -> str | None:
        try:
            endpoint = self.metadata().get("end_session_endpoint")
        except Unavailable:
            return None  # docseal's session ends anyway
        if not isinstance(endpoint, str) or not endpoint.startswith(("https://", "http://")):
            return None
        query = {"post_logout_redirect_uri": post_logout_redirect_uri, "client_id": self._client_id}
        if id_token_hint:
            query["id_token_hint"] = id_token_hint
        sep = "&" if "?" in endpoint else "?"
        return endpoint + sep + urllib.parse.urlencode(query)
