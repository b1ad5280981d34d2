"""The viewer's side of a share link: opening it from its URL token.

Every opening verifies the document again, so a revocation or a superseding
result shows at once, and is counted by one conditional update
(``max_views`` holds under parallel requests) and logged for the citizen
with a coarse device description and, for a signed-in officer, the agency.
Unknown, expired, revoked and used-up links get one answer, after the same
store work. A holder check (is this number the holder's?) is counted against
the link's small budget and logged the same way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import secrets
from typing import Any

from chalicelib.domain import claims
from chalicelib.domain.models import LinkView, ShareLink
from chalicelib.domain.principal import Principal
from chalicelib.domain.verify import Verdict
from chalicelib.errors import BadRequest, DocsealError, ErrorCode, LinkUnavailable
from chalicelib.ports import Clock, DocumentRepository, HitCounter, LinkRepository
from chalicelib.services.links.terms import token_hash, well_formed_token
from chalicelib.services.sealing import Sealer
from chalicelib.services.verifying import VerifyService

SEEN_FOR = dt.timedelta(hours=1)  # one counted view per browser, link and hour
MAX_HOLDER_CHECKS = 5  # numbers compared with a link's holder, in the link's life
HOLDER_CHECK = "đối chiếu số định danh / holder check"


class HolderChecksUsedUp(DocsealError):
    """A share link whose holder checks are used up: each one tells whether a
    number is the holder's, so they are few."""

    code = ErrorCode.HOLDER_CHECKS_USED_UP
    http_status = 429

    def __init__(self) -> None:
        super().__init__(
            f"this link has had its {MAX_HOLDER_CHECKS} holder checks: ask for a new link"
        )


@dataclasses.dataclass(frozen=True)
class OpenedLink:
    """What a viewer may see of a link: its verdict, to be shown with only
    the link's disclosed fields. The QR text is not here: it would disclose
    every field and the full ID number."""

    link: ShareLink
    verdict: Verdict
    seen: str = ""  # the mark that makes this browser's next hour of views free


class LinkOpener:
    def __init__(
        self,
        documents: DocumentRepository,
        links: LinkRepository,
        hits: HitCounter,
        sealer: Sealer,
        verifier: VerifyService,
        clock: Clock,
        pepper: bytes,
    ) -> None:
        self._documents = documents
        self._links = links
        self._hits = hits
        self._sealer = sealer
        self._verifier = verifier
        self._clock = clock
        self._pepper = pepper

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
        found = self._links.find_link(token_hash(token)) if well_formed_token(token) else None
        if ticket_link is not None and (found is None or found.id != ticket_link):
            raise BadRequest("this page belongs to another link", code=ErrorCode.TICKET_INVALID)
        check = None if rechecked else holder_id
        if found is not None and seen and self._seen_within_hour(found, seen, now):
            if found.state(now) not in ("active", "used_up"):
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

    def revisit(self, link_id: Any, holder_id: str | None = None) -> OpenedLink:
        """A link already opened on this page (its id from the page's sealed
        ticket): verified again, no view counted. Raises ``LinkUnavailable``
        once the citizen revoked it or it expired."""
        link = self._links.get_link(link_id) if claims.is_doc_id(link_id) else None
        now = self._clock.now()
        if link is None or link.state(now) not in ("active", "used_up"):
            raise LinkUnavailable()
        return self._verified(link, holder_id, "")

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

    def _verified(self, link: ShareLink | None, holder_id: str | None, seen: str) -> OpenedLink:
        record = self._documents.get_document(link.doc_id) if link else None
        if link is None or record is None:
            raise LinkUnavailable()
        qr_text = self._sealer.open(record.id, record.sealed_qr)
        return OpenedLink(link, self._verifier.verify(qr_text, holder_id), seen)

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


def _agency(viewer: Principal | None) -> str:
    if viewer is None or viewer.role != "verifier" or not viewer.agency:
        return ""
    return f"{viewer.agency_name} ({viewer.agency})" if viewer.agency_name else viewer.agency


def _nowhere() -> str:
    return claims.doc_id_text(secrets.token_bytes(16))
