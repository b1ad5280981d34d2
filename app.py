"""docseal's HTTP API: routes only. Each parses the request, calls a service
and answers; errors become HTTP in ``chalicelib.http.guarded``."""

from __future__ import annotations

import base64
import datetime as dt
import logging
from typing import Any

from chalice.app import Chalice, Request, Response

from chalicelib import bootstrap
from chalicelib.domain.devices import coarse_device
from chalicelib.domain.principal import Principal
from chalicelib.domain.views import iso
from chalicelib.errors import (
    BadRequest,
    DocsealError,
    Forbidden,
    LinkUnavailable,
    NotFound,
    TooManyRequests,
    Unavailable,
)
from chalicelib.http import (
    FILE_TYPES,
    UPLOAD_TYPES,
    date_field,
    guarded,
    json_body,
    json_response,
    media_type,
    read_form,
    require,
    text_field,
    uploaded_file,
)
from chalicelib.services import links as link_views
from chalicelib.services.issuing import IssueRequest
from chalicelib.services.receipts import receipt_json
from chalicelib.web import pages

log = logging.getLogger("docseal")
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
    c.limiter.check("verify", _client())
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
            "signed": _signed_trust_list(),
        },
        headers={"Cache-Control": "public, max-age=60"},
    )


def _signed_trust_list() -> dict[str, str] | None:
    """The same trust data signed by the root key, with its status lists, for
    offline verifiers (None until an administrator creates a root key)."""
    try:
        published = bootstrap.container().trustlist.publish()
    except Unavailable:
        return None
    return {
        "jws": published.jws,
        "root_kid": published.root_kid,
        "issued_at": iso(published.issued_at),
        "next_update": iso(published.next_update),
    }


@app.route(f"{API}/doctypes", methods=["GET"])
@guarded
def doctypes() -> Response:
    types = bootstrap.container().trust.snapshot().doc_types
    return json_response({"doc_types": [t.to_dict() for t in types.values()]})


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


def _client() -> str:
    """The caller's address as API Gateway (or the local server) saw it."""
    identity = (_request().context or {}).get("identity") or {}
    return str(identity.get("sourceIp") or "unknown")


# --- citizens: my documents and share links ---------------------------------


@app.route(f"{API}/me/documents", methods=["GET"])
@guarded
def my_documents() -> Response:
    c = bootstrap.container()
    principal = _principal()
    records = c.links.my_documents(principal)
    types = c.trust.snapshot().doc_types
    return json_response(
        {
            "documents": [
                link_views.document_dict(r, c.links.signed(r), types.get(r.type)) for r in records
            ]
        }
    )


@app.route(f"{API}/me/documents/{{doc_id}}/qr.png", methods=["GET"])
@guarded
def my_document_qr(doc_id: str) -> Response:
    c = bootstrap.container()
    record = c.links.my_document(_principal(), doc_id)
    return Response(
        body=c.documents.qr_png(record),
        headers={"Content-Type": "image/png", "Cache-Control": "private, no-store"},
    )


@app.route(f"{API}/me/documents/{{doc_id}}/result.pdf", methods=["GET"])
@guarded
def my_document_pdf(doc_id: str) -> Response:
    c = bootstrap.container()
    record = c.links.my_document(_principal(), doc_id)
    return Response(
        body=c.documents.result_pdf(record),
        headers={
            "Content-Type": "application/pdf",
            "Content-Disposition": f'inline; filename="docseal-{record.id}.pdf"',
            "Cache-Control": "private, no-store",
        },
    )


@app.route(f"{API}/me/documents/{{doc_id}}/links", methods=["POST"])
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
    out = link_views.link_dict(created.link, None, c.clock.now())
    out["url"] = created.url
    return json_response(out, 201)


@app.route(f"{API}/me/links", methods=["GET"])
@guarded
def my_links() -> Response:
    c = bootstrap.container()
    now = c.clock.now()
    return json_response(
        {
            "links": [
                link_views.link_dict(link, views, now)
                for link, views in c.links.my_links(_principal())
            ]
        }
    )


@app.route(f"{API}/me/links/{{link_id}}", methods=["GET"])
@guarded
def my_link(link_id: str) -> Response:
    c = bootstrap.container()
    principal = _principal()
    link = c.links.my_link(principal, link_id)
    return json_response(
        link_views.link_dict(link, c.links.views(principal, link_id), c.clock.now())
    )


