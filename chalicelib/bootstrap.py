"""Builds the real objects once per process (a warm Lambda reuses them): the
adapters in ``chalicelib.infrastructure``, the services here.

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
from typing import TYPE_CHECKING

from chalicelib.config import Settings
from chalicelib.infrastructure import Infrastructure
from chalicelib.ports import Clock

if TYPE_CHECKING:
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
    from chalicelib.services.officers import OfficerService
    from chalicelib.services.ratelimit import RateLimiter
    from chalicelib.services.receipts import ReceiptService
    from chalicelib.services.revocation import RevocationService
    from chalicelib.services.sealing import Sealer
    from chalicelib.services.signin import SigninService
    from chalicelib.services.tickets import PageTickets
    from chalicelib.services.trust import TrustService
    from chalicelib.services.trustlist import TrustListService
    from chalicelib.services.verifying import VerifyService


class Container(Infrastructure):
    """Every service of docseal over the adapters of ``Infrastructure``, built once."""

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

    @functools.cached_property
    def officers(self) -> OfficerService:
        """Agencies and their officer accounts; also the ``OfficerDirectory``
        sign-in consults."""
        from chalicelib.services.officers import OfficerService

        s = self.storage
        return OfficerService(s.agencies, s.officers, self.clock, self.audit)

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
    def signin(self) -> SigninService:
        from chalicelib.services.signin import SigninService

        return SigninService(
            self.oidc,
            self.claim_mapping,
            self.officers,
            self.storage.hits,
            self.secrets["payload_secret"],
            self.clock,
            self.settings.public_url,
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
