"""Citizens' API: their documents and the share links they make."""

from __future__ import annotations

from chalice.app import Blueprint, Request, Response

from chalicelib import bootstrap
from chalicelib.domain import views
from chalicelib.domain.principal import Principal
from chalicelib.http import (
    guarded,
    json_body,
    json_response,
    pdf_response,
    png_response,
)
from chalicelib.routes.common import API, current_request, principal_of

bp = Blueprint(__name__)


def _request() -> Request:
    return current_request(bp)


def _principal() -> Principal:
    return principal_of(_request())


@bp.route(f"{API}/me/documents", methods=["GET"])
@guarded
def my_documents() -> Response:
    c = bootstrap.container()
    principal = _principal()
    records = c.links.my_documents(principal)
    types = c.trust.snapshot().doc_types
    return json_response(
        {
            "documents": [
                views.held_document_view(
                    r, f"{API}/me/documents/{r.id}", c.links.signed(r), types.get(r.type)
                )
                for r in records
            ]
        }
    )


@bp.route(f"{API}/me/documents/{{doc_id}}/qr.png", methods=["GET"])
@guarded
def my_document_qr(doc_id: str) -> Response:
    c = bootstrap.container()
    record = c.links.my_document(_principal(), doc_id)
    return png_response(c.documents.qr_png(record))


@bp.route(f"{API}/me/documents/{{doc_id}}/result.pdf", methods=["GET"])
@guarded
def my_document_pdf(doc_id: str) -> Response:
    c = bootstrap.container()
    record = c.links.my_document(_principal(), doc_id)
    return pdf_response(c.documents.result_pdf(record), f"docseal-{record.id}.pdf")


@bp.route(f"{API}/me/documents/{{doc_id}}/links", methods=["POST"])
@guarded
def create_link(doc_id: str) -> Response:
    c = bootstrap.container()
    principal = _principal()
    body = json_body(_request(), c.settings.max_body_bytes)
    created = c.links.create(
        principal,
        doc_id,
        expires_in=body.get("expires_in"),
        max_views=body.get("max_views"),
        recipient=body.get("recipient"),
        disclose=body.get("disclose"),
    )
    out = views.link_view(created.link, None, c.clock.now())
    out["url"] = created.url
    return json_response(out, 201)


@bp.route(f"{API}/me/links", methods=["GET"])
@guarded
def my_links() -> Response:
    c = bootstrap.container()
    now = c.clock.now()
    return json_response(
        {
            "links": [
                views.link_view(link, openings, now)
                for link, openings in c.links.my_links(_principal())
            ]
        }
    )


@bp.route(f"{API}/me/links/{{link_id}}", methods=["GET"])
@guarded
def my_link(link_id: str) -> Response:
    c = bootstrap.container()
    principal = _principal()
    link = c.links.my_link(principal, link_id)
    return json_response(views.link_view(link, c.links.views(principal, link_id), c.clock.now()))


@bp.route(f"{API}/me/links/{{link_id}}", methods=["DELETE"])
@guarded
def revoke_link(link_id: str) -> Response:
    c = bootstrap.container()
    link = c.links.revoke(_principal(), link_id)
    return json_response(views.link_view(link, None, c.clock.now()))
