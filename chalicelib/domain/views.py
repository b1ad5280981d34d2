"""What docseal shows: each domain object as the JSON that the API, the
command line and the signed trust list give out, all built here.

One form of time everywhere, ``iso``: RFC 3339 in UTC to the second
(``2026-11-01T08:00:00Z``). The storage codec (``adapters/records.py``) has
its own forms and is never sent to anyone: a field added to a stored record
reaches an answer only when a view here names it.

A view is named after the answer it builds. Two answers that show different
keys of one object get two views, never one view with switches; routes and
commands wrap views in their envelopes (``{"links": [...]}``) and add what
only they know (a share link's URL, shown once; the folder a command wrote).
A document's verdict is drawn by ``Verdict.to_dict`` (``domain/verify.py``)
from ``document_view`` and ``iso`` below.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol

from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.catalogue import DocType, FieldSpec
from chalicelib.domain.claims import SignedDocument
from chalicelib.domain.idnumber import mask
from chalicelib.domain.models import DocumentRecord, Issuer, LinkView, ShareLink, SigningKey
from chalicelib.domain.trust import TrustSnapshot

# Times ---------------------------------------------------------------------


def iso(when: dt.datetime) -> str:
    """RFC 3339 in UTC to the second, ``2026-11-01T08:00:00Z``: the one form of
    every time docseal shows (a fraction of a second is cut, never rounded up)."""
    return when.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def iso_or_none(when: dt.datetime | None) -> str | None:
    return None if when is None else iso(when)


# Issuers and document types --------------------------------------------------


def issuer_view(issuer: Issuer) -> dict[str, Any]:
    """An issuer in the trust list, ``GET /trust`` and ``docseal issuer list``."""
    return {
        "code": issuer.code,
        "name_vi": issuer.name_vi,
        "name_en": issuer.name_en,
        "allowed_types": sorted(issuer.allowed_types),
        "area": issuer.area,
        "status": issuer.status,
    }


def issuer_added_view(issuer: Issuer) -> dict[str, Any]:
    """A newly registered issuer (``POST /admin/issuers``, ``issuer add``)."""
    return {"code": issuer.code, "allowed_types": sorted(issuer.allowed_types)}


def issuer_updated_view(issuer: Issuer) -> dict[str, Any]:
    """An issuer after ``docseal issuer update``."""
    return {
        "code": issuer.code,
        "name_vi": issuer.name_vi,
        "name_en": issuer.name_en,
        "area": issuer.area,
        "allowed_types": sorted(issuer.allowed_types),
    }


def issuer_status_view(issuer: Issuer) -> dict[str, Any]:
    """An issuer suspended or reinstated (API and command line)."""
    return {"code": issuer.code, "status": issuer.status}


def field_spec_view(spec: FieldSpec) -> dict[str, Any]:
    return {
        "code": spec.code,
        "label_vi": spec.label_vi,
        "label_en": spec.label_en,
        "required": spec.required,
        "kind": spec.kind,
    }


def doc_type_view(doc_type: DocType) -> dict[str, Any]:
    """A document type in the trust list, the API and the command line (its
    acceptance note is shown with verdicts, not here)."""
    return {
        "code": doc_type.code,
        "name_vi": doc_type.name_vi,
        "name_en": doc_type.name_en,
        "default_validity_days": doc_type.default_validity_days,
        "fields": [field_spec_view(f) for f in doc_type.fields],
    }


# Signing keys ----------------------------------------------------------------


def _public_key(key: SigningKey) -> str:
    return base64.b64encode(key.public_key_der).decode()


def key_view(key: SigningKey) -> dict[str, Any]:
    """A key as ``GET /trust`` publishes it: its public key, never its custody."""
    return {
        "kid": key.kid,
        "issuer": key.issuer,
        "alg": "ES256",
        "public_key": _public_key(key),
        "status": key.status,
        "activated_at": iso(key.activated_at),
        "retired_at": iso_or_none(key.retired_at),
        "revoked_at": iso_or_none(key.revoked_at),
    }


def trust_list_key_view(key: SigningKey) -> dict[str, Any]:
    """A key inside the signed trust list: with the revocation's reason, without
    ``alg`` (the list's format fixes ES256). Offline verifiers parse this."""
    return {
        "kid": key.kid,
        "issuer": key.issuer,
        "public_key": _public_key(key),
        "status": key.status,
        "activated_at": iso(key.activated_at),
        "retired_at": iso_or_none(key.retired_at),
        "revoked_at": iso_or_none(key.revoked_at),
        "revocation_reason": key.revocation_reason,
    }


def operator_key_view(key: SigningKey) -> dict[str, Any]:
    """A key as the command line lists it for the operator: with its custody,
    without the public key (``key list``, ``rotate``, ``revoke``, ``trust root``)."""
    return {
        "kid": key.kid,
        "issuer": key.issuer,
        "status": key.status,
        "activated_at": iso(key.activated_at),
        "retired_at": iso_or_none(key.retired_at),
        "revoked_at": iso_or_none(key.revoked_at),
        "revocation_reason": key.revocation_reason or None,
        "custody": key.custody,
    }


def operator_new_key_view(key: SigningKey) -> dict[str, Any]:
    """A key ``docseal key create`` made."""
    return {"kid": key.kid, "issuer": key.issuer, "custody": key.custody, "status": key.status}


def new_key_view(key: SigningKey) -> dict[str, Any]:
    """A key the API's ``create-key`` or ``rotate-key`` made."""
    return {"kid": key.kid, "issuer": key.issuer, "status": key.status}


def revoked_key_view(key: SigningKey) -> dict[str, Any]:
    """A key the API's ``POST /admin/keys/{kid}/revoke`` revoked."""
    return {
        "kid": key.kid,
        "status": key.status,
        "revoked_at": iso_or_none(key.revoked_at),
        "reason": key.revocation_reason,
    }


# The trust data --------------------------------------------------------------


class PublishedTrustList(Protocol):
    """The signed trust list as the trust-list service published it."""

    @property
    def jws(self) -> str: ...
    @property
    def root_kid(self) -> str: ...
    @property
    def issued_at(self) -> dt.datetime: ...
    @property
    def next_update(self) -> dt.datetime: ...


def signed_trust_list_view(published: PublishedTrustList) -> dict[str, Any]:
    return {
        "jws": published.jws,
        "root_kid": published.root_kid,
        "issued_at": iso(published.issued_at),
        "next_update": iso(published.next_update),
    }


def trust_view(snapshot: TrustSnapshot, published: PublishedTrustList | None) -> dict[str, Any]:
    """``GET /trust``: what the verifier trusts now, and the same signed for
    offline verifiers (``signed`` is None until there is a root key)."""
    return {
        "as_of": iso(snapshot.as_of),
        "issuers": [issuer_view(i) for i in snapshot.issuers.values()],
        "keys": [key_view(k) for k in snapshot.keys.values()],
        "doc_types": [doc_type_view(t) for t in snapshot.doc_types.values()],
        "signed": signed_trust_list_view(published) if published is not None else None,
    }


def trust_export_view(folder: str, published: PublishedTrustList) -> dict[str, Any]:
    """What ``docseal trust export`` wrote, and where."""
    return {
        "folder": folder,
        "root_kid": published.root_kid,
        "issued_at": iso(published.issued_at),
        "next_update": iso(published.next_update),
    }


# Documents -------------------------------------------------------------------


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


# Share links -----------------------------------------------------------------


def link_state(link: ShareLink, now: dt.datetime) -> str:
    if link.revoked_at is not None:
        return "revoked"
    if now >= link.expires_at:
        return "expired"
    if link.max_views is not None and link.views >= link.max_views:
        return "used_up"
    return "active"


def link_opening_view(opening: LinkView) -> dict[str, Any]:
    """One opening of a link, as its owner sees it: no IP address."""
    return {"at": iso(opening.at), "device": opening.device, "agency": opening.agency}


def link_view(
    link: ShareLink, openings: Sequence[LinkView] | None, now: dt.datetime
) -> dict[str, Any]:
    """A citizen's share link, never its token; with ``log`` when its
    openings are given."""
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
        "revoked_at": iso_or_none(link.revoked_at),
    }
    if openings is not None:
        out["log"] = [link_opening_view(v) for v in openings]
    return out


# The audit trail -------------------------------------------------------------


def audit_view(entry: AuditEntry) -> dict[str, Any]:
    """An audit entry (``GET /audit``, ``docseal audit list``). ``details`` are
    shown as recorded: the entry's hash covers them."""
    return {
        "seq": entry.seq,
        "at": iso(entry.at),
        "actor": entry.actor,
        "action": entry.action,
        "target": entry.target,
        "details": dict(entry.details),
        "prev": entry.prev,
        "hash": entry.hash,
    }