@app.route(f"{API}/me/links/{{link_id}}", methods=["DELETE"])
@guarded
def revoke_link(link_id: str) -> Response:
    c = bootstrap.container()
    link = c.links.revoke(_principal(), link_id)
    return json_response(link_views.link_dict(link, None, c.clock.now()))


# --- administration ---------------------------------------------------------


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
    raise Forbidden("this needs the role admin (or the document's own issuer)", code="WRONG_ROLE")


def _actor(principal: Principal) -> str:
    return f"{principal.role}:{principal.subject}"


@app.route(f"{API}/admin/issuers", methods=["POST"])
@guarded
def admin_add_issuer() -> Response:
    c = bootstrap.container()
    principal = _staff()
    body = json_body(_request(), c.settings.max_body_bytes)
    types = body.get("types")
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise BadRequest("types is a list of document type codes")
    issuer = c.admin_as(_actor(principal)).add_issuer(
        text_field(body, "code") or "",
        text_field(body, "name_vi") or "",
        text_field(body, "name_en", required=False) or "",
        types,
        text_field(body, "area", required=False) or "",
    )
    return json_response({"code": issuer.code, "allowed_types": sorted(issuer.allowed_types)}, 201)


@app.route(f"{API}/admin/doctypes", methods=["POST"])
@guarded
def admin_define_doc_type() -> Response:
    c = bootstrap.container()
    principal = _staff()
    body = json_body(_request(), c.settings.max_body_bytes)
    fields = body.get("fields")
    if not isinstance(fields, list) or not all(isinstance(f, dict) for f in fields):
        raise BadRequest("fields is a list of {code, label_vi, label_en, required}")
    days = body.get("default_validity_days")
    if days is not None and (isinstance(days, bool) or not isinstance(days, int)):
        raise BadRequest("default_validity_days is a whole number")
    doc_type = c.admin_as(_actor(principal)).define_doc_type(
        text_field(body, "code") or "",
        text_field(body, "name_vi") or "",
        text_field(body, "name_en", required=False) or "",
        [
            (
                str(f.get("code", "")),
                str(f.get("label_vi", "")),
                str(f.get("label_en", "")),
                f.get("required", True) is not False,
            )
            for f in fields
        ],
        days,
    )
    return json_response(doc_type.to_dict(), 201)


@app.route(f"{API}/admin/issuers/{{code}}/{{action}}", methods=["POST"])
@guarded
def admin_issuer_action(code: str, action: str) -> Response:
    c = bootstrap.container()
    principal = _staff(code) if action in ("rotate-key",) else _staff()
    admin = c.admin_as(_actor(principal))
    if action in ("suspend", "reinstate"):
        issuer = admin.set_issuer_status(code, "suspended" if action == "suspend" else "active")
        return json_response({"code": issuer.code, "status": issuer.status})
    if action in ("create-key", "rotate-key"):
        key = admin.create_key(code) if action == "create-key" else admin.rotate_key(code)
        return json_response({"kid": key.kid, "issuer": key.issuer, "status": key.status}, 201)
    raise NotFound("no such action", code="NOT_FOUND")


@app.route(f"{API}/admin/keys/{{kid}}/revoke", methods=["POST"])
@guarded
def admin_revoke_key(kid: str) -> Response:
    c = bootstrap.container()
    principal = _staff()
    body = json_body(_request(), c.settings.max_body_bytes)
    effective = body.get("effective")
    when = None
    if effective is not None:
        try:
            when = dt.datetime.fromisoformat(str(effective).replace("Z", "+00:00"))
        except ValueError as exc:
            raise BadRequest("effective is an ISO 8601 time", code="INVALID_DATE") from exc
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
    key = c.admin_as(_actor(principal)).revoke_key(kid, str(body.get("reason") or ""), when)
    return json_response(
        {
            "kid": key.kid,
            "status": key.status,
            "revoked_at": iso(key.revoked_at) if key.revoked_at else None,
            "reason": key.revocation_reason,
        }
    )


@app.route(f"{API}/admin/keys/{{kid}}/reissue", methods=["POST"])
@guarded
def admin_reissue_key(kid: str) -> Response:
    c = bootstrap.container()
    principal = _staff()
    pairs = c.issuing.reissue_key(kid, _actor(principal))
    return json_response({"reissued": [{"superseded": a, "id": b} for a, b in pairs]})


