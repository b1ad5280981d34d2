"""Fetching an issued document again: its QR code and printable PDF.

A document's result PDF is rendered once and kept in ``Blobs`` under
``pdf/{id}.pdf`` (on AWS the bucket's lifecycle rule expires those after a
while; the next request renders it again). The signed claims in a kept copy
never change; the names and labels it shows from the trust data are those of
the day it was rendered. When the file store is down, ``Unavailable`` reaches
the route, which answers 503 with Retry-After.
"""

from __future__ import annotations

from typing import Any

from chalicelib.domain import claims, cose, qrtext
from chalicelib.domain.models import DocumentRecord
from chalicelib.domain.principal import Principal
from chalicelib.domain.views import document_view
from chalicelib.errors import NotFound
from chalicelib.ports import Blobs, PdfRenderer, QrRenderer, Store
from chalicelib.services.sealing import Sealer
from chalicelib.services.trust import TrustService


class DocumentService:
    def __init__(
        self,
        store: Store,
        sealer: Sealer,
        trust: TrustService,
        qr: QrRenderer,
        pdf: PdfRenderer,
        public_url: str,
        blobs: Blobs,
    ) -> None:
        self._store = store
        self._sealer = sealer
        self._trust = trust
        self._qr = qr
        self._pdf = pdf
        self._public_url = public_url
        self._blobs = blobs

    def get(self, doc_id: str, principal: Principal) -> DocumentRecord:
        record = self._store.get_document(doc_id) if claims.is_doc_id(doc_id) else None
        allowed = record is not None and (
            principal.role == "admin"
            or (principal.role == "issuer" and principal.issuer == record.issuer)
        )
        if record is None or not allowed:
            # The same answer whether it does not exist or is someone else's.
            raise NotFound("no such document", code="DOCUMENT_NOT_FOUND")
        return record

    def qr_png(self, record: DocumentRecord) -> bytes:
        return self.png_for(self._sealer.open(record.id, record.sealed_qr))

    def result_pdf(self, record: DocumentRecord) -> bytes:
        key = f"pdf/{record.id}.pdf"
        kept = self._blobs.get(key)
        if kept is not None:
            return kept
        rendered = self.pdf_for(self._sealer.open(record.id, record.sealed_qr))
        self._blobs.put(key, rendered, "application/pdf")
        return rendered

    def pdf_for(self, qr_text: str) -> bytes:
        # The stored text was signed by docseal itself: read it without re-verifying.
        signed = claims.parse(cose.parse(qrtext.decode(qr_text)).payload)
        view: dict[str, Any] = {
            "document": document_view(signed, self._trust.snapshot()),
            "verify_url": self._public_url + "/",
        }
        return self._pdf.result_pdf(view, self.png_for(qr_text))

    def png_for(self, qr_text: str) -> bytes:
        url_part, _, payload = qr_text.rpartition("#")
        return self._qr.png(url_part + "#" if url_part else "", payload)
