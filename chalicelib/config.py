"""Settings: the one place that reads ``os.environ``.

Local stage (the embedded default): SQLite and an encrypted keystore under
``DOCSEAL_HOME`` (default ``~/.docseal``). Prod stage: DynamoDB, S3 and KMS,
with resource names set by the deployment template.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from chalicelib.domain.intake import IntakeLimits
from chalicelib.errors import Unavailable

DEFAULT_HOME = "~/.docseal"
BACKENDS = ("local", "aws")


@dataclasses.dataclass(frozen=True)
class Settings:
    backend: str = "local"  # "local" or "aws"
    home: Path = dataclasses.field(default_factory=lambda: Path(DEFAULT_HOME).expanduser())
    public_url: str = "http://127.0.0.1:8000"
    # secrets: never in repr (nor in a log line or traceback that prints the settings)
    # HMAC key for ID numbers; local default: generated in home
    pepper: bytes | None = dataclasses.field(default=None, repr=False)
    keystore_passphrase: bytes | None = dataclasses.field(default=None, repr=False)
    # encrypts stored QR texts at rest
    payload_secret: bytes | None = dataclasses.field(default=None, repr=False)
    jwt_issuer: str = "docseal-dev"
    jwt_audience: str = "docseal"
    jwks_file: Path | None = None  # public keys accepted for bearer tokens
    jwks_url: str | None = None  # or an OpenID Connect provider's jwks_uri
    table_name: str = "docseal"
    bucket_name: str = ""
    kms_key_alias_prefix: str = "alias/docseal"
    aws_region: str = "ap-southeast-1"
    aws_endpoint_url: str | None = None
    max_body_bytes: int = 64 * 1024
    # the operator the audit trail names for the CLI (requests name their principal)
    actor: str = "cli"
    # requests per client and minute: share-link openings, and the verify API
    rate_links: int = 60
    rate_verify: int = 600
    intake: IntakeLimits = dataclasses.field(default_factory=IntakeLimits)
    # the bearer token `docseal link` acts with when it is given no --token
    citizen_token: str | None = dataclasses.field(default=None, repr=False)
    # the pages' sign-in: an OpenID Connect provider (discovery from the issuer),
    # this client, and how its claims become a principal (domain/claim_mapping.py)
    oidc_issuer: str | None = None
    oidc_client_id: str = "docseal"
    oidc_client_secret: str | None = dataclasses.field(default=None, repr=False)
    oidc_mapping: str | None = None  # a JSON file's path, or the JSON itself
    # on AWS: the Secrets Manager secret holding the pepper, the payload secret and
    # the OpenID Connect client secret (adapters/aws_secrets.py), which then win
    # over DOCSEAL_PEPPER, DOCSEAL_PAYLOAD_SECRET and DOCSEAL_OIDC_CLIENT_SECRET
    secrets_arn: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings the environment gives; ``Unavailable`` ("docseal is not
        configured: …", HTTP 503, CLI exit 3) for a backend other than
        ``local``/``aws`` or a limit that is not a number above 0."""
        env = os.environ if environ is None else environ

        def secret(name: str) -> bytes | None:
            value = env.get(name)
            return value.encode("utf-8") if value else None

        def number(name: str, default: float, kind: type[int] | type[float] = int) -> Any:
            """A positive whole number (or, for ``float``, a positive finite
            number) from ``name``; anything else is a configuration error."""
            text = env.get(name)
            if text is None:
                return default
            try:
                value = kind(text)
            except ValueError:
                value = None
            if value is None or not math.isfinite(value) or value <= 0:
                words = "a whole number" if kind is int else "a number of seconds"
                raise Unavailable(f"docseal is not configured: {name} must be {words} above 0")
            return value

        backend = env.get("DOCSEAL_BACKEND", "local")
        if backend not in BACKENDS:
            raise Unavailable("docseal is not configured: DOCSEAL_BACKEND is local or aws")
        jwks = env.get("DOCSEAL_JWKS_FILE")
        return cls(
            backend=backend,
            home=Path(env.get("DOCSEAL_HOME", DEFAULT_HOME)).expanduser(),
            public_url=env.get("DOCSEAL_PUBLIC_URL", cls.public_url).rstrip("/"),
            pepper=secret("DOCSEAL_PEPPER"),
            keystore_passphrase=secret("DOCSEAL_KEYSTORE_PASSPHRASE"),
            payload_secret=secret("DOCSEAL_PAYLOAD_SECRET"),
            jwt_issuer=env.get("DOCSEAL_JWT_ISSUER", cls.jwt_issuer),
            jwt_audience=env.get("DOCSEAL_JWT_AUDIENCE", cls.jwt_audience),
            jwks_file=Path(jwks).expanduser() if jwks else None,
            jwks_url=env.get("DOCSEAL_JWKS_URL") or None,
            table_name=env.get("DOCSEAL_TABLE", cls.table_name),
            bucket_name=env.get("DOCSEAL_BUCKET", cls.bucket_name),
            kms_key_alias_prefix=env.get("DOCSEAL_KMS_ALIAS_PREFIX", cls.kms_key_alias_prefix),
            aws_region=env.get("AWS_REGION", env.get("AWS_DEFAULT_REGION", cls.aws_region)),
            aws_endpoint_url=env.get("DOCSEAL_AWS_ENDPOINT_URL") or None,
            actor=env.get("DOCSEAL_ACTOR") or f"cli:{_login()}",
            rate_links=number("DOCSEAL_RATE_LINKS", cls.rate_links),
            rate_verify=number("DOCSEAL_RATE_VERIFY", cls.rate_verify),
            intake=IntakeLimits(
                max_file_bytes=number("DOCSEAL_MAX_FILE_BYTES", 15 * 1024 * 1024),
                max_pixels=number("DOCSEAL_MAX_PIXELS", 40_000_000),
                max_pdf_pages=number("DOCSEAL_MAX_PDF_PAGES", 20),
                seconds=number("DOCSEAL_DECODE_SECONDS", 10.0, float),
            ),
            citizen_token=env.get("DOCSEAL_TOKEN") or None,
            oidc_issuer=(env.get("DOCSEAL_OIDC_ISSUER") or "").rstrip("/") or None,
            oidc_client_id=env.get("DOCSEAL_OIDC_CLIENT_ID") or cls.oidc_client_id,
            oidc_client_secret=env.get("DOCSEAL_OIDC_CLIENT_SECRET") or None,
            oidc_mapping=env.get("DOCSEAL_OIDC_MAPPING") or None,
            secrets_arn=env.get("DOCSEAL_SECRETS_ARN") or None,
        )


def _login() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
