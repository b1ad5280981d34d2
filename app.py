"""docseal's HTTP entry point: the core API routes here, the citizens', the
administration and the page routes as blueprints in ``chalicelib.routes``.
Each route parses the request, calls a service and answers: who may do what,
how often, and with which values is the services' to decide, so every door
gets the same rules. Errors become HTTP in ``chalicelib.http.guarded``
(pages: ``routes.pages.base.page_guarded``); ``chalicelib.http.correlate``
logs each request under a correlation id."""

from __future__ import annotations

from chalice.app import Chalice, Request, Response

from chalicelib import bootstrap
from chalicelib.domain import views
from chalicelib.domain.caller import Caller
from chalicelib.domain.principal import Principal
from chalicelib.errors import (
    Unavailable,
)
from chalicelib.forms import FILE_TYPES, is_json, uploaded_file
from chalicelib.http import (
    correlate,
    guarded,
    json_body,
    json_response,
    pdf_response,
    png_response,
)
from chalicelib.routes import admin, citizens, fallback
from chalicelib.routes import pages as pages_routes
from chalicelib.routes.common import API, caller_of, principal_of
from chalicelib.routes.pages.base import ANY_TYPES

# Logging is configured by the telemetry adapter (JSON lines), not by Chalice.
app = Chalice(app_name="docseal", configure_logs=False)
app.api.binary_types = sorted({*app.api.binary_types, "multipart/form-data", *FILE_TYPES})
app.register_middleware(correlate, "http")
for blueprint in (citizens.bp, admin.bp, pages_routes.bp):
    app.register_blueprint(blueprint)


def _request() -> Request:
    request = app.current_request
    assert request is not None
    return request


def _principal() -> Principal:
    return principal_of(_request())


def _caller() -> Caller:
    return caller_of(_request())


@app.route(f"{API}/health", methods=["GET"])
@guarded
def health() -> Response:
    c = bootstrap.container()
    return json_response(
        {
            "status": "ok",
            "format": "DS1",
            "store": c.storage.backend,
            "custody": c.custody.name,
            "trust_as_of": views.iso(c.trust.snapshot().as_of),
            "decoders": list(c.scanner.decoders()),
        }
    )


# Any declared type: a file is judged by its bytes (``image/jpg``, ``image/pjpeg``,
# ``application/x-pdf``, none at all), and what docseal cannot read is refused in
# its own words (UNSUPPORTED_FILE), never by Chalice's 415.
@app.route(f"{API}/verify", methods=["POST"], content_types=ANY_TYPES)
@guarded
def verify() -> Response:
    """A QR text as JSON, or a photo, screenshot, scan or PDF (raw or as a form)."""
    c = bootstrap.container()
    request = _request()
    if is_json(request):
        body = json_body(request, c.settings.max_body_bytes)
        return json_response(c.verifier.verify_request(body, _caller()).to_dict())
    data, fields = uploaded_file(request, c.settings.intake.max_file_bytes)
    holder_id = fields.get("holder_id") or request.headers.get("x-holder-id")
    return json_response(c.files.verify_upload(data, holder_id, _caller()).to_dict())


@app.route(f"{API}/trust", methods=["GET"])
@guarded
def trust() -> Response:
    snapshot = bootstrap.container().trust.snapshot()
    return json_response(
        views.trust_view(snapshot, _signed_trust_list()),
        headers={"Cache-Control": "public, max-age=60"},
    )


def _signed_trust_list() -> views.PublishedTrustList | None:
    """The same trust data signed by the root key, with its status lists, for
    offline verifiers (None until an administrator creates a root key)."""
    try:
        return bootstrap.container().trustlist.publish()
    except Unavailable:
        return None


@app.route(f"{API}/doctypes", methods=["GET"])
@guarded
def doctypes() -> Response:
    types = bootstrap.container().trust.snapshot().doc_types
    return json_response({"doc_types": [views.doc_type_view(t) for t in types.values()]})


@app.route(f"{API}/documents", methods=["POST"])
@guarded
def issue_document() -> Response:
    c = bootstrap.container()
    principal = _principal()
    request = _request()
    issued = c.issuing.issue_from(
        json_body(request, c.settings.max_body_bytes),
        principal,
        idempotency_key=request.headers.get("idempotency-key") or None,
    )
    return json_response(
        views.issued_document_view(issued.record, issued.qr_text, f"{API}/documents/{issued.id}"),
        200 if issued.replayed else 201,
    )


@app.route(f"{API}/documents/{{doc_id}}/qr.png", methods=["GET"])
@guarded
def document_qr(doc_id: str) -> Response:
    c = bootstrap.container()
    record = c.documents.get(doc_id, _principal())
    return png_response(c.documents.qr_png(record))


@app.route(f"{API}/documents/{{doc_id}}/result.pdf", methods=["GET"])
@guarded
def document_pdf(doc_id: str) -> Response:
    c = bootstrap.container()
    record = c.documents.get(doc_id, _principal())
    return pdf_response(c.documents.result_pdf(record), f"docseal-{record.id}.pdf")


# Last: every path answers every method, and unknown paths, in docseal's words.
fallback.install(app)
