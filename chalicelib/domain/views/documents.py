"""Documents: a signed one inside a verdict (the ID number masked), and the
stored records issuers, citizens and operators are shown."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.catalogue import DocType
from chalicelib.domain.claims import SignedDocument
from chalicelib.domain.idnumber import mask
from chalicelib.domain.models import DocumentRecord
from chalicelib.domain.trust import TrustSnapshot
from chalicelib.domain.views.times import iso, iso_or_none


def document_view(doc: SignedDocument, trust: TrustSnapshot) -> dict[str, Any]:
    """A signed document inside a verdict: labels from the catalogue, the ID
    number masked. The API's verdict, the command line and the printable PDF
    show the same thing."""
    doc_type = trust.doc_types.get(doc.type)
    issuer = trust.issuers.get(doc.issuer)
    fields = []
    for code, value in doc.fields.items():
        spec = doc_type.field(code) if doc_type else None
        fields.append(
            {
                "code": code,
                "label_vi": spec.label_vi if spec else code,
                "label_en": spec.label_en if spec else code,
                "kind": spec.kind if spec else "text",
                "value": value,
            }
        )
    return {
        "id": doc.id,
        "type": doc.type,
        "type_name_vi": doc_type.name_vi if doc_type else None,
        "type_name_en": doc_type.name_en if doc_type else None,
        "issuer": {
            "code": doc.issuer,
            "name_vi": issuer.name_vi if issuer else None,
            "name_en": issuer.name_en if issuer else None,
            "authorised_for_type": bool(issuer and doc.type in issuer.allowed_types),
        },
        "issued_at": iso(doc.issued_at),
        "not_before": iso(doc.not_before),
        "expires_at": iso_or_none(doc.expires_at),
        "holder": {
            "full_name": doc.holder.full_name,
            "id_masked": mask(doc.holder.id_number),
            "dob": doc.holder.dob.isoformat(),
        },
        "fields": fields,
        "acceptance_note": (
            {"vi": doc_type.note_vi, "en": doc_type.note_en or doc_type.note_vi}
            if doc_type and doc_type.note_vi
            else None
        ),
        "supersedes": doc.supersedes or None,
        "status_ref": {"list": doc.status_list, "index": doc.status_index},
    }


def issued_document_view(record: DocumentRecord, qr_text: str, base: str) -> dict[str, Any]:
    """A document ``POST /documents`` issued; ``base`` is the path its
    ``qr.png`` and ``result.pdf`` are served under."""
    return {
        "id": record.id,
        "qr_text": qr_text,
        "kid": record.kid,
        "issued_at": iso(record.issued_at),
        "expires_at": iso_or_none(record.expires_at),
        "qr_png_url": f"{base}/qr.png",
        "pdf_url": f"{base}/result.pdf",
    }


def held_document_view(
    record: DocumentRecord, base: str, doc: SignedDocument | None, spec: DocType | None
) -> dict[str, Any]:
    """One of a citizen's documents (``GET /me/documents``): the codes of its
    fields, not their values; ``base`` as in ``issued_document_view``."""
    return {
        "id": record.id,
        "type": record.type,
        "type_name_vi": spec.name_vi if spec else record.type,
        "type_name_en": spec.name_en if spec else record.type,
        "issuer": record.issuer,
        "issued_at": iso(record.issued_at),
        "expires_at": iso_or_none(record.expires_at),
        "status": record.status,
        "fields": list(doc.fields) if doc else [],
        "qr_png_url": f"{base}/qr.png",
        "pdf_url": f"{base}/result.pdf",
    }


def document_status_view(record: DocumentRecord) -> dict[str, Any]:
    """A document after its revocation (API and command line)."""
    return {"id": record.id, "status": record.status, "reason": record.status_reason}


def signed_by_key_view(record: DocumentRecord) -> dict[str, Any]:
    """A document in ``docseal key documents``: what a re-issue would touch."""
    return {
        "id": record.id,
        "type": record.type,
        "issued_at": iso(record.issued_at),
        "status": record.status,
        "successor": record.successor or None,
    }
