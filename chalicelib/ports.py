"""Ports: the Protocols services and routes depend on. Adapters implement them.

Each port has one contract test suite (tests/contract/) that every adapter
runs: memory, SQLite and DynamoDB for each repository, the local keystore and
AWS KMS for ``KeyCustody``, a directory and S3 for ``Blobs``.

``StatusSource`` is declared in the domain (the pure verifier takes one) and
named here with the rest; the domain never imports this module.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from typing import Protocol

from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.catalogue import DocType
from chalicelib.domain.intake import ScanResult
from chalicelib.domain.models import (
    DocumentRecord,
    IdempotencyRecord,
    IdentityRecord,
    Issuer,
    LinkView,
    ShareLink,
    SigningKey,
)
from chalicelib.domain.officers import Agency, OfficerAccount
from chalicelib.domain.principal import Principal
from chalicelib.domain.trust import TrustSnapshot
from chalicelib.domain.verify import StatusSource

__all__ = [
    "AgencyRepository",
    "AuditRepository",
    "Authenticator",
    "Blobs",
    "Clock",
    "Counters",
    "CustodyKey",
    "DocTypeRepository",
    "DocumentRepository",
    "FileScanner",
    "HitCounter",
    "IdentityRepository",
    "IssuerRepository",
    "KeyCustody",
    "KeyRepository",
    "LinkRepository",
    "OfficerDirectory",
    "OfficerRepository",
    "OpenIdProvider",
    "PdfRenderer",
    "QrRenderer",
    "Repositories",
    "Seen",
    "SignedIn",
    "StatusSource",
    "Telemetry",
    "TrustSource",
    "VerdictObserver",
]


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current time, timezone-aware UTC."""
        ...


# Repositories: one per aggregate, each with the slice of storage its services
# use. Creation methods are conditional: they raise ``Conflict`` rather than
# overwrite. Adapters translate their backend's failures into ``Unavailable``.


class IssuerRepository(Protocol):
    """The issuers of the trust framework."""

    def create_issuer(self, issuer: Issuer) -> None: ...
    def save_issuer(self, issuer: Issuer) -> None: ...
    def get_issuer(self, code: str) -> Issuer | None: ...
    def list_issuers(self) -> list[Issuer]:
        """Every issuer, by code."""
        ...


class KeyRepository(Protocol):
    """Signing keys. An issuer (the trust-list root included, as ``TRUST-ROOT``)
    has at most one active key, and the repository itself keeps it so: checks a
    service made a moment earlier prove nothing under concurrent administrators
    (the rule is ``domain.models.claims_active`` / ``releases_active``)."""

    def create_key(self, key: SigningKey) -> None:
        """Record a new key in one conditional write. ``Conflict`` with code
        ``KEY_ALREADY_ACTIVE`` if ``key`` is active and its issuer already has
        an active key (of N creations at once exactly one wins), ``Conflict``
        if its kid is recorded; a refused key leaves nothing stored."""
        ...

    def replace_key(self, key: SigningKey, *, expected_status: str) -> None:
        """Overwrite ``key`` only if the stored one still has ``expected_status``
        (else ``Conflict``): two administrators cannot both rotate a key. A key
        that stops being active frees its issuer for a new one; a key made
        active again is held to the rule of ``create_key``."""
        ...

    def get_key(self, kid: str) -> SigningKey | None: ...
    def list_keys(self, issuer: str | None = None) -> list[SigningKey]:
        """Every key, or one issuer's, by issuer and kid."""
        ...


class DocumentRepository(Protocol):
    """Issued documents, and the idempotency keys of their issuance."""

    def create_document(self, doc: DocumentRecord) -> None: ...
    def get_document(self, doc_id: str) -> DocumentRecord | None: ...
    def save_document(self, doc: DocumentRecord, *, expected_status: str | None = None) -> None:
        """Overwrite a stored document (its status changes); ``NotFound`` if absent.
        With ``expected_status``, only if the stored one still has that status
        (else ``Conflict``): of two revocations at once, one wins."""
        ...

    def list_documents(self, holder_ref: str) -> list[DocumentRecord]:
        """A holder's documents, newest first."""
        ...

    def list_documents_by_key(self, kid: str) -> list[DocumentRecord]:
        """The documents a key signed, oldest first, those of the same second by
        id (to re-issue them)."""
        ...

    def claim_idempotency(self, record: IdempotencyRecord) -> IdempotencyRecord:
        """Store ``record`` if (scope, key) is new and return it; otherwise
        return the record already stored."""
        ...


class IdentityRepository(Protocol):
    """Identity records, keyed by the HMAC of the ID number."""

    def put_identities(self, records: Sequence[IdentityRecord]) -> None:
        """Insert or replace each record; of two for one holder the last wins."""
        ...

    def get_identity(self, holder_ref: str) -> IdentityRecord | None: ...


