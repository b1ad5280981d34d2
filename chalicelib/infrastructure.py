"""The adapters one process uses, chosen by ``Settings.backend``: SQLite, the
encrypted keystore and a directory locally; DynamoDB, KMS and S3 on AWS.

``Infrastructure`` is the part of ``bootstrap.Container`` that touches the
outside world (the secrets, storage, key custody, blobs, the file scanner,
renderers, telemetry and token checking); the container adds the services on
top. Each adapter is built when first used, so heavy imports (boto3, the image
and PDF libraries) stay out of cold starts that do not need them.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from chalicelib.config import Settings
from chalicelib.errors import Unavailable
from chalicelib.ports import (
    Authenticator,
    Blobs,
    Clock,
    FileScanner,
    KeyCustody,
    OpenIdProvider,
    PdfRenderer,
    QrRenderer,
    Repositories,
    Telemetry,
)

if TYPE_CHECKING:
    from chalicelib.adapters.aws_secrets import DeploymentSecrets
    from chalicelib.adapters.seen import DiskSeen
    from chalicelib.adapters.tokens import DevIdentityProvider
    from chalicelib.domain.claim_mapping import ClaimMapping


class Infrastructure:
    def __init__(self, settings: Settings, clock: Clock | None = None) -> None:
        self.settings = settings
        if clock is None:
            from chalicelib.adapters.clock import SystemClock

            clock = SystemClock()
        self.clock = clock

    @functools.cached_property
    def deployment_secrets(self) -> DeploymentSecrets | None:
        """The secrets stored in AWS Secrets Manager (``DOCSEAL_SECRETS_ARN``),
        read once per process, i.e. once per Lambda cold start; None without
        one. A failed read is ``Unavailable`` and is tried again next time."""
        arn = self.settings.secrets_arn
        if not arn:
            return None
        from chalicelib.adapters.aws_secrets import SecretsManagerSecrets

        return SecretsManagerSecrets(self._aws_client("secretsmanager"), arn).read()

    @functools.cached_property
    def secrets(self) -> dict[str, bytes]:
        s = self.settings
        given = {
            "pepper": s.pepper,
            "keystore_passphrase": s.keystore_passphrase,
            "payload_secret": s.payload_secret,
        }
        stored = self.deployment_secrets
        if stored is not None:  # the secret wins over the environment
            given.update(pepper=stored.pepper, payload_secret=stored.payload_secret)
        if s.backend != "local":
            del given["keystore_passphrase"]  # KMS holds the keys on AWS
        if all(given.values()):
            return {k: v for k, v in given.items() if v}
        if s.backend != "local":
            missing = ", ".join(f"DOCSEAL_{k.upper()}" for k, v in given.items() if not v)
            raise Unavailable(f"docseal is not configured: set {missing}")
        from chalicelib.adapters.local_secrets import load_or_create

        generated = load_or_create(s.home)
        return {k: v or generated[k] for k, v in given.items()}

    @functools.cached_property
    def storage(self) -> Repositories:
        if self.settings.backend == "aws":
            from chalicelib.adapters.dynamodb import open_dynamodb

            return open_dynamodb(self.settings.table_name, self._aws_client("dynamodb"))
        from chalicelib.adapters.sqlite import open_sqlite

        return open_sqlite(self.settings.home / "docseal.sqlite3")

    @functools.cached_property
    def custody(self) -> KeyCustody:
        if self.settings.backend == "aws":
            from chalicelib.adapters.kms_custody import KmsCustody

            return KmsCustody(self._aws_client("kms"), self.settings.kms_key_alias_prefix)
        from chalicelib.adapters.local_keystore import LocalKeystore

        return LocalKeystore(self.settings.home / "keystore", self.secrets["keystore_passphrase"])

    @functools.cached_property
    def blobs(self) -> Blobs:
        if self.settings.backend == "aws":
            from chalicelib.adapters.s3_blobs import S3Blobs

            return S3Blobs(self.settings.bucket_name, self._aws_client("s3"))
        from chalicelib.adapters.local_blobs import LocalBlobs

        return LocalBlobs(self.settings.home / "files")

    def close(self) -> None:
        """Stop the scanning worker process, if one was started."""
        scanner = self.__dict__.get("scanner")
        if scanner is not None:
            scanner.close()

    def _aws_client(self, service: str) -> Any:
        """One client per service and process. Throttling and 5xx answers are
        retried by botocore's standard mode (3 attempts, jittered backoff);
        timeouts leave room for those retries inside API Gateway's 29 s."""
        import boto3
        from botocore.config import Config

        return boto3.client(
            service,
            region_name=self.settings.aws_region,
            endpoint_url=self.settings.aws_endpoint_url,
            config=Config(
                retries={"mode": "standard", "total_max_attempts": 3},
                connect_timeout=2,
                read_timeout=5,
            ),
        )

    @functools.cached_property
    def qr(self) -> QrRenderer:
        from chalicelib.adapters.qr_image import QrCodeRenderer

        return QrCodeRenderer()

    @functools.cached_property
    def pdf(self) -> PdfRenderer:
        from chalicelib.adapters.pdf_render import FpdfResultRenderer

        return FpdfResultRenderer()

    @functools.cached_property
    def telemetry(self) -> Telemetry:
        from chalicelib.adapters.telemetry import PowertoolsTelemetry

        return PowertoolsTelemetry()

    @functools.cached_property
    def scanner(self) -> FileScanner:
        from chalicelib.adapters.scan_worker import IsolatedScanner

        return IsolatedScanner(self.settings.intake)

    def seen(self) -> DiskSeen:
        """A fresh record of the ID numbers one streamed import has met, on
        disk (bounded memory for a file of any size); close it after use."""
        from chalicelib.adapters.seen import DiskSeen

        return DiskSeen()

    @functools.cached_property
    def dev_idp(self) -> DevIdentityProvider:
        from chalicelib.adapters.tokens import DevIdentityProvider

        s = self.settings
        return DevIdentityProvider(s.home, s.jwt_issuer, s.jwt_audience)

    @functools.cached_property
    def tokens(self) -> Authenticator:
        import json

        from chalicelib.adapters.tokens import TokenVerifier

        s = self.settings
        jwks: dict[str, Any] | None = None
        if s.jwks_file is not None:
            jwks = json.loads(s.jwks_file.read_text())
        elif s.backend == "local" and not s.jwks_url:
            jwks = self.dev_idp.jwks
        elif not s.jwks_url:
            raise Unavailable(
                "docseal is not configured: set DOCSEAL_JWKS_URL (or DOCSEAL_JWKS_FILE)"
            )
        return TokenVerifier(jwks, s.jwt_issuer, s.jwt_audience, s.jwks_url)

    @functools.cached_property
    def oidc(self) -> OpenIdProvider | None:
        """The pages' OpenID Connect provider; None when none is configured."""
        s = self.settings
        if not s.oidc_issuer:
            return None
        from chalicelib.adapters.oidc_client import OidcClient

        return OidcClient(s.oidc_issuer, s.oidc_client_id, self.oidc_client_secret)

    @property
    def oidc_client_secret(self) -> str | None:
        """None for a public client (PKCE alone); from Secrets Manager on AWS."""
        stored = self.deployment_secrets
        if stored is not None and stored.oidc_client_secret:
            return stored.oidc_client_secret
        return self.settings.oidc_client_secret

    @functools.cached_property
    def claim_mapping(self) -> ClaimMapping:
        """``DOCSEAL_OIDC_MAPPING``: the JSON itself, or a file holding it."""
        from pathlib import Path

        from chalicelib.domain.claim_mapping import parse_mapping

        given = (self.settings.oidc_mapping or "").strip()
        if given and not given.startswith("{"):
            try:
                given = Path(given).expanduser().read_text(encoding="utf-8")
            except OSError as exc:
                raise Unavailable(
                    f"docseal is not configured: DOCSEAL_OIDC_MAPPING cannot be read ({exc})"
                ) from None
        return parse_mapping(given)