@app.route(f"{API}/admin/documents/{{doc_id}}/{{action}}", methods=["POST"])
@guarded
def admin_document_action(doc_id: str, action: str) -> Response:
    c = bootstrap.container()
    record = c.store.get_document(doc_id) if len(doc_id) == 26 else None
    principal = _staff(record.issuer if record else "")
    if record is None:
        raise NotFound("no such document", code="DOCUMENT_NOT_FOUND")
    if action == "revoke":
        body = json_body(_request(), c.settings.max_body_bytes)
        done = c.admin_as(_actor(principal)).revoke_document(doc_id, str(body.get("reason") or ""))
        return json_response({"id": done.id, "status": done.status, "reason": done.status_reason})
    if action == "reissue":
        body = json_body(_request(), c.settings.max_body_bytes) if _request().raw_body else {}
        corrections = body.get("fields") or {}
        if not isinstance(corrections, dict):
            raise BadRequest("fields is an object of field code to corrected text")
        issued = c.issuing.reissue(doc_id, _actor(principal), corrections)
        return json_response(
            {"superseded": doc_id, "id": issued.id, "qr_text": issued.qr_text}, 201
        )
    raise NotFound("no such action", code="NOT_FOUND")


@app.route(f"{API}/audit", methods=["GET"])
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
    from chalicelib.adapters.records import audit_to

    entries = []
    last = after
    for entry in c.audit.entries(after):
        last = entry.seq
        if (action and entry.action != action) or (target and entry.target != target):
            continue
        entries.append(audit_to(entry))
        if len(entries) >= limit:
            break
    more = len(entries) >= limit
    return json_response({"entries": entries, "next_after": last if more else None})


# --- pages ------------------------------------------------------------------

FORM_TYPES = ["multipart/form-data", "application/x-www-form-urlencoded"]
SESSION = "docseal_session"
LANG = "docseal_lang"


def _cookies() -> dict[str, str]:
    from http.cookies import CookieError, SimpleCookie

    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(_request().headers.get("cookie", ""))
    except CookieError:
        return {}
    return {k: v.value for k, v in jar.items()}


def _lang(form: dict[str, str] | None = None) -> str:
    query: Any = _request().query_params or {}
    chosen = (form or {}).get("lang") or query.get("lang") or _cookies().get(LANG)
    return "en" if chosen == "en" else "vi"


def _officer() -> Principal | None:
    """The signed-in officer, if any: verifying never needs one."""
    token = _cookies().get(SESSION)
    if not token:
        return None
    c = bootstrap.container()
    try:
        principal = c.tokens.principal(f"Bearer {token}", c.clock.now())
    except DocsealError:
        return None
    return principal if principal.role == "verifier" else None


def _html(
    template: str, lang: str, status: int = 200, cookies: tuple[str, ...] = (), **context: Any
) -> Response:
    signed_in = _session() if "agency" not in context or "citizen" not in context else None
    context.setdefault("agency", _agency_label(signed_in))
    context.setdefault("citizen", signed_in is not None and signed_in.role == "citizen")
    context.setdefault("max_bytes", bootstrap.container().settings.intake.max_file_bytes)
    headers: dict[str, str | list[str]] = dict(pages.PAGE_HEADERS)
    query: Any = _request().query_params or {}
    wanted = [*cookies]
    if query.get("lang") in ("vi", "en"):
        wanted.append(f"{LANG}={lang}; Path=/; Max-Age=31536000; SameSite=Lax")
    if wanted:
        headers["Set-Cookie"] = wanted if len(wanted) > 1 else wanted[0]
    body = pages.render(template, lang, **context)
    return Response(body=body, status_code=status, headers=headers)


def _agency_label(officer: Principal | None) -> str:
    return officer.agency_label() if officer is not None else ""


def page_guarded(view: Any) -> Any:
    """Pages answer errors with a page in the officer's language, never a trace."""
    import functools

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        try:
            return view(*args, **kwargs)  # type: ignore[no-any-return]
        except DocsealError as exc:
            lang = _lang()
            status = exc.http_status
            return _html("home.html", lang, status, error=pages.error_text(exc, lang), qr_text="")
        except Exception as exc:  # the last line of defence
            log.error("unhandled %s in %s", type(exc).__name__, view.__name__)
            return Response(
                body="docseal: an internal error occurred",
                status_code=500,
                headers={"Content-Type": "text/plain; charset=utf-8"},
            )

    return wrapper