class LinkRepository(Protocol):
    """Share links and the log of their views. Records carry their expiry and
    are dropped after ``domain.retention``'s times (DynamoDB's TTL; SQLite and
    memory sweep on writes)."""

    def create_link(self, link: ShareLink) -> None: ...
    def get_link(self, link_id: str) -> ShareLink | None: ...
    def find_link(self, token_hash: str) -> ShareLink | None: ...
    def list_links(self, holder_ref: str) -> list[ShareLink]:
        """A holder's links, newest first."""
        ...

    def claim_view(self, link_id: str, now: dt.datetime) -> ShareLink | None:
        """Count one view if the link is usable at ``now`` (not revoked, not
        expired, under ``max_views``), atomically; the updated link, or None."""
        ...

    def revoke_link(self, link_id: str, now: dt.datetime) -> None:
        """Mark the link revoked at ``now``; a revoked or unknown link is left as it is."""
        ...

    def add_view(self, view: LinkView) -> None: ...
    def list_views(self, link_id: str) -> list[LinkView]:
        """A link's views, newest first."""
        ...


class AuditRepository(Protocol):
    """The audit trail (hash-chained; see domain/audit.py)."""

    def append_audit(self, entry: AuditEntry) -> None:
        """Add the entry with its ``seq``; ``Conflict`` if that seq is taken."""
        ...

    def last_audit(self) -> AuditEntry | None: ...
    def list_audit(self, after: int = 0, limit: int = 100) -> list[AuditEntry]:
        """Entries with seq > ``after``, oldest first, at most ``limit``."""
        ...


class HitCounter(Protocol):
    """Counts for rate limits, shared by every process."""

    def count_hit(self, bucket: str, expires_at: dt.datetime) -> int:
        """Count one request in ``bucket`` (a client and a time window) and
        return the bucket's count so far; the bucket is dropped after
        ``expires_at``."""
        ...


class DocTypeRepository(Protocol):
    """Document types defined by administrators (over the built-in catalogue),
    and the acceptance note per type (the legal basis an admin cites)."""

    def save_doc_type(self, doc_type: DocType) -> None: ...
    def list_doc_types(self) -> list[DocType]:
        """Every defined type, by code."""
        ...

    def save_type_note(self, doc_type: str, note_vi: str, note_en: str) -> None:
        """Set (or, with empty texts, clear) the note shown with ``doc_type``."""
        ...

    def list_type_notes(self) -> dict[str, tuple[str, str]]: ...


class Counters(Protocol):
    """Named counters (the next index in a status list)."""

    def next_counter(self, name: str) -> int:
        """Atomically increment and return the counter ``name`` (first call: 0)."""
        ...


class AgencyRepository(Protocol):
    """The verifying agencies administrators keep (issue 14)."""

    def create_agency(self, agency: Agency) -> None:
        """Store a new agency; ``Conflict`` if its code is taken."""
        ...

    def get_agency(self, code: str) -> Agency | None: ...
    def list_agencies(self) -> list[Agency]:
        """Every agency, by code."""
        ...


class OfficerRepository(Protocol):
    """Officer accounts, one per provider subject across every agency."""

    def create_officer(self, account: OfficerAccount) -> None:
        """Store a new account; ``Conflict`` if its subject has one (in any agency)."""
        ...

    def replace_officer(self, account: OfficerAccount, *, expected_status: str) -> None:
        """Overwrite the account of ``account.subject`` only if the stored one
        is of the same agency and still has ``expected_status`` (else
        ``Conflict``): of two disablings at once, one wins. ``NotFound`` if
        there is no such account."""
        ...

    def get_officer(self, subject: str) -> OfficerAccount | None:
        """The account of ``subject``, read consistently: a disabling is seen
        by the next request."""
        ...

    def list_officers(self, agency: str | None = None) -> list[OfficerAccount]:
        """Every account, or one agency's, by agency and subject."""
        ...


@dataclasses.dataclass(frozen=True)
class Repositories:
    """One backend's repositories, built together over one connection or table
    (``adapters.sqlite.open_sqlite``, ``adapters.dynamodb.open_dynamodb``,
    ``adapters.memory.open_memory``)."""

    backend: str  # "sqlite", "dynamodb" or "memory"
    issuers: IssuerRepository
    keys: KeyRepository
    documents: DocumentRepository
    identities: IdentityRepository
    links: LinkRepository
    audit: AuditRepository
    hits: HitCounter
    doc_types: DocTypeRepository
    counters: Counters
    agencies: AgencyRepository
    officers: OfficerRepository


@dataclasses.dataclass(frozen=True)
class CustodyKey:
    ref: str
    public_key_der: bytes


class KeyCustody(Protocol):
    """Holds private signing keys; never hands them out."""

    name: str

    def create_key(self, label: str) -> CustodyKey: ...

    def adopt(self, ref: str) -> CustodyKey:
        """A key already in custody, such as the root key the deployment template
        made: its canonical ref and public key (``NotFound`` if there is none,
        ``BadRequest`` if it cannot sign ES256)."""
        ...

    def sign(self, ref: str, message: bytes) -> bytes:
        """ES256 over ``message``; returns the raw 64-byte ``r || s``."""
        ...

    def public_key(self, ref: str) -> bytes:
        """SubjectPublicKeyInfo DER of the key ``ref``."""
        ...


