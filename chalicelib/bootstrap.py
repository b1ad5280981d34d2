"""Builds the real objects once per process (a warm Lambda reuses them).

``container()`` reads the settings the first time it is called; tests and the
CLI call ``reset(settings)`` to build a fresh one. Heavy imports (boto3, the
image and PDF libraries) happen only when an object that needs them is
first used, which keeps cold starts and ``import app`` fast.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from chalicelib.config import Settings
from chalicelib.errors import Unavailable
from chalicelib.ports import (
    Authenticator,
    Blobs,
    Clock,
    FileScanner,
    KeyCustody,
    PdfRenderer,
    QrRenderer,
    Repositories,
    Telemetry,
)

if TYPE_CHECKING:
    from chalicelib.adapters.seen import DiskSeen
    from chalicelib.adapters.tokens import DevIdentityProvider
    from chalicelib.services.audit import AuditLog
    from chalicelib.services.desk import DeskService
    from chalicelib.services.doctypes import DocTypeService
    from chalicelib.services.documents import DocumentService
    from chalicelib.services.files import FileVerifyService
    from chalicelib.services.identities import IdentityImport
    from chalicelib.services.issuers import IssuerService
    from chalicelib.services.issuing import IssueService
    from chalicelib.services.keyring import KeyringService
    from chalicelib.services.links import LinkService
    from chalicelib.services.ratelimit import RateLimiter
    from chalicelib.services.receipts import ReceiptService
    from chalicelib.services.revocation import RevocationService
    from chalicelib.services.sealing import Sealer
    from chalicelib.services.tickets import PageTickets
    from chalicelib.services.trust import TrustService
    from chalicelib.services.trustlist import TrustListService
    from chalicelib.services.verifying import VerifyService


class Container:
    def __init__(self, settings: Settings, clock: Clock | None = None) -> None:
        self.settings = settings
        if clock is None:
            from chalicelib.adapters.clock import SystemClock

            clock = SystemClock()
        self.clock = clock

    @functools.cached_property
    def secrets(self) -> dict[str, bytes]:
        s = self.settings
        given = {
            "pepper": s.pepper,
            "keystore_passphrase": s.keystore_passphrase,
            "payload_secret": s.payload_secret,
        }
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
    def sealer(self) -> Sealer:
        from chalicelib.services.sealing import Sealer

        return Sealer(self.secrets["payload_secret"])

    @functools.cached_property
    def tickets(self) -> PageTickets:
        from chalicelib.services.tickets import PageTickets

        return PageTickets(self.secrets["payload_secret"], self.clock)

    @functools.cached_property
    def trust(self) -> TrustService:
        from chalicelib.services.trust import TrustService

        s = self.storage
        return TrustService(s.issuers, s.keys, s.doc_types, self.clock, dt.timedelta(seconds=30))

    @functools.cached_property
    def verifier(self) -> VerifyService:
        from chalicelib.services.status import StoreStatusSource
        from chalicelib.services.verifying import VerifyService

        s = self.storage
        status = StoreStatusSource(s.documents, s.identities, self.secrets["pepper"])
        return VerifyService(
            self.trust, status, self.clock, observer=self.telemetry.verdict, limiter=self.limiter
        )

    @functools.cached_property
    def telemetry(self) -> Telemetry:
        from chalicelib.adapters.telemetry import PowertoolsTelemetry

        return PowertoolsTelemetry()

    @functools.cached_property
    def issuing(self) -> IssueService:
        from chalicelib.services.issuing import IssueService

        s = self.storage
        return IssueService(
            s.issuers,
            s.keys,
            s.documents,
            s.identities,
            s.counters,
            self.custody,
            self.clock,
            self.secrets["pepper"],
            self.sealer,
            self.settings.public_url,
            self.audit,
            doc_types=lambda: self.trust.snapshot().doc_types,
        )

    @functools.cached_property
    def documents(self) -> DocumentService:
        from chalicelib.services.documents import DocumentService

        return DocumentService(
            self.storage.documents,
            self.sealer,
            self.trust,
            self.qr,
            self.pdf,
            self.settings.public_url,
            self.blobs,
        )

    @functools.cached_property
    def scanner(self) -> FileScanner:
        from chalicelib.adapters.scan_worker import IsolatedScanner

        return IsolatedScanner(self.settings.intake)

    @functools.cached_property
    def files(self) -> FileVerifyService:
        from chalicelib.services.files import FileVerifyService

        return FileVerifyService(self.scanner, self.verifier, self.limiter)

    @functools.cached_property
    def issuers(self) -> IssuerService:
        from chalicelib.services.issuers import IssuerService

        return IssuerService(self.storage.issuers, self.trust, self.audit)

    @functools.cached_property
    def doctypes(self) -> DocTypeService:
        from chalicelib.services.doctypes import DocTypeService

        return DocTypeService(self.storage.doc_types, self.trust, self.audit)

    @functools.cached_property
    def revocation(self) -> RevocationService:
        from chalicelib.services.revocation import RevocationService

        return RevocationService(self.storage.documents, self.audit)

    @functools.cached_property
    def keyring(self) -> KeyringService:
        from chalicelib.services.keyring import KeyringService

        s = self.storage
        return KeyringService(
            s.issuers, s.keys, s.documents, self.custody, self.clock, self.trust, self.audit
        )

    @functools.cached_property
    def identities(self) -> IdentityImport:
        from chalicelib.services.identities import IdentityImport

        return IdentityImport(self.storage.identities, self.secrets["pepper"], self.audit)

    def seen(self) -> DiskSeen:
        """A fresh record of the ID numbers one streamed import has met, on
        disk (bounded memory for a file of any size); close it after use."""
        from chalicelib.adapters.seen import DiskSeen

        return DiskSeen()

    def offline_verifier(
        self, jws: str, roots: Mapping[str, bytes], at: dt.datetime | None = None
    ) -> VerifyService:
        """A verifier over an exported trust list alone (checked against the
        pinned ``roots`` as of ``at``, default now): no store, no network."""
        from chalicelib.domain.trustlist import open_trust_list
        from chalicelib.services.verifying import FixedTrust, VerifyService

        offline = open_trust_list(jws, roots, at or self.clock.now())
        return VerifyService(FixedTrust(offline.snapshot), offline, self.clock)

    def offline_files(self, verifier: VerifyService) -> FileVerifyService:
        """Files verified with ``verifier`` (an offline one), not rate-limited."""
        from chalicelib.services.files import FileVerifyService

        return FileVerifyService(self.scanner, verifier)

    @functools.cached_property
    def trustlist(self) -> TrustListService:
        from chalicelib.services.trustlist import TrustListService

        s = self.storage
        return TrustListService(
            s.issuers,
            s.keys,
            s.documents,
            s.doc_types,
            self.custody,
            self.clock,
            self.audit,
        )

    @functools.cached_property
    def audit(self) -> AuditLog:
        from chalicelib.services.audit import AuditLog

        return AuditLog(self.storage.audit, self.clock)

    @functools.cached_property
    def receipts(self) -> ReceiptService:
        from chalicelib.services.receipts import ReceiptService

        return ReceiptService(
            self.storage.keys,
            self.storage.counters,
            self.custody,
            self.issuers,
            self.keyring,
            self.verifier,
            self.clock,
            self.settings.public_url,
        )

    @functools.cached_property
    def desk(self) -> DeskService:
        from chalicelib.services.desk import DeskService

        return DeskService(
            self.verifier, self.files, self.receipts, self.links, self.tickets, self.limiter
        )

    @functools.cached_property
    def links(self) -> LinkService:
        from chalicelib.services.links import LinkService

        s = self.storage
        return LinkService(
            s.documents,
            s.links,
            s.hits,
            self.sealer,
            self.verifier,
            self.clock,
            self.secrets["pepper"],
            self.settings.public_url,
            self.audit,
        )

    @functools.cached_property
    def limiter(self) -> RateLimiter:
        from chalicelib.services.ratelimit import LINKS, VERIFY, RateLimiter

        s = self.settings
        return RateLimiter(
            self.storage.hits,
            self.clock,
            self.secrets["pepper"],
            {LINKS: s.rate_links, VERIFY: s.rate_verify},
        )

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


_lock = threading.Lock()
_container: Container | None = None


def container() -> Container:
    global _container
    with _lock:
        if _container is None:
            _container = Container(Settings.from_env())
        return _container


def reset(settings: Settings | None = None, clock: Clock | None = None) -> Container:
    global _container
    with _lock:
        if _container is not None:
            _container.close()
        _container = Container(settings or Settings.from_env(), clock)
        return _container
