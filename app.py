"""docseal's HTTP API: routes only. Each parses the request, calls a service
and answers; errors become HTTP in ``chalicelib.http.guarded``."""

from __future__ import annotations

import base64
from pathlib import Path

from chalice.app import Chalice, Request, Response

from chalicelib import bootstrap
from chalicelib.domain.catalogue import CATALOGUE
from chalicelib.domain.principal import Principal
from chalicelib.domain.views import iso
from chalicelib.http import (
    FILE_TYPES,
    UPLOAD_TYPES,
    date_field,
    guarded,
    json_body,
    json_response,
    media_type,
    require,
    text_field,
    uploaded_file,
)
from chalicelib.services.issuing import IssueRequest

app = Chalice(app_name="docseal")
app.api.binary_types = sorted({*app.api.binary_types, "multipart/form-data", *FILE_TYPES})
API = "/api/v1"


def _request() -> Request:
    request = app.current_request
    assert request is not None
    return request


def _principal() -> Principal:
    c = bootstrap.container()
    return c.tokens.principal(_request().headers.get("authorization"), c.clock.now())


@app.route(f"{API}/health", methods=["GET"])
@guarded
def health() -> Response:
    c = bootstrap.container()
    return json_response(
        {
            "status": "ok",
            "format": "DS1",
            "store": c.store.backend,
            "custody": c.custody.name,
            "trust_as_of": iso(c.trust.snapshot().as_of),
            "decoders": list(c.scanner.decoders()),
        }
    )


@app.route(f"{API}/verify", methods=["POST"], content_types=UPLOAD_TYPES)
@guarded
def verify() -> Response:
    """A QR text as JSON, or a photo, screenshot, scan or PDF (raw or as a form)."""
    c = bootstrap.container()
    request = _request()
    if media_type(request) == "application/json":
        body = json_body(request, c.settings.max_body_bytes)
        verdict = c.verifier.verify(body.get("qr_text"), body.get("holder_id"))
        return json_response(verdict.to_dict())
    data, fields = uploaded_file(request, c.settings.intake.max_file_bytes)
    holder_id = fields.get("holder_id") or request.headers.get("x-holder-id")
    return json_response(c.files.verify_file(data, holder_id).to_dict())


@app.route(f"{API}/trust", methods=["GET"])
@guarded
def trust() -> Response:
    snapshot = bootstrap.container().trust.snapshot()
    return json_response(
        {
            "as_of": iso(snapshot.as_of),
            "issuers": [
                {
                    "code": i.code,
                    "name_vi": i.name_vi,
                    "name_en": i.name_en,
                    "allowed_types": sorted(i.allowed_types),
                    "area": i.area,
                    "status": i.status,
                }
                for i in snapshot.issuers.values()
            ],
            "keys": [
                {
                    "kid": k.kid,
                    "issuer": k.issuer,
                    "alg": "ES256",
                    "public_key": base64.b64encode(k.public_key_der).decode(),
                    "status": k.status,
                    "activated_at": iso(k.activated_at),
                    "retired_at": iso(k.retired_at) if k.retired_at else None,
                    "revoked_at": iso(k.revoked_at) if k.revoked_at else None,
                }
                for k in snapshot.keys.values()
            ],
            "doc_types": [t.to_dict() for t in snapshot.doc_types.values()],
        },
        headers={"Cache-Control": "public, max-age=60"},
    )


@app.route(f"{API}/doctypes", methods=["GET"])
@guarded
def doctypes() -> Response:
    return json_response({"doc_types": [t.to_dict() for t in CATALOGUE.values()]})


@app.route(f"{API}/documents", methods=["POST"])
@guarded
def issue_document() -> Response:
    c = bootstrap.container()
    principal = require(_principal(), "issuer")
    request = _request()
    body = json_body(request, c.settings.max_body_bytes)
    holder = body.get("holder")
    if not isinstance(holder, dict):
        holder = {}
    fields = body.get("fields", {})
    issued = c.issuing.issue(
        IssueRequest(
            issuer=principal.issuer or "",
            type=text_field(body, "type") or "",
            holder_id=text_field(holder, "id_number") or "",
            holder_name=text_field(holder, "full_name") or "",
            holder_dob=date_field(holder, "dob"),  # type: ignore[arg-type]
            fields=fields,
            expires=date_field(body, "expires", required=False),
            kid=text_field(body, "kid", required=False),
        ),
        idempotency_key=request.headers.get("idempotency-key") or None,
    )
    record = issued.record
    links = f"{API}/documents/{issued.id}"
    return json_response(
        {
            "id": issued.id,
            "qr_text": issued.qr_text,
            "kid": record.kid,
            "issued_at": iso(record.issued_at),
            "expires_at": iso(record.expires_at) if record.expires_at else None,
            "qr_png_url": f"{links}/qr.png",
            "pdf_url": f"{links}/result.pdf",
        },
        200 if issued.replayed else 201,
    )


@app.route(f"{API}/documents/{{doc_id}}/qr.png", methods=["GET"])
@guarded
def document_qr(doc_id: str) -> Response:
    c = bootstrap.container()
    record = c.documents.get(doc_id, _principal())
    return Response(
        body=c.documents.qr_png(record),
        headers={"Content-Type": "image/png", "Cache-Control": "private, no-store"},
    )


@app.route(f"{API}/documents/{{doc_id}}/result.pdf", methods=["GET"])
@guarded
def document_pdf(doc_id: str) -> Response:
    c = bootstrap.container()
    record = c.documents.get(doc_id, _principal())
    return Response(
        body=c.documents.result_pdf(record),
        headers={
            "Content-Type": "application/pdf",
            "Content-Disposition": f'inline; filename="docseal-{record.id}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )


def _page() -> Response:
    html = (Path(__file__).resolve().parent / "chalicelib" / "web" / "verify.html").read_text()
    return Response(
        body=html,
        headers={"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-cache"},
    )


@app.route("/", methods=["GET"])
@guarded
def home() -> Response:
    return _page()


@app.route("/v", methods=["GET"])
@guarded
def verify_page() -> Response:
    """What a phone camera opens from a docseal QR code; the payload is in the fragment."""
    return _page()
