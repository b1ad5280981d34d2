"""The citizen's side of share links: their documents, and the links they
make, list and revoke. ``LinkService`` is the one object routes use for
share links; opening a link is the ``LinkOpener``'s (``opening.py``), which
``LinkService.open`` and ``revisit`` hand on to."""

from __future__ import annotations

import dataclasses
import secrets
from typing import Any

from chalicelib.domain import claims, cose, qrtext
from chalicelib.domain.authorization import actor_of
from chalicelib.domain.catalogue import RECEIPT_TYPE
from chalicelib.domain.claims import SignedDocument
from chalicelib.domain.idnumber import check_shape, holder_ref
from chalicelib.domain.models import DocumentRecord, LinkView, ShareLink
from chalicelib.domain.principal import Principal
from chalicelib.domain.views import iso
from chalicelib.errors import DocsealError, ErrorCode, Forbidden, NotFound
from chalicelib.ports import Clock, DocumentRepository, HitCounter, LinkRepository
from chalicelib.services.audit import AuditLog
from chalicelib.services.links.opening import LinkOpener, OpenedLink
from chalicelib.services.links.terms import (
    TOKEN_BYTES,
    parse_disclosed,
    parse_expires_in,
    parse_max_views,
    parse_recipient,
    token_hash,
)
from chalicelib.services.sealing import Sealer
from chalicelib.services.verifying import VerifyService


@dataclasses.dataclass(frozen=True)
class CreatedLink:
    link: ShareLink
    url: str  # shown once: the token is not stored


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
        audit: AuditLog,
    ) -> None:
        self._audit = audit
        self._documents = documents
        self._links = links
        self._sealer = sealer
        self._clock = clock
        self._pepper = pepper
        self._public_url = public_url.rstrip("/")
        self._opener = LinkOpener(documents, links, hits, sealer, verifier, clock, pepper)

    # The citizen's documents -------------------------------------------------

    def owner(self, principal: Principal) -> str:
        """The signed-in citizen's holder reference."""
        if principal.role != "citizen" or not principal.holder_id:
            raise Forbidden(
                "this is for the citizen who holds the documents", code=ErrorCode.WRONG_ROLE
            )
        try:
            check_shape(principal.holder_id)
        except DocsealError as exc:
            raise Forbidden(
                "the token names no valid ID number", code=ErrorCode.WRONG_ROLE
            ) from exc
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
            raise NotFound("no such document", code=ErrorCode.DOCUMENT_NOT_FOUND)
        return record

    def qr_text(self, record: DocumentRecord) -> str:
        return self._sealer.open(record.id, record.sealed_qr)

    def signed(self, record: DocumentRecord) -> SignedDocument:
        # docseal signed this text itself: read without verifying again
        return claims.parse(cose.parse(qrtext.decode(self.qr_text(record))).payload)

    # The citizen's links -----------------------------------------------------

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
        label = parse_recipient(recipient)
        chosen = parse_disclosed(disclose, tuple(self.signed(record).fields))
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
        self._audit.record(
            actor_of(principal),  # "citizen": nothing that identifies them
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
            raise NotFound("no such link", code=ErrorCode.LINK_NOT_FOUND)
        return link

    def views(self, principal: Principal, link_id: str) -> list[LinkView]:
        return self._links.list_views(self.my_link(principal, link_id).id)

    def revoke(self, principal: Principal, link_id: str) -> ShareLink:
        """Revoke a link; revoking it again changes nothing and records nothing."""
        link = self.my_link(principal, link_id)
        if link.revoked_at is not None:
            return link
        self._links.revoke_link(link.id, self._clock.now().replace(microsecond=0))
        self._audit.record(actor_of(principal), "link.revoke", link.id, {"document": link.doc_id})
        return self._links.get_link(link.id) or link

    # The viewer's side (opening.py) ------------------------------------------

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
        """``LinkOpener.open``: verify the link's document again and count the view."""
        return self._opener.open(token, device, viewer, seen, holder_id, ticket_link, rechecked)

    def revisit(self, link_id: Any, holder_id: str | None = None) -> OpenedLink:
        """``LinkOpener.revisit``: a link already opened on this page, no view counted."""
        return self._opener.revisit(link_id, holder_id)
