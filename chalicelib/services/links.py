"""Citizens' documents and the links they share them by.

A link is a secret token (192 bits from ``secrets``) in ``/s/<token>``; only
its SHA-256 is stored. Every opening verifies the document again, so a
revocation or a superseding result shows at once, and is counted by one
conditional update (``max_views`` holds under parallel requests) and logged
for the citizen with a coarse device description and, for a signed-in
officer, the agency. Unknown, expired, revoked and used-up links get one
answer, after the same store work.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import re
import secrets
from typing import Any

from chalicelib.domain import claims, cose, qrtext
from chalicelib.domain.catalogue import RECEIPT_TYPE, DocType
from chalicelib.domain.claims import SignedDocument
from chalicelib.domain.idnumber import check_shape, holder_ref
from chalicelib.domain.models import DocumentRecord, LinkView, ShareLink
from chalicelib.domain.principal import Principal
from chalicelib.domain.retention import MAX_LINK_LIFETIME
from chalicelib.domain.verify import Verdict
from chalicelib.domain.views import iso
from chalicelib.errors import (
    BadRequest,
    DocsealError,
    Forbidden,
    LinkUnavailable,
    NotFound,
    ValidationFailed,
)
from chalicelib.ports import Clock, DocumentRepository, HitCounter, LinkRepository
from chalicelib.services.audit import AuditLog
from chalicelib.services.sealing import Sealer
from chalicelib.services.verifying import VerifyService

DEFAULT_EXPIRY = dt.timedelta(days=7)
MAX_EXPIRY = MAX_LINK_LIFETIME
MAX_VIEWS = 1000
MAX_RECIPIENT = 120
SEEN_FOR = dt.timedelta(hours=1)  # one counted view per browser, link and hour
MAX_HOLDER_CHECKS = 5  # numbers compared with a link's holder, in the link's life
HOLDER_CHECK = "đối chiếu số định danh / holder check"


class HolderChecksUsedUp(DocsealError):
    """A share link whose holder checks are used up: each one tells whether a
    number is the holder's, so they are few."""

    code = "HOLDER_CHECKS_USED_UP"
    http_status = 429

    def __init__(self) -> None:
        super().__init__(
            f"this link has had its {MAX_HOLDER_CHECKS} holder checks: ask for a new link"
        )


TOKEN_BYTES = 24  # 192 bits; 32 URL-safe characters
_DURATION = re.compile(r"([1-9][0-9]{0,6})([smhd])")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_TOKEN_CHARS = re.compile(r"[A-Za-z0-9_-]{32}")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def parse_expires_in(value: Any) -> dt.timedelta:
    """Seconds as a number, or "90m", "12h", "3d"; more than zero, at most 30 days."""
    if value is None:
        return DEFAULT_EXPIRY
    if isinstance(value, bool):
        raise ValidationFailed("expires_in must be a number of seconds", code="INVALID_EXPIRY")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str) and (m := _DURATION.fullmatch(value.strip())):
        seconds = float(int(m.group(1)) * _UNITS[m.group(2)])
    elif isinstance(value, str) and value.strip().isdigit():
        seconds = float(value.strip())
    else:
        raise ValidationFailed(
            "expires_in is seconds, or a duration like 90m, 12h, 3d", code="INVALID_EXPIRY"
        )
    if not seconds > 0 or seconds != seconds:  # zero, negative or NaN
        raise ValidationFailed("expires_in must be more than zero", code="INVALID_EXPIRY")
    if seconds > MAX_EXPIRY.total_seconds():
        raise ValidationFailed("a link lasts at most 30 days", code="INVALID_EXPIRY")
    return dt.timedelta(seconds=int(seconds))


