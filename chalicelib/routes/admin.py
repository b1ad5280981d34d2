"""The administration API: issuers, types, keys, documents, the audit trail.

The values in a body are read by ``chalicelib.domain.inputs`` (the same
checks, codes and messages whichever door asks); who may act is decided by
``_staff`` until the administration services take the principal themselves."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint, Request, Response

from chalicelib import bootstrap
from chalicelib.domain import inputs, views
from chalicelib.domain.claims import is_doc_id
from chalicelib.domain.principal import Principal
from chalicelib.errors import (
    BadRequest,
    ErrorCode,
    Forbidden,
    NotFound,
)
from chalicelib.http import (
    guarded,
    json_body,
    json_response,
)
from chalicelib.routes.common import API, current_request, principal_of

bp = Blueprint(__name__)


def _request() -> Request:
    return current_request(bp)


def _principal() -> Principal:
    return principal_of(_request())


def _staff(*issuer_codes: str) -> Principal:
    """An admin, or an issuer acting on its own issuer; anyone else gets 403,
    and the refusal goes on the audit trail."""
    c = bootstrap.container()
    principal = _principal()
    own = principal.role == "issuer" and bool(issuer_codes) and principal.issuer in issuer_codes
    if principal.role == "admin" or own:
        return principal
    actor = "citizen" if principal.role == "citizen" else principal.subject
    c.audit.record(actor, "access.denied", _request().path, {"role": principal.role})
    raise Forbidden(
        "this needs the role admin (or the document's own issuer)", code=ErrorCode.WRONG_ROLE
    )


def _actor(principal: Principal) -> str:
    return f"{principal.role}:{principal.subject}"


@bp.route(f"{API}/admin/issuers", methods=["POST"])
@guarded
def admin_add_issuer() -> Response:
    c = bootstrap.container()
    principal = _staff()
    new = inputs.new_issuer(json_body(_request(), c.settings.max_body_bytes))
    issuer = c.admin_as(_actor(principal)).add_issuer(
        new.code, new.name_vi, new.name_en, new.types, new.area
    )
    return json_response(views.issuer_added_view(issuer), 201)


@bp.route(f"{API}/admin/doctypes", methods=["POST"])
@guarded
def admin_define_doc_type() -> Response:
    c = bootstrap.container()
    principal = _staff()
    new = inputs.new_doc_type(json_body(_request(), c.settings.max_body_bytes))
    doc_type = c.admin_as(_actor(principal)).define_doc_type(
        new.code, new.name_vi, new.name_en, new.fields, new.default_validity_days
    )
    return json_response(views.doc_type_view(doc_type), 201)


@bp.route(f"{API}/admin/issuers/{{code}}/{{action}}", methods=["POST"])
@guarded
def admin_issuer_action(code: str, action: str) -> Response:
    c = bootstrap.container()
    principal = _staff(code) if action in ("rotate-key",) else _staff()
    admin = c.admin_as(_actor(principal))
    if action in ("suspend", "reinstate"):
        issuer = admin.set_issuer_status(code, "suspended" if action == "suspend" else "active")
        return json_response(views.issuer_status_view(issuer))
    if action in ("create-key", "rotate-key"):
        key = admin.create_key(code) if action == "create-key" else admin.rotate_key(code)
        return json_response(views.new_key_view(key), 201)
    raise NotFound("no such action", code=ErrorCode.NOT_FOUND)


@bp.route(f"{API}/admin/keys/{{kid}}/revoke", methods=["POST"])
@guarded
def admin_revoke_key(kid: str) -> Response:
    c = bootstrap.container()
    principal = _staff()
    body = json_body(_request(), c.settings.max_body_bytes)
    when = inputs.optional_instant(body, "effective")
    key = c.admin_as(_actor(principal)).revoke_key(kid, inputs.free_text(body, "reason"), when)
    return json_response(views.revoked_key_view(key))


@bp.route(f"{API}/admin/keys/{{kid}}/reissue", methods=["POST"])
@guarded
def admin_reissue_key(kid: str) -> Response:
    c = bootstrap.container()
    principal = _staff()
    pairs = c.issuing.reissue_key(kid, _actor(principal))
    return json_response({"reissued": [{"superseded": a, "id": b} for a, b in pairs]})


@bp.route(f"{API}/admin/documents/{{doc_id}}/{{action}}", methods=["POST"])
@guarded
def admin_document_action(doc_id: str, action: str) -> Response:
    c = bootstrap.container()
    record = c.admin.document(doc_id) if is_doc_id(doc_id) else None
    principal = _staff(record.issuer if record else "")
    if record is None:
        raise NotFound("no such document", code=ErrorCode.DOCUMENT_NOT_FOUND)
    if action == "revoke":
        body = json_body(_request(), c.settings.max_body_bytes)
        done = c.admin_as(_actor(principal)).revoke_document(
            doc_id, inputs.free_text(body, "reason")
        )
        return json_response(views.document_status_view(done))
    if action == "reissue":
        body = json_body(_request(), c.settings.max_body_bytes) if _request().raw_body else {}
        issued = c.issuing.reissue(doc_id, _actor(principal), inputs.corrections(body))
        return json_response(
            {"superseded": doc_id, "id": issued.id, "qr_text": issued.qr_text}, 201
        )
    raise NotFound("no such action", code=ErrorCode.NOT_FOUND)


@bp.route(f"{API}/audit", methods=["GET"])
@guarded
def audit_trail() -> Response:
    c = bootstrap.container()
    _staff()
    query: Any = _request().query_params or {}
    try:
        after = int(query.get("after", 0))
        limit = min(max(int(query.get("limit", 100)), 1), 500)
    except ValueError as exc:
        raise BadRequest("after and limit are whole numbers") from exc
    action, target = query.get("action"), query.get("target")
    entries = []
    last = after
    for entry in c.audit.entries(after):
        last = entry.seq
        if (action and entry.action != action) or (target and entry.target != target):
            continue
        entries.append(views.audit_view(entry))
        if len(entries) >= limit:
            break
    more = len(entries) >= limit
    return json_response({"entries": entries, "next_after": last if more else None})
