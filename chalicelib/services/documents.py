"""Fetching an issued document again: its QR code and printable PDF.

A document's result PDF is rendered once and kept in ``Blobs`` under
``pdf/{id}.pdf`` (on AWS the bucket's lifecycle rule expires those after a
while; the next request renders it again). The signed claims in a kept copy
never change; the names and labels it shows from the trust data are those of
the day it was rendered. When the file store is down, ``Unavailable`` reaches
the route, which answers 503 with Retry-After.

The renderer only draws text: ``print_view`` decides every word the page
shows, each field by the kind the catalogue declares (``display.show``), codes
(document type, issuer, verdict, holder match, reasons) as their names in
Vietnamese with the English small beneath, times in Vietnam time. A receipt is
fitted to one page; a result flows onto a second only when a value is very long.
"""

from __future__ import annotations

from chalicelib.domain import claims, cose, display, qrtext
from chalicelib.domain.catalogue import RECEIPT_TYPE, FieldKind
from chalicelib.domain.claims import SignedDocument
from chalicelib.domain.models import DocumentRecord
from chalicelib.domain.principal import Principal
from chalicelib.domain.trust import TrustSnapshot
from chalicelib.domain.views import document_view
from chalicelib.errors import ErrorCode, NotFound
from chalicelib.ports import Blobs, DocumentRepository, PdfRenderer, QrRenderer
from chalicelib.services.sealing import Sealer
from chalicelib.services.trust import TrustService


class DocumentService:
    def __init__(
        self,
        documents: DocumentRepository,
        sealer: Sealer,
        trust: TrustService,
        qr: QrRenderer,
        pdf: PdfRenderer,
        public_url: str,
        blobs: Blobs,
    ) -> None:
        self._documents = documents
        self._sealer = sealer
        self._trust = trust
        self._qr = qr
        self._pdf = pdf
        self._public_url = public_url
        self._blobs = blobs

    def get(self, doc_id: str, principal: Principal) -> DocumentRecord:
        record = self._documents.get_document(doc_id) if claims.is_doc_id(doc_id) else None
        allowed = record is not None and (
            principal.role == "admin"
            or (principal.role == "issuer" and principal.issuer == record.issuer)
        )
        if record is None or not allowed:
            # The same answer whether it does not exist or is someone else's.
            raise NotFound("no such document", code=ErrorCode.DOCUMENT_NOT_FOUND)
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
        view = print_view(signed, self._trust.snapshot(), self._public_url + "/")
        return self._pdf.result_pdf(view, self.png_for(qr_text))

    def png_for(self, qr_text: str) -> bytes:
        url_part, _, payload = qr_text.rpartition("#")
        return self._qr.png(url_part + "#" if url_part else "", payload)


# Codes a receipt records, shown in words; the English words go small beneath.
_CODED: frozenset[FieldKind] = frozenset({"doc_type", "issuer", "verdict", "holder_match"})
# What a clerk reads first on a receipt: the conclusion and who presented it.
_STRONG: frozenset[FieldKind] = frozenset({"verdict", "holder_match"})


def print_view(doc: SignedDocument, trust: TrustSnapshot, verify_url: str) -> dict[str, object]:
    """Everything the printable PDF shows of ``doc``, as text: the renderer
    draws it and decides nothing. Each row is ``{"label_vi", "label_en",
    "lines", "strong"}``, ``lines`` a list of (Vietnamese, English or "")
    pairs, ``strong`` whether the value is set in bold."""
    shown = document_view(doc, trust)
    receipt = doc.type == RECEIPT_TYPE

    vi_names, en_names = display.names_in(trust, "vi"), display.names_in(trust, "en")

    def lines(kind: FieldKind, value: str) -> list[tuple[str, str]]:
        if kind == "reasons":  # one explanation a line, each with its English
            return [
                (display.show(kind, code, "vi"), display.show(kind, code, "en"))
                for code in value.split()
            ] or [("", "")]
        vi = display.show(kind, value, "vi", *vi_names)
        en = display.show(kind, value, "en", *en_names) if kind in _CODED else ""
        return [(vi, en if en != vi else "")]

    def row(
        label_vi: str, label_en: str, *pairs: tuple[str, str], strong: bool = False
    ) -> dict[str, object]:
        return {"label_vi": label_vi, "label_en": label_en, "lines": list(pairs), "strong": strong}

    holder = shown["holder"]
    rows = [
        row("Họ và tên", "Full name", (holder["full_name"], "")),
        row("Số định danh cá nhân", "Personal ID number", (holder["id_masked"], "")),
        row("Ngày sinh", "Date of birth", (display.date_text(doc.holder.dob), "")),
    ]
    for field in shown["fields"]:
        kind = field["kind"]
        pairs = lines(kind, field["value"])
        rows.append(row(field["label_vi"], field["label_en"], *pairs, strong=kind in _STRONG))
    # A receipt records a moment; a result is issued on a day.
    when = display.instant_text if receipt else display.instant_date_text
    rows.append(row("Ngày cấp", "Issued on", (when(doc.issued_at), "")))
    if doc.expires_at is not None:
        rows.append(row("Có giá trị đến", "Valid until", (when(doc.expires_at), "")))
    else:
        rows.append(row("Có giá trị đến", "Valid until", ("Không thời hạn", "No expiry")))
    if receipt:
        rows.append(row("Mã biên nhận", "Receipt ID", (doc.id, "")))
    else:
        rows.append(row("Mã kết quả", "Result ID", (doc.id, "")))
    return {
        "title_vi": shown["type_name_vi"] or doc.type,
        "title_en": shown["type_name_en"] or "",
        "issuer": shown["issuer"]["name_vi"] or doc.issuer,
        "rows": rows,
        "created": doc.issued_at,
        "verify_url": verify_url,
        "one_page": receipt,
    }