@app.route("/", methods=["GET"])
@page_guarded
def home() -> Response:
    return _html("home.html", _lang(), error="", qr_text="")


@app.route("/", methods=["POST"], content_types=FORM_TYPES)
@page_guarded
def home_check() -> Response:
    """The plain form POST: works without JavaScript, and carries /v's fragment."""
    c = bootstrap.container()
    form = read_form(_request(), c.settings.intake.max_file_bytes)
    lang = _lang(form.fields)
    officer = _officer()
    try:
        result = c.desk.check(
            qr_text=form.fields.get("qr_text"),
            file=form.files.get("file"),
            holder_id=form.fields.get("holder_id"),
            card=form.files.get("card"),
            officer=officer,
        )
    except DocsealError as exc:
        return _html(
            "home.html",
            lang,
            exc.http_status,
            error=pages.error_text(exc, lang),
            qr_text=form.fields.get("qr_text", ""),
        )
    return _html(
        "result.html",
        lang,
        results=[
            pages.verdict_view(x.verdict, lang, x.qr_text, x.receipt, page=x.page)
            for x in result.checks
        ],
        foreign=[{"page": page, "preview": preview} for page, preview in result.foreign],
        reasons=[pages.reason_view(r.value, lang) for r in result.reasons],
        hint=(result.hint[1] if lang == "en" else result.hint[0]) if result.hint else "",
    )


@app.route("/v", methods=["GET"])
@page_guarded
def verify_page() -> Response:
    """What a phone camera opens from a docseal QR code; the payload is in the fragment."""
    return _html("camera.html", _lang())


@app.route("/s/{token}", methods=["GET"])
@page_guarded
def shared(token: str) -> Response:
    """A citizen's share link: the live verdict and only the fields they chose."""
    c = bootstrap.container()
    lang = _lang()
    try:
        c.limiter.check("links", _client())
    except TooManyRequests as exc:
        response = _html("unavailable.html", lang, 429, limited=True)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    officer = _officer()
    try:
        opened = c.links.open(token, coarse_device(_request().headers.get("user-agent")), officer)
    except LinkUnavailable:
        return _html("unavailable.html", lang, 404, limited=False)
    result = pages.verdict_view(
        opened.verdict,
        lang,
        opened.qr_text,
        c.receipts.offer(opened.verdict, officer),
        disclose=opened.link.disclose,
    )
    return _html(
        "shared.html",
        lang,
        results=[result],
        link=link_views.link_dict(opened.link, None, c.clock.now()),
        expires=pages.moment(iso(opened.link.expires_at)),
    )


@app.route("/receipt", methods=["POST"], content_types=FORM_TYPES)
@page_guarded
def receipt() -> Response:
    c = bootstrap.container()
    form = read_form(_request(), c.settings.max_body_bytes)
    verdict, text = c.receipts.open(form.fields.get("receipt", ""))
    assert verdict.document is not None
    name = f"docseal-receipt-{verdict.document.id}"
    if form.fields.get("format") == "json":
        return json_response(
            receipt_json(verdict, text),
            headers={"Content-Disposition": f'attachment; filename="{name}.json"'},
        )
    return Response(
        body=c.documents.pdf_for(text),
        headers={
            "Content-Type": "application/pdf",
            "Content-Disposition": f'attachment; filename="{name}.pdf"',
            "Cache-Control": "no-store",
        },
    )


@app.route("/signin", methods=["GET"])
@page_guarded
def signin_page() -> Response:
    return _html("signin.html", _lang(), error="")


@app.route("/signin", methods=["POST"], content_types=FORM_TYPES)
@page_guarded
def signin() -> Response:
    c = bootstrap.container()
    form = read_form(_request(), c.settings.max_body_bytes)
    lang = _lang(form.fields)
    token = form.fields.get("token", "").strip()
    try:
        principal = require(
            c.tokens.principal(f"Bearer {token}", c.clock.now()), "verifier", "citizen"
        )
        if principal.role == "citizen":
            c.links.owner(principal)  # the token must name a valid ID number
    except DocsealError as exc:
        return _html("signin.html", lang, exc.http_status, error=pages.error_text(exc, lang))
    cookie = f"{SESSION}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=28800"
    if c.settings.public_url.startswith("https://"):
        cookie += "; Secure"
    if principal.role == "citizen":
        return _me_page(
            principal, lang, cookies=(cookie,), citizen=True, agency="", created=None, message=""
        )
    return _html(
        "home.html",
        lang,
        cookies=(cookie,),
        agency=_agency_label(principal),
        citizen=False,
        error="",
        qr_text="",
    )


