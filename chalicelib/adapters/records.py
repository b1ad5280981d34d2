"""Flat dict forms of the domain records, shared by the SQLite and DynamoDB stores.

Times are ISO 8601 strings in UTC, bytes are kept as bytes, sets as sorted
lists: every backend stores the same shape.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.catalogue import DocType
from chalicelib.domain.models import (
    DocumentRecord,
    DocumentStatus,
    Gender,
    IdempotencyRecord,
    IdentityRecord,
    IdentityStatus,
    Issuer,
    IssuerStatus,
    KeyStatus,
    LinkView,
    ShareLink,
    SigningKey,
)


def iso(when: dt.datetime | None) -> str | None:
    return None if when is None else when.astimezone(dt.UTC).isoformat()


def when(text: Any) -> dt.datetime | None:
    return None if not text else dt.datetime.fromisoformat(str(text))


def must(text: Any) -> dt.datetime:
    value = when(text)
    assert value is not None
    return value


def issuer_to(i: Issuer) -> dict[str, Any]:
    return {
        "code": i.code,
        "name_vi": i.name_vi,
        "name_en": i.name_en,
        "allowed_types": sorted(i.allowed_types),
        "area": i.area,
        "status": i.status,
    }


def issuer_from(d: dict[str, Any]) -> Issuer:
    return Issuer(
        code=str(d["code"]),
        name_vi=str(d["name_vi"]),
        name_en=str(d["name_en"]),
        allowed_types=frozenset(str(t) for t in d["allowed_types"]),
        area=str(d.get("area") or ""),
        status=cast(IssuerStatus, d.get("status") or "active"),
    )


def key_to(k: SigningKey) -> dict[str, Any]:
    return {
        "kid": k.kid,
        "issuer": k.issuer,
        "public_key_der": bytes(k.public_key_der),
        "status": k.status,
        "activated_at": iso(k.activated_at),
        "retired_at": iso(k.retired_at),
        "revoked_at": iso(k.revoked_at),
        "revocation_reason": k.revocation_reason,
        "custody": k.custody,
        "custody_ref": k.custody_ref,
    }


def key_from(d: dict[str, Any]) -> SigningKey:
    return SigningKey(
        kid=str(d["kid"]),
        issuer=str(d["issuer"]),
        public_key_der=bytes(d["public_key_der"]),
        status=cast(KeyStatus, d["status"]),
        activated_at=must(d["activated_at"]),
        retired_at=when(d.get("retired_at")),
        revoked_at=when(d.get("revoked_at")),
        revocation_reason=str(d.get("revocation_reason") or ""),
        custody=str(d["custody"]),
        custody_ref=str(d["custody_ref"]),
    )


def document_to(doc: DocumentRecord) -> dict[str, Any]:
    return {
        "id": doc.id,
        "type": doc.type,
        "issuer": doc.issuer,
        "kid": doc.kid,
        "holder_ref": doc.holder_ref,
        "issued_at": iso(doc.issued_at),
        "expires_at": iso(doc.expires_at),
        "status_list": doc.status_list,
        "status_index": doc.status_index,
        "sealed_qr": bytes(doc.sealed_qr),
        "status": doc.status,
        "status_reason": doc.status_reason,
        "successor": doc.successor,
        "supersedes": doc.supersedes,
    }


def document_from(d: dict[str, Any]) -> DocumentRecord:
    return DocumentRecord(
        id=str(d["id"]),
        type=str(d["type"]),
        issuer=str(d["issuer"]),
        kid=str(d["kid"]),
        holder_ref=str(d["holder_ref"]),
        issued_at=must(d["issued_at"]),
        expires_at=when(d.get("expires_at")),
        status_list=str(d["status_list"]),
        status_index=int(d["status_index"]),
        sealed_qr=bytes(d["sealed_qr"]),
        status=cast(DocumentStatus, d["status"]),
        status_reason=str(d.get("status_reason") or ""),
        successor=str(d.get("successor") or ""),
        supersedes=str(d.get("supersedes") or ""),
    )


def identity_to(r: IdentityRecord) -> dict[str, Any]:
    return {
        "holder_ref": r.holder_ref,
        "full_name": r.full_name,
        "dob": r.dob.isoformat(),
        "gender": r.gender,
        "status": r.status,
    }


def identity_from(d: dict[str, Any]) -> IdentityRecord:
    return IdentityRecord(
        holder_ref=str(d["holder_ref"]),
        full_name=str(d["full_name"]),
        dob=dt.date.fromisoformat(str(d["dob"])),
        gender=cast(Gender, d["gender"]),
        status=cast(IdentityStatus, d["status"]),
    )


def idempotency_to(r: IdempotencyRecord) -> dict[str, Any]:
    return {
        "scope": r.scope,
        "key": r.key,
        "request_hash": r.request_hash,
        "document_id": r.document_id,
    }


def idempotency_from(d: dict[str, Any]) -> IdempotencyRecord:
    return IdempotencyRecord(
        scope=str(d["scope"]),
        key=str(d["key"]),
        request_hash=str(d["request_hash"]),
        document_id=str(d["document_id"]),
    )


def link_to(link: ShareLink) -> dict[str, Any]:
    return {
        "id": link.id,
        "token_hash": link.token_hash,
        "doc_id": link.doc_id,
        "holder_ref": link.holder_ref,
        "created_at": iso(link.created_at),
        "expires_at": iso(link.expires_at),
        "disclose": list(link.disclose),
        "recipient": link.recipient,
        "max_views": link.max_views,
        "views": link.views,
        "revoked_at": iso(link.revoked_at),
    }


def link_from(d: dict[str, Any]) -> ShareLink:
    return ShareLink(
        id=str(d["id"]),
        token_hash=str(d["token_hash"]),
        doc_id=str(d["doc_id"]),
        holder_ref=str(d["holder_ref"]),
        created_at=must(d["created_at"]),
        expires_at=must(d["expires_at"]),
        disclose=tuple(str(x) for x in d.get("disclose") or ()),
        recipient=str(d.get("recipient") or ""),
        max_views=None if d.get("max_views") is None else int(d["max_views"]),
        views=int(d.get("views") or 0),
        revoked_at=when(d.get("revoked_at")),
    )


def view_to(v: LinkView) -> dict[str, Any]:
    return {"link_id": v.link_id, "at": iso(v.at), "device": v.device, "agency": v.agency}


def view_from(d: dict[str, Any]) -> LinkView:
    return LinkView(
        link_id=str(d["link_id"]),
        at=must(d["at"]),
        device=str(d.get("device") or ""),
        agency=str(d.get("agency") or ""),
    )


def audit_to(e: AuditEntry) -> dict[str, Any]:
    return {
        "seq": e.seq,
        "at": iso(e.at),
        "actor": e.actor,
        "action": e.action,
        "target": e.target,
        "details": dict(e.details),
        "prev": e.prev,
        "hash": e.hash,
    }


def audit_from(d: dict[str, Any]) -> AuditEntry:
    return AuditEntry(
        seq=int(d["seq"]),
        at=must(d["at"]),
        actor=str(d["actor"]),
        action=str(d["action"]),
        target=str(d["target"]),
        details={str(k): str(v) for k, v in (d.get("details") or {}).items()},
        prev=str(d["prev"]),
        hash=str(d["hash"]),
    )


def doc_type_to(t: DocType) -> dict[str, Any]:
    return t.to_dict()


def doc_type_from(d: dict[str, Any]) -> DocType:
    return DocType.from_dict(d)
