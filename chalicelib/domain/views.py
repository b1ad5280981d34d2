"""How a signed document is shown: labels from the catalogue, ID masked.

One view serves the API's verdict, the CLI and the printable PDF, so every
surface shows the same thing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from chalicelib.domain.claims import SignedDocument
from chalicelib.domain.idnumber import mask
from chalicelib.domain.trust import TrustSnapshot


def iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def document_view(doc: SignedDocument, trust: TrustSnapshot) -> dict[str, Any]:
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
        "expires_at": iso(doc.expires_at) if doc.expires_at else None,
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