def _session() -> Principal | None:
    token = _cookies().get(SESSION)
    if not token:
        return None
    c = bootstrap.container()
    try:
        return c.tokens.principal(f"Bearer {token}", c.clock.now())
    except DocsealError:
        return None


def _me_page(
    principal: Principal, lang: str, status: int = 200, cookies: tuple[str, ...] = (), **extra: Any
) -> Response:
    c = bootstrap.container()
    now = c.clock.now()
    docs = []
    for record in c.links.my_documents(principal):
        signed = c.links.signed(record)
        spec = c.trust.snapshot().doc_types.get(record.type)
        docs.append(
            {
                "id": record.id,
                "type_name": (spec.name_en if lang == "en" else spec.name_vi)
                if spec
                else record.type,
                "issued_at": pages.day(iso(record.issued_at)),
                "status": record.status,
                "fields": [
                    (
                        code,
                        (f.label_en if lang == "en" else f.label_vi)
                        if spec and (f := spec.field(code))
                        else code,
                    )
                    for code in signed.fields
                ],
            }
        )
    links = []
    for link, views in c.links.my_links(principal):
        item = link_views.link_dict(link, views, now)
        item["created"] = pages.moment(item["created_at"])
        item["expires"] = pages.moment(item["expires_at"])
        item["log"] = [{**v, "when": pages.moment(v["at"])} for v in item["log"]]
        links.append(item)
    return _html("me.html", lang, status, cookies=cookies, documents=docs, links=links, **extra)


@app.route("/me", methods=["GET"])
@page_guarded
def me_page() -> Response:
    lang = _lang()
    principal = _session()
    if principal is None or principal.role != "citizen":
        return _html("signin.html", lang, 401, error="")
    return _me_page(principal, lang, created=None, message="")


@app.route("/me/links", methods=["POST"], content_types=FORM_TYPES)
@page_guarded
def me_create_link() -> Response:
    c = bootstrap.container()
    form = read_form(_request(), c.settings.max_body_bytes)
    lang = _lang(form.fields)
    principal = _session()
    if principal is None or principal.role != "citizen":
        return _html("signin.html", lang, 401, error="")
    chosen = [k.removeprefix("field:") for k in form.fields if k.startswith("field:")]
    max_views = form.fields.get("max_views", "").strip()
    try:
        created = c.links.create(
            principal,
            form.fields.get("doc_id", ""),
            expires_in=form.fields.get("expires_in") or None,
            max_views=int(max_views) if max_views.isdigit() else (max_views or None),
            recipient=form.fields.get("recipient") or None,
            disclose=chosen,
        )
    except DocsealError as exc:
        return _me_page(
            principal, lang, exc.http_status, created=None, message=pages.error_text(exc, lang)
        )
    qr = base64.b64encode(c.qr.png(created.url, "")).decode()
    return _me_page(principal, lang, 201, created={"url": created.url, "qr": qr}, message="")


@app.route("/me/links/{link_id}/revoke", methods=["POST"], content_types=FORM_TYPES)
@page_guarded
def me_revoke_link(link_id: str) -> Response:
    c = bootstrap.container()
    form = read_form(_request(), c.settings.max_body_bytes)
    lang = _lang(form.fields)
    principal = _session()
    if principal is None or principal.role != "citizen":
        return _html("signin.html", lang, 401, error="")
    try:
        c.links.revoke(principal, link_id)
    except DocsealError as exc:
        return _me_page(
            principal, lang, exc.http_status, created=None, message=pages.error_text(exc, lang)
        )
    return _me_page(principal, lang, created=None, message="")


@app.route("/signout", methods=["POST"], content_types=FORM_TYPES)
@page_guarded
def signout() -> Response:
    cookie = f"{SESSION}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
    return _html(
        "home.html", _lang(), cookies=(cookie,), agency="", citizen=False, error="", qr_text=""
    )


@app.route("/static/{name}", methods=["GET"])
@page_guarded
def static(name: str) -> Response:
    found = pages.static_file(name)
    if found is None:
        raise NotFound("no such file")
    body, kind = found
    return Response(
        body=body.decode("utf-8"),
        headers={
            "Content-Type": kind,
            "Cache-Control": "public, max-age=300",
            "X-Content-Type-Options": "nosniff",
        },
    )