def parse_max_views(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_VIEWS:
        raise ValidationFailed(
            f"max_views is a whole number from 1 to {MAX_VIEWS}", code="INVALID_MAX_VIEWS"
        )
    return value


@dataclasses.dataclass(frozen=True)
class CreatedLink:
    link: ShareLink
    url: str  # shown once: the token is not stored


@dataclasses.dataclass(frozen=True)
class OpenedLink:
    """What a viewer may see of a link: its verdict, to be shown with only
    the link's disclosed fields. The QR text is not here: it would disclose
    every field and the full ID number."""

    link: ShareLink
    verdict: Verdict
    seen: str = ""  # the mark that makes this browser's next hour of views free


class LinkService:
    def __init__(
        self,
        documents: DocumentRepository,
        links: LinkRepository,
        hits: HitCounter,
        sealer: Sealer,
        verifier: VerifyService,
        clock: Clock,
        pepper: bytes,
        public_url: str,
        audit: AuditLog | None = None,
    ) -> None:
        self._audit = audit
        self._documents = documents
        self._links = links
        self._hits = hits
        self._sealer = sealer
        self._verifier = verifier
        self._clock = clock
        self._pepper = pepper
        self._public_url = public_url.rstrip("/")

    # The citizen's side ------------------------------------------------------

    def owner(self, principal: Principal) -> str:
        """The signed-in citizen's holder reference."""
        if principal.role != "citizen" or not principal.holder_id:
            raise Forbidden("this is for the citizen who holds the documents", code="WRONG_ROLE")
        try:
            check_shape(principal.holder_id)
        except DocsealError as exc:
            raise Forbidden("the token names no valid ID number", code="WRONG_ROLE") from exc
        return holder_ref(principal.holder_id, self._pepper)

    def my_documents(self, principal: Principal) -> list[DocumentRecord]:
        return [
            d
            for d in self._documents.list_documents(self.owner(principal))
            if d.type != RECEIPT_TYPE
        ]

    def my_document(self, principal: Principal, doc_id: str) -> DocumentRecord:
        record = self._documents.get_document(doc_id) if claims.is_doc_id(doc_id) else None
        if record is None or record.holder_ref != self.owner(principal):
            raise NotFound("no such document", code="DOCUMENT_NOT_FOUND")
        return record

    def qr_text(self, record: DocumentRecord) -> str:
        return self._sealer.open(record.id, record.sealed_qr)

    def signed(self, record: DocumentRecord) -> SignedDocument:
        # docseal signed this text itself: read without verifying again
        return claims.parse(cose.parse(qrtext.decode(self.qr_text(record))).payload)

    def create(
        self,
        principal: Principal,
        doc_id: str,
        *,
        expires_in: Any = None,
        max_views: Any = None,
        recipient: Any = None,
        disclose: Any = None,
    ) -> CreatedLink:
        record = self.my_document(principal, doc_id)
        lifetime = parse_expires_in(expires_in)
        views = parse_max_views(max_views)
        if recipient is not None and not isinstance(recipient, str):
            raise BadRequest("recipient must be text")
        label = " ".join((recipient or "").split())
        if len(label) > MAX_RECIPIENT:
            raise ValidationFailed(
                f"recipient is at most {MAX_RECIPIENT} characters", code="INVALID_FIELD_VALUE"
            )
        fields = tuple(self.signed(record).fields)
        chosen = self._disclosed(disclose, fields)
        now = self._clock.now().replace(microsecond=0)
        token = secrets.token_urlsafe(TOKEN_BYTES)
        link = ShareLink(
            id=claims.doc_id_text(secrets.token_bytes(16)),
            token_hash=token_hash(token),
            doc_id=record.id,
            holder_ref=record.holder_ref,
            created_at=now,
            expires_at=now + lifetime,
            disclose=chosen,
            recipient=label,
            max_views=views,
        )
        self._links.create_link(link)
        if self._audit is not None:  # the citizen is named by nothing that identifies them
            self._audit.record(
                "citizen",
                "link.create",
                link.id,
                {"document": record.id, "until": iso(link.expires_at)},
            )
        return CreatedLink(link, f"{self._public_url}/s/{token}")

    def my_links(self, principal: Principal) -> list[tuple[ShareLink, list[LinkView]]]:
        return [
            (link, self._links.list_views(link.id))
            for link in self._links.list_links(self.owner(principal))
        ]

    def my_link(self, principal: Principal, link_id: str) -> ShareLink:
        link = self._links.get_link(link_id) if claims.is_doc_id(link_id) else None
        if link is None or link.holder_ref != self.owner(principal):
            raise NotFound("no such link", code="LINK_NOT_FOUND")
        return link

    def views(self, principal: Principal, link_id: str) -> list[LinkView]:
        return self._links.list_views(self.my_link(principal, link_id).id)

    def revoke(self, principal: Principal, link_id: str) -> ShareLink:
        link = self.my_link(principal, link_id)
        self._links.revoke_link(link.id, self._clock.now().replace(microsecond=0))
        if self._audit is not None:
            self._audit.record("citizen", "link.revoke", link.id, {"document": link.doc_id})
        return self._links.get_link(link.id) or link

    # The viewer's side -------------------------------------------------------

    def open(
        self,
        token: Any,
        device: str,
        viewer: Principal | None = None,
        seen: str | None = None,
        holder_id: str | None = None,
        ticket_link: str | None = None,
        rechecked: bool = False,
    ) -> OpenedLink:
        """Open a link from its URL token: verify its document again (against
        ``holder_id``, the number of the person at the desk, if given) and
        count the view. ``seen`` is the mark this browser got with its last
        counted view of the link (``OpenedLink.seen``): within an hour of it,
        a reload, a language switch or a holder check costs no view.
        ``ticket_link``: the link a page's sealed ticket names, which must be
        this one (``TICKET_INVALID`` before anything is counted);
        ``rechecked``: ``holder_id`` comes from that ticket, so it was counted
        as a holder check already.

        Raises ``LinkUnavailable`` (404) for an unknown, expired, revoked or
        used-up link, after the same store work."""
        now = self._clock.now()
        well_formed = isinstance(token, str) and _TOKEN_CHARS.fullmatch(token) is not None
        found = self._links.find_link(token_hash(token)) if well_formed else None
        if ticket_link is not None and (found is None or found.id != ticket_link):
            raise BadRequest("this page belongs to another link", code="TICKET_INVALID")
        check = None if rechecked else holder_id
        if found is not None and seen and self._seen_within_hour(found, seen, now):
            if link_state(found, now) not in ("active", "used_up"):
                raise LinkUnavailable()
            self._holder_check(found, check, device, viewer, now)
            return self._verified(found, holder_id, seen)
        # the same store work whether or not the token names a link
        claimed = self._links.claim_view(found.id if found else _nowhere(), now)
        if claimed is not None:
            self._links.add_view(
                LinkView(claimed.id, now.replace(microsecond=0), device, _agency(viewer))
            )
            self._holder_check(claimed, check, device, viewer, now)
        return self._verified(claimed, holder_id, self._mark(claimed, now) if claimed else "")

    def _holder_check(
        self,
        link: ShareLink,
        holder_id: str | None,
        device: str,
        viewer: Principal | None,
        now: dt.datetime,
    ) -> None:
        """A holder check answers whether a number is the holder's, so each is
        counted against the link (``MAX_HOLDER_CHECKS`` in its whole life,
        whoever asks) and shown in the citizen's log of who opened it."""
        if holder_id is None:
            return
        if self._hits.count_hit(f"holder:{link.id}", link.expires_at) > MAX_HOLDER_CHECKS:
            raise HolderChecksUsedUp()
        self._links.add_view(
            LinkView(
                link.id, now.replace(microsecond=0), f"{device} · {HOLDER_CHECK}", _agency(viewer)
            )
        )

    def revisit(self, link_id: Any, holder_id: str | None = None) -> OpenedLink:
        """A link already opened on this page (its id from the page's sealed
        ticket): verified again, no view counted. Raises ``LinkUnavailable``
        once the citizen revoked it or it expired."""
        link = self._links.get_link(link_id) if claims.is_doc_id(link_id) else None
        now = self._clock.now()
        if link is None or link_state(link, now) not in ("active", "used_up"):
            raise LinkUnavailable()
        return self._verified(link, holder_id, "")

    def _verified(self, link: ShareLink | None, holder_id: str | None, seen: str) -> OpenedLink:
        record = self._documents.get_document(link.doc_id) if link else None
        if link is None or record is None:
            raise LinkUnavailable()
        return OpenedLink(link, self._verifier.verify(self.qr_text(record), holder_id), seen)

    def _mark(self, link: ShareLink, now: dt.datetime) -> str:
        """A counted view's mark: when, and an HMAC binding it to the link."""
        at = str(int(now.timestamp()))
        mac = hmac.new(self._pepper, f"seen:{link.id}:{at}".encode(), hashlib.sha256)
        return f"{at}.{mac.hexdigest()[:32]}"

    def _seen_within_hour(self, link: ShareLink, seen: str, now: dt.datetime) -> bool:
        at, _, _mac = seen.partition(".")
        if not at.isdigit() or len(at) > 11:
            return False
        when = dt.datetime.fromtimestamp(int(at), dt.UTC)
        fresh = dt.timedelta(0) <= now - when < SEEN_FOR
        return fresh and hmac.compare_digest(self._mark(link, when), seen)

    def _disclosed(self, disclose: Any, fields: tuple[str, ...]) -> tuple[str, ...]:
        if disclose is None:
            return fields
        if isinstance(disclose, str):
            disclose = [x.strip() for x in disclose.split(",") if x.strip()]
        if not isinstance(disclose, list) or not all(isinstance(x, str) for x in disclose):
            raise BadRequest("disclose is a list of field codes")
        unknown = sorted(set(disclose) - set(fields))
        if unknown:
            raise ValidationFailed(
                f"the document has no field {', '.join(unknown)}", code="UNKNOWN_FIELD"
            )
        return tuple(f for f in fields if f in disclose)


def _agency(viewer: Principal | None) -> str:
    if viewer is None or viewer.role != "verifier" or not viewer.agency:
        return ""
    return f"{viewer.agency_name} ({viewer.agency})" if viewer.agency_name else viewer.agency


def _nowhere() -> str:
    return claims.doc_id_text(secrets.token_bytes(16))


def link_state(link: ShareLink, now: dt.datetime) -> str:
    if link.revoked_at is not None:
        return "revoked"
    if now >= link.expires_at:
        return "expired"
    if link.max_views is not None and link.views >= link.max_views:
        return "used_up"
    return "active"


def link_dict(link: ShareLink, views: list[LinkView] | None, now: dt.datetime) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": link.id,
        "document_id": link.doc_id,
        "state": link_state(link, now),
        "created_at": iso(link.created_at),
        "expires_at": iso(link.expires_at),
        "max_views": link.max_views,
        "views": link.views,
        "recipient": link.recipient,
        "disclose": list(link.disclose),
        "revoked_at": iso(link.revoked_at) if link.revoked_at else None,
    }
    if views is not None:
        out["log"] = [{"at": iso(v.at), "device": v.device, "agency": v.agency} for v in views]
    return out


def document_dict(
    record: DocumentRecord, doc: SignedDocument | None = None, spec: DocType | None = None
) -> dict[str, Any]:
    base = f"/api/v1/me/documents/{record.id}"
    return {
        "id": record.id,
        "type": record.type,
        "type_name_vi": spec.name_vi if spec else record.type,
        "type_name_en": spec.name_en if spec else record.type,
        "issuer": record.issuer,
        "issued_at": iso(record.issued_at),
        "expires_at": iso(record.expires_at) if record.expires_at else None,
        "status": record.status,
        "fields": list(doc.fields) if doc else [],
        "qr_png_url": f"{base}/qr.png",
        "pdf_url": f"{base}/result.pdf",
    }
