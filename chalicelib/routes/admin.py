"""The administration API: issuers, types, keys, documents, the audit trail,
verifying agencies and their officer accounts.

The values in a body are read by ``chalicelib.domain.inputs`` (the same
checks, codes and messages whichever door asks); who may act is decided by
the audit service (``AuditLog.admit``), which names the actor the services
record; a route only translates HTTP."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from chalice.app import Blueprint, Request, Response

from chalicelib import bootstrap
from chalicelib.domain import inputs, views
from chalicelib.domain import officers as officer_rules
from chalicelib.domain.claims import is_doc_id
from chalicelib.domain.principal import Principal
from chalicelib.errors import (
    BadRequest,
    ErrorCode,
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


def _staff(*issuer_codes: str) -> str:
    """The actor the signed-in principal administers as; the audit service
    decides who may (and records a refusal)."""
    return bootstrap.container().audit.admit(_principal(), _request().path, *issuer_codes)


@bp.route(f"{API}/admin/issuers", methods=["POST"])
@guarded
def admin_add_issuer() -> Response:
    c = bootstrap.container()
    actor = _staff()
    new = inputs.new_issuer(json_body(_request(), c.settings.max_body_bytes))
    issuer = c.issuers.add_issuer(
        new.code, new.name_vi, new.name_en, new.types, new.area, actor=actor
    )
    return json_response(views.issuer_added_view(issuer), 201)


@bp.route(f"{API}/admin/doctypes", methods=["POST"])
@guarded
def admin_define_doc_type() -> Response:
    c = bootstrap.container()
    actor = _staff()
    new = inputs.new_doc_type(json_body(_request(), c.settings.max_body_bytes))
    doc_type = c.doctypes.define_doc_type(
        new.code, new.name_vi, new.name_en, new.fields, new.default_validity_days, actor=actor
    )
    return json_response(views.doc_type_view(doc_type), 201)


@bp.route(f"{API}/admin/issuers/{{code}}/{{action}}", methods=["POST"])
@guarded
def admin_issuer_action(code: str, action: str) -> Response:
    c = bootstrap.container()
    actor = _staff(code) if action in ("rotate-key",) else _staff()
    if action in ("suspend", "reinstate"):
        status = "suspended" if action == "suspend" else "active"
        issuer = c.issuers.set_issuer_status(code, status, actor=actor)
        return json_response(views.issuer_status_view(issuer))
    if action in ("create-key", "rotate-key"):
        keyring = c.keyring
        if action == "create-key":
            key = keyring.create_key(code, actor=actor)
        else:
            key = keyring.rotate_key(code, actor=actor)
        return json_response(views.new_key_view(key), 201)
    raise NotFound("no such action", code=ErrorCode.NOT_FOUND)


@bp.route(f"{API}/admin/keys/{{kid}}/revoke", methods=["POST"])
@guarded
def admin_revoke_key(kid: str) -> Response:
    c = bootstrap.container()
    actor = _staff()
    body = json_body(_request(), c.settings.max_body_bytes)
    when = inputs.optional_instant(body, "effective")
    key = c.keyring.revoke_key(kid, inputs.free_text(body, "reason"), when, actor=actor)
    return json_response(views.revoked_key_view(key))


@bp.route(f"{API}/admin/keys/{{kid}}/reissue", methods=["POST"])
@guarded
def admin_reissue_key(kid: str) -> Response:
    c = bootstrap.container()
    pairs = c.issuing.reissue_key(kid, _staff())
    return json_response({"reissued": [{"superseded": a, "id": b} for a, b in pairs]})


@bp.route(f"{API}/admin/documents/{{doc_id}}/{{action}}", methods=["POST"])
@guarded
def admin_document_action(doc_id: str, action: str) -> Response:
    c = bootstrap.container()
    record = c.revocation.document(doc_id) if is_doc_id(doc_id) else None
    actor = _staff(record.issuer if record else "")
    if record is None:
        raise NotFound("no such document", code=ErrorCode.DOCUMENT_NOT_FOUND)
    if action == "revoke":
        body = json_body(_request(), c.settings.max_body_bytes)
        done = c.revocation.revoke_document(doc_id, inputs.free_text(body, "reason"), actor=actor)
        return json_response(views.document_status_view(done))
    if action == "reissue":
        body = json_body(_request(), c.settings.max_body_bytes) if _request().raw_body else {}
        issued = c.issuing.reissue(doc_id, actor, inputs.corrections(body))
        return json_response(
            {"superseded": doc_id, "id": issued.id, "qr_text": issued.qr_text}, 201
        )
    raise NotFound("no such action", code=ErrorCode.NOT_FOUND)


@bp.route(f"{API}/audit", methods=["GET"])
@guarded
def audit_trail() -> Response:
    c = bootstrap.container()
    query: Any = _request().query_params or {}
    try:
        after = inputs.sequence(query.get("after", "0"), "after")
        limit = int(query.get("limit", 100))
    except (BadRequest, ValueError) as exc:
        _staff()  # who may not read the trail hears 403 before any word on the query
        raise BadRequest("after and limit are whole numbers") from exc
    page = c.audit.entries_for(
        _principal(),
        _request().path,
        after=after,
        limit=limit,
        action=query.get("action"),
        target=query.get("target"),
    )
    entries = [views.audit_view(entry) for entry in page.entries]
    return json_response({"entries": entries, "next_after": page.next_after})


# Verifying agencies and their officer accounts (issue 14) -----------------------


@bp.route(f"{API}/admin/agencies", methods=["GET"])
@guarded
def admin_list_agencies() -> Response:
    c = bootstrap.container()
    _staff()
    return json_response({"agencies": [views.agency_view(a) for a in c.officers.list_agencies()]})


@bp.route(f"{API}/admin/agencies", methods=["POST"])
@guarded
def admin_add_agency() -> Response:
    c = bootstrap.container()
    actor = _staff()
    new = officer_rules.new_agency_body(json_body(_request(), c.settings.max_body_bytes))
    agency = c.officers.add_agency(new.code, new.name, actor=actor)
    return json_response(views.agency_view(agency), 201)


@bp.route(f"{API}/admin/agencies/{{code}}/officers", methods=["GET"])
@guarded
def admin_list_officers(code: str) -> Response:
    c = bootstrap.container()
    _staff()
    accounts = c.officers.list_officers(code)
    return json_response({"officers": [views.officer_view(a) for a in accounts]})


@bp.route(f"{API}/admin/agencies/{{code}}/officers", methods=["POST"])
@guarded
def admin_add_officer(code: str) -> Response:
    c = bootstrap.container()
    actor = _staff()
    new = officer_rules.new_officer_body(json_body(_request(), c.settings.max_body_bytes))
    account = c.officers.add_officer(code, new.subject, new.name, new.email, actor=actor)
    return json_response(views.officer_view(account), 201)


@bp.route(f"{API}/admin/agencies/{{code}}/officers/{{subject}}/{{action}}", methods=["POST"])
@guarded
def admin_officer_action(code: str, subject: str, action: str) -> Response:
    c = bootstrap.container()
    actor = _staff()
    # API Gateway hands path parameters decoded, the local server as sent:
    # a subject with '|' or '/' arrives percent-encoded there.
    subject = unquote(subject)
    if action == "disable":
        account = c.officers.disable_officer(code, subject, actor=actor)
    elif action == "enable":
        account = c.officers.enable_officer(code, subject, actor=actor)
    else:
        raise NotFound("no such action", code=ErrorCode.NOT_FOUND)
    return json_response(views.officer_view(account))
