"""The service unit tier: docseal's use cases over the in-memory adapters.

Each test builds the services directly, as ``bootstrap.Container`` does, over
``open_memory()``'s repositories, in-memory key custody that signs with real
P-256 keys and a fixed clock; then it calls one use case and looks at the
outcome through the services' public methods and the repositories. No files,
no moto, no subprocess: the whole tier runs in about a second
(``make test-service``).

``docseal`` is a seeded house: one issuer with an active key, a second issuer
for scope checks, and the three people of ``tests.support.PEOPLE`` in the
identity records. ``bare`` is the same services with nothing stored.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib.adapters.memory import open_memory
from chalicelib.adapters.memory.custody import MemoryCustody
from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.principal import Principal
from chalicelib.errors import DocsealError
from chalicelib.ports import Repositories
from chalicelib.services.audit import AuditLog
from chalicelib.services.doctypes import DocTypeService
from chalicelib.services.identities import IdentityImport
from chalicelib.services.issuers import IssuerService
from chalicelib.services.issuing import Issued, IssueRequest, IssueService
from chalicelib.services.keyring import KeyringService
from chalicelib.services.links import LinkService
from chalicelib.services.ratelimit import LINKS, VERIFY, RateLimiter
from chalicelib.services.revocation import RevocationService
from chalicelib.services.sealing import Sealer
from chalicelib.services.status import StoreStatusSource
from chalicelib.services.trust import TrustService
from chalicelib.services.trustlist import TrustListService
from chalicelib.services.verifying import VerifyService
from tests.support import (
    BIRTH_FIELDS,
    HOLDER_DOB,
    HOLDER_ID,
    HOLDER_NAME,
    PEOPLE,
    T0,
    FixedClock,
)

ISSUER = "UBND-DICHVONGHAU"
WARD = "Ủy ban nhân dân phường Dịch Vọng Hậu"  # ISSUER's name
OTHER_ISSUER = "UBND-NGHIATAN"  # also issues birth registrations: for scope checks
ADMIN = "admin:alice"
PEPPER = b"service-tier pepper"
PUBLIC_URL = "https://docseal.example.vn"
RATE_LIMITS = {LINKS: 3, VERIFY: 5}

NAM = "001090004567"  # Trần Văn Nam, in PEOPLE, active
LAN = "001145003344"  # Đỗ Thị Lan, in PEOPLE, deceased
MARITAL_FIELDS = {
    "marital_status": "Chưa kết hôn",
    "residence": "Cầu Giấy, Hà Nội",
    "purpose": "Đăng ký kết hôn",
    "registration_no": "88/2026",
    "registrar": "Nguyễn Thị Thu Hà",
}


@dataclasses.dataclass
class Docseal:
    """Every service over one set of in-memory adapters, and the adapters."""

    clock: FixedClock
    repos: Repositories
    custody: MemoryCustody
    audit: AuditLog
    trust: TrustService
    verifier: VerifyService
    issuing: IssueService
    issuers: IssuerService
    doctypes: DocTypeService
    revocation: RevocationService
    keyring: KeyringService
    identities: IdentityImport
    links: LinkService
    trustlist: TrustListService
    limiter: RateLimiter
    verdicts: list[tuple[str, tuple[str, ...]]]  # what the verdict observer heard

    def trail(self) -> list[AuditEntry]:
        return list(self.audit.entries())

    def actions(self) -> list[str]:
        return [entry.action for entry in self.trail()]

    def later(self, **kw: float) -> dt.datetime:
        self.clock.advance(**kw)
        return self.clock.now()


def build(clock: FixedClock) -> Docseal:
    """The services wired as ``bootstrap.Container`` wires them."""
    repos = open_memory()
    custody = MemoryCustody()
    sealer = Sealer(b"service-tier payload secret")
    audit = AuditLog(repos.audit, clock)
    trust = TrustService(
        repos.issuers, repos.keys, repos.doc_types, clock, dt.timedelta(seconds=30)
    )
    verdicts: list[tuple[str, tuple[str, ...]]] = []
    verifier = VerifyService(
        trust,
        StoreStatusSource(repos.documents, repos.identities, PEPPER),
        clock,
        observer=lambda verdict, reasons: verdicts.append((verdict, reasons)),
    )
    issuing = IssueService(
        repos.issuers,
        repos.keys,
        repos.documents,
        repos.identities,
        repos.counters,
        custody,
        clock,
        PEPPER,
        sealer,
        PUBLIC_URL,
        doc_types=lambda: trust.snapshot().doc_types,
        audit=audit,
    )
    issuers = IssuerService(repos.issuers, trust, audit)
    doctypes = DocTypeService(repos.doc_types, trust, audit)
    revocation = RevocationService(repos.documents, audit)
    keyring = KeyringService(
        repos.issuers, repos.keys, repos.documents, custody, clock, trust, audit
    )
    identities = IdentityImport(repos.identities, PEPPER, audit)
    links = LinkService(
        repos.documents,
        repos.links,
        repos.hits,
        sealer,
        verifier,
        clock,
        PEPPER,
        PUBLIC_URL,
        audit=audit,
    )
    trustlist = TrustListService(
        repos.issuers, repos.keys, repos.documents, repos.doc_types, custody, clock, audit
    )
    limiter = RateLimiter(repos.hits, clock, PEPPER, dict(RATE_LIMITS))
    return Docseal(
        clock,
        repos,
        custody,
        audit,
        trust,
        verifier,
        issuing,
        issuers,
        doctypes,
        revocation,
        keyring,
        identities,
        links,
        trustlist,
        limiter,
        verdicts,
    )


@pytest.fixture
def bare() -> Docseal:
    """The services with nothing stored, at ``T0``."""
    return build(FixedClock(T0))


@pytest.fixture
def docseal(bare: Docseal) -> Docseal:
    """Two issuers of birth registrations, each with an active key made at
    ``T0``; three people; the clock a minute on (keys sign only after they
    were made)."""
    bare.issuers.add_issuer(
        ISSUER,
        WARD,
        "People's Committee of Dich Vong Hau Ward",
        ["birth-registration", "marital-status"],
        "Hà Nội",
        actor=ADMIN,
    )
    bare.issuers.add_issuer(
        OTHER_ISSUER, "Ủy ban nhân dân phường Nghĩa Tân", "", ["birth-registration"], actor=ADMIN
    )
    bare.keyring.create_key(ISSUER, actor=ADMIN)
    bare.keyring.create_key(OTHER_ISSUER, actor=ADMIN)
    bare.identities.import_identities(PEOPLE, actor=ADMIN)
    bare.clock.advance(minutes=1)
    return bare


# Requests and callers --------------------------------------------------------


def birth(**changes: Any) -> IssueRequest:
    """A birth registration for ``HOLDER_ID``, as ``ISSUER`` asks for it."""
    base = IssueRequest(
        issuer=ISSUER,
        type="birth-registration",
        holder_id=HOLDER_ID,
        holder_name=HOLDER_NAME,
        holder_dob=HOLDER_DOB,
        fields=dict(BIRTH_FIELDS),
    )
    return dataclasses.replace(base, **changes)


def issue(docseal: Docseal, **changes: Any) -> Issued:
    return docseal.issuing.issue(birth(**changes), actor="issuer:clerk")


def citizen(holder_id: str = HOLDER_ID) -> Principal:
    return Principal(f"citizen:{holder_id[-4:]}", "citizen", holder_id=holder_id)


def officer(agency: str = "CA-HANOI", name: str = "Công an Hà Nội") -> Principal:
    return Principal("officer:1", "verifier", agency=agency, agency_name=name)


def active_key(docseal: Docseal, issuer: str = ISSUER) -> str:
    """The kid of the issuer's active key."""
    (kid,) = [k.kid for k in docseal.keyring.list_keys(issuer) if k.status == "active"]
    return kid


@contextlib.contextmanager
def refused(code: str) -> Iterator[pytest.ExceptionInfo[DocsealError]]:
    """The block raises a ``DocsealError`` with this ``code``."""
    with pytest.raises(DocsealError) as info:
        yield info
    assert info.value.code == code, info.value.message
