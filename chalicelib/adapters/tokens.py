"""Bearer tokens: ES256 JWTs checked against a JWKS, and a local dev issuer.

The app checks every token itself (chalice local does not enforce
authorizers). In production the JWKS is the identity provider's; locally a
development identity provider keeps its key in ``DOCSEAL_HOME`` and
``docseal token`` mints tokens with it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from chalicelib.domain.principal import ROLES, Principal, Role
from chalicelib.errors import ErrorCode, Unauthorized, Unavailable

MAX_TOKEN_CHARS = 8192


class TokenVerifier:
    """Checks bearer tokens against a JWKS given whole (a file, the dev
    provider) or at a URL (an OpenID Connect provider's ``jwks_uri``), which
    PyJWT's ``PyJWKClient`` fetches, caches and refetches for an unknown kid."""

    def __init__(
        self,
        jwks: dict[str, Any] | None,
        issuer: str,
        audience: str,
        jwks_url: str | None = None,
    ) -> None:
        self._keys = {
            k.key_id: k
            for k in (jwt.PyJWKSet.from_dict(jwks).keys if jwks else [])
            if k.key_id is not None
        }
        self._client = (
            jwt.PyJWKClient(jwks_url, cache_jwk_set=True, lifespan=300, timeout=5)
            if jwks_url
            else None
        )
        self._issuer = issuer
        self._audience = audience

    def _key(self, kid: str) -> Any:
        key = self._keys.get(kid)
        if key is None and self._client is not None:
            try:
                key = self._client.get_signing_key(kid)
            except jwt.PyJWKClientConnectionError as exc:
                raise Unavailable("the identity provider's keys cannot be fetched") from exc
            except jwt.PyJWKClientError:
                return None
        return key

    def principal(self, authorization: str | None, now: dt.datetime) -> Principal:
        if not authorization:
            raise Unauthorized(
                "sign in first: a bearer token is required", code=ErrorCode.TOKEN_MISSING
            )
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token or len(token) > MAX_TOKEN_CHARS:
            raise Unauthorized(
                "the Authorization header must be 'Bearer <token>'", code=ErrorCode.TOKEN_INVALID
            )
        try:
            header = jwt.get_unverified_header(token)
            key = self._key(str(header.get("kid")))
            if key is None:
                raise Unauthorized(
                    "the token is signed by an unknown key", code=ErrorCode.TOKEN_INVALID
                )
            claims = jwt.decode(
                token,
                key.key,
                algorithms=["ES256"],
                audience=self._audience,
                issuer=self._issuer,
                options={
                    "require": ["exp", "iat", "sub", "role"],
                    "verify_iat": False,
                    "verify_exp": False,
                },
                leeway=30,
            )
            exp = claims["exp"]
            if not isinstance(exp, int | float) or dt.datetime.fromtimestamp(exp, dt.UTC) < now:
                raise jwt.ExpiredSignatureError("expired")
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("the token has expired", code=ErrorCode.TOKEN_EXPIRED) from exc
        except (jwt.PyJWTError, ValueError, TypeError) as exc:
            raise Unauthorized("the token is not valid", code=ErrorCode.TOKEN_INVALID) from exc
        role = claims.get("role")
        if role not in ROLES:
            raise Unauthorized("the token carries no known role", code=ErrorCode.TOKEN_INVALID)
        return Principal(
            subject=str(claims["sub"]),
            role=role,
            issuer=_opt(claims.get("issuer")),
            holder_id=_opt(claims.get("holder_id")),
            agency=_opt(claims.get("agency")),
            agency_name=_opt(claims.get("agency_name")),
        )


def _opt(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


class DevIdentityProvider:
    """A local identity provider: an ES256 key in ``home`` and its JWKS."""

    def __init__(self, home: Path, issuer: str, audience: str) -> None:
        self._path = home / "dev-idp-key.pem"
        self.issuer = issuer
        self.audience = audience
        home.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not self._path.exists():
            pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            try:
                fd = os.open(self._path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "wb") as out:
                    out.write(pem)
        key = serialization.load_pem_private_key(self._path.read_bytes(), password=None)
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        self._key = key
        jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(key.public_key()))
        # RFC 7638 thumbprint as the key id.
        members = json.dumps(
            {k: jwk[k] for k in ("crv", "kty", "x", "y")}, separators=(",", ":"), sort_keys=True
        )
        self.kid = jwt.utils.base64url_encode(hashlib.sha256(members.encode()).digest()).decode()
        jwk.update({"kid": self.kid, "use": "sig", "alg": "ES256"})
        self.jwks = {"keys": [jwk]}

    def mint(
        self,
        role: Role,
        now: dt.datetime,
        ttl: dt.timedelta = dt.timedelta(hours=8),
        issuer_code: str | None = None,
        holder_id: str | None = None,
        agency: str | None = None,
        subject: str | None = None,
        agency_name: str | None = None,
    ) -> str:
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": subject or f"dev-{role}-{secrets.token_hex(4)}",
            "role": role,
            "iat": int(now.timestamp()),
            "exp": int((now + ttl).timestamp()),
        }
        for name, value in (
            ("issuer", issuer_code),
            ("holder_id", holder_id),
            ("agency", agency),
            ("agency_name", agency_name),
        ):
            if value:
                claims[name] = value
        return jwt.encode(claims, self._key, algorithm="ES256", headers={"kid": self.kid})
