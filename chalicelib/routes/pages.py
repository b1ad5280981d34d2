"""The pages: the officer's verification desk, share links, citizens' pages."""

from __future__ import annotations

import base64
from typing import Any

from chalice.app import Blueprint, Request, Response

from chalicelib import bootstrap
from chalicelib.domain.devices import coarse_device
from chalicelib.domain.principal import Principal
from chalicelib.domain.views import iso
from chalicelib.errors import (
    DocsealError,
    LinkUnavailable,
    NotFound,
    TooManyRequests,
)
from chalicelib.http import (
    json_response,
    log_unhandled,
    pdf_response,
    read_form,
    require,
)
from chalicelib.routes.common import client_of, current_request
from chalicelib.services import links as link_views
from chalicelib.services.receipts import receipt_json
from chalicelib.web import pages

bp = Blueprint(__name__)


def _request() -> Request:
    return current_request(bp)


def _client() -> str:
    return client_of(_request())


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
    principal = _session()
    return principal if principal is not None and principal.role == "verifier" else None


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
            log_unhandled(exc, view.__name__)
            return Response(
                body="docseal: an internal error occurred",
                status_code=500,
                headers={"Content-Type": "text/plain; charset=utf-8"},
            )

    return wrapper


@bp.route("/", methods=["GET"])
@page_guarded
def home() -> Response:
    return _html("home.html", _lang(), error="", qr_text="")


@bp.route("/", methods=["POST"], content_types=FORM_TYPES)
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


@bp.route("/v", methods=["GET"])
@page_guarded
def verify_page() -> Response:
    """What a phone camera opens from a docseal QR code; the payload is in the fragment."""
    return _html("camera.html", _lang())


@bp.route("/s/{token}", methods=["GET"])
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


@bp.route("/receipt", methods=["POST"], content_types=FORM_TYPES)
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
    return pdf_response(c.documents.pdf_for(text), f"{name}.pdf", "attachment")


@bp.route("/signin", methods=["GET"])
@page_guarded
def signin_page() -> Response:
    return _html("signin.html", _lang(), error="")


@bp.route("/signin", methods=["POST"], content_types=FORM_TYPES)
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


@bp.route("/me", methods=["GET"])
@page_guarded
def me_page() -> Response:
    lang = _lang()
    principal = _session()
    if principal is None or principal.role != "citizen":
        return _html("signin.html", lang, 401, error="")
    return _me_page(principal, lang, created=None, message="")


@bp.route("/me/links", methods=["POST"], content_types=FORM_TYPES)
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


@bp.route("/me/links/{link_id}/revoke", methods=["POST"], content_types=FORM_TYPES)
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


@bp.route("/signout", methods=["POST"], content_types=FORM_TYPES)
@page_guarded
def signout() -> Response:
    cookie = f"{SESSION}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
    return _html(
        "home.html", _lang(), cookies=(cookie,), agency="", citizen=False, error="", qr_text=""
    )


@bp.route("/static/{name}", methods=["GET"])
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