class Blobs(Protocol):
    """Where generated files such as result PDFs are kept.

    Keys are relative paths of ``[A-Za-z0-9_.-]`` segments joined by ``/``
    (``pdf/{doc_id}.pdf``); any other key is ``BadRequest`` (the rule is
    ``domain.blobkeys.check_key``). A failure of the backing service raises
    ``Unavailable``."""

    def get(self, key: str) -> bytes | None:
        """The stored bytes, or None when nothing is stored under ``key``."""
        ...

    def put(self, key: str, body: bytes, content_type: str) -> None:
        """Store ``body`` under ``key``, replacing what was there, all or nothing."""
        ...


class QrRenderer(Protocol):
    def png(self, url_part: str, payload_part: str) -> bytes: ...

    def version(self, url_part: str, payload_part: str) -> int: ...


class PdfRenderer(Protocol):
    def result_pdf(self, view: dict[str, object], qr_png: bytes) -> bytes: ...


class FileScanner(Protocol):
    """Finds the QR codes in an uploaded image or PDF (raises ``FileRefused``)."""

    def scan(self, data: bytes) -> ScanResult: ...

    def decoders(self) -> tuple[str, ...]: ...

    def close(self) -> None: ...


class Seen(Protocol):
    """What a streamed import remembers of the rows it has read (on disk: the
    file may not fit in memory)."""

    def remember(self, key: str, value: str) -> str | None:
        """Remember ``value`` under ``key``; the value remembered before, if any."""
        ...


class TrustSource(Protocol):
    """The trust snapshot a verification uses (live and cached, or fixed offline)."""

    def snapshot(self) -> TrustSnapshot: ...


class Authenticator(Protocol):
    """Who a request's bearer token names (an OpenID Connect provider's, or the
    development one's)."""

    def principal(self, authorization: str | None, now: dt.datetime) -> Principal:
        """The principal of an ``Authorization: Bearer`` header value.
        ``Unauthorized`` (TOKEN_MISSING, TOKEN_INVALID, TOKEN_EXPIRED) for no
        or a bad token, ``Unavailable`` when the provider's keys cannot be fetched."""
        ...


class OfficerDirectory(Protocol):
    """The officer accounts administrators keep per agency (issue 14): who may
    act for which verifying agency."""

    def officer_agency(self, subject: str) -> tuple[str, str] | None:
        """``(agency code, agency name)`` of the active officer account whose
        provider subject is ``subject``; None when there is none or it is
        disabled (a disabled officer's next request is refused)."""
        ...


@dataclasses.dataclass(frozen=True)
class SignedIn:
    """What an OpenID Connect provider said at the end of a sign-in: the ID
    token's claims, once its signature, issuer, audience, expiry and nonce
    have been checked, and the token itself (the hint for signing out)."""

    claims: dict[str, object]
    id_token: str


class OpenIdProvider(Protocol):
    """The OpenID Connect provider the pages sign in with (authorization code
    flow with PKCE). ``Unavailable`` (SIGNIN_UNAVAILABLE) when it cannot be
    reached; ``Unauthorized`` (SIGNIN_FAILED, ID_TOKEN_INVALID) when it
    refuses the code or its ID token does not verify."""

    def authorization_url(
        self, *, redirect_uri: str, state: str, nonce: str, code_challenge: str
    ) -> str: ...

    def exchange(
        self, *, code: str, redirect_uri: str, code_verifier: str, nonce: str, now: dt.datetime
    ) -> SignedIn:
        """Trade the code for tokens and return the verified ID token's claims."""
        ...

    def end_session_url(self, *, id_token_hint: str, post_logout_redirect_uri: str) -> str | None:
        """Where to send the browser to end the provider's session too, if it
        offers an ``end_session_endpoint``."""
        ...


# (verdict "VALID" or "INVALID", its reason codes): what a verification reports;
# see chalicelib/adapters/telemetry.py for why verdicts are counted where they are made.
VerdictObserver = Callable[[str, tuple[str, ...]], None]


@dataclasses.dataclass(frozen=True)
class Served:
    """One answered request, as it may be logged: no path, query, header or body."""

    method: str
    route: str  # the route template, e.g. "/s/{token}"; the real path carries secrets
    status: int
    duration_ms: float
    error_code: str | None = None


class Telemetry(Protocol):
    """What docseal tells its operators, with no personal data (the design:
    chalicelib/adapters/telemetry.py)."""

    def request(self, correlation_id: str) -> AbstractContextManager[None]:
        """The scope of one request: its log lines carry the correlation id,
        and verdicts reported inside it are counted."""
        ...

    def served(self, served: Served) -> None:
        """The request's log line, and its error-code count if it failed."""
        ...

    def verdict(self, verdict: str, reasons: tuple[str, ...]) -> None: ...
