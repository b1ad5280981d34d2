"""The pages: the officer's verification desk, share links, citizens' pages."""

from __future__ import annotations

import base64
from typing import Any

from chalice.app import Blueprint, Request, Response

from chalicelib import bootstrap
from chalicelib.domain.devices import coarse_device
from chalicelib.domain.principal import Principal
from chalicelib.domain.views import iso, link_view
from chalicelib.errors import (
    DocsealError,
    LinkUnavailable,
    NotFound,
    TooManyRequests,
)
from chalicelib.http import (
    error_headers,
    json_response,
    log_unhandled,
    pdf_response,
    read_form,
    request_id,
    require,
)
from chalicelib.routes.common import client_of, current_request
from chalicelib.services.desk import DeskCheck, DeskResult
from chalicelib.services.links import HolderChecksUsedUp, OpenedLink
from chalicelib.services.receipts import receipt_json
from chalicelib.web import pages
from chalicelib.web.strings import strings_for

bp = Blueprint(__name__)


def _request() -> Request:
    return current_request(bp)


def _client() -> str:
    return client_of(_request())


# Pages take any body and read_form refuses what is not a form with docseal's
# own BAD_FORM page, rather than Chalice's 415 JSON.
ANY_TYPES = ["*/*"]
SESSION = "docseal_session"
LANG = "docseal_lang"
SEEN = "docseal_seen"  # a share link's counted view in this browser (Path=/s/<token>)


def _cookies() -> dict[str, str]:
    """The request's cookies, read pair by pair (RFC 6265 §5.4), so one
    malformed cookie of another site's making spoils none of ours."""
    from http.cookies import CookieError, SimpleCookie

    found: dict[str, str] = {}
    for pair in _request().headers.get("cookie", "").split(";"):
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(pair.strip())
        except CookieError:
            continue
        for name, morsel in jar.items():
            found.setdefault(name, morsel.value)
    return found


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
    context.setdefault("switch", None)
    context.setdefault("action", "/")
    context.setdefault("shared", False)
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
    """Pages answer errors with a page in the reader's language, with the
    right status and never a trace: a docseal error on the form it came
    from, anything unexpected on the error page with the request id."""
    import functools

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        try:
            try:
                return view(*args, **kwargs)  # type: ignore[no-any-return]
            except DocsealError as exc:
                return error_page(exc)
        except Exception as exc:  # the last line of defence
            log_unhandled(exc, view.__name__)
            return unexpected_page()

    return wrapper


def _safe_lang() -> str:
    try:
        return _lang()
    except Exception:  # a request too broken to read a language from
        return "vi"


def error_page(exc: DocsealError) -> Response:
    """A docseal error on a page: the home form with what went wrong."""
    lang = _safe_lang()
    response = _html(
        "home.html", lang, exc.http_status, error=pages.error_text(exc, lang), qr_text=""
    )
    response.headers.update(error_headers(exc))
    return response


def unexpected_page() -> Response:
    """The 500 page: what happened in words, the request id, nothing more.
    Rendered from the template alone (no session, no store), so it does not
    fail the way the view did; if even that fails, a fixed page is sent."""
    lang = _safe_lang()
    t = strings_for(lang)
    try:
        body = pages.render(
            "error.html",
            lang,
            title=t["error_title"],
            lead=t["error_lead"],
            detail="",
            request_id=request_id(),
            agency="",
            citizen=False,
            max_bytes=0,
            switch=None,
        )
    except Exception:
        body = pages.FALLBACK_500
    return Response(body=body, status_code=500, headers=dict(pages.PAGE_HEADERS))


def message_page(
    status: int, title: str, lead: str, headers: dict[str, str] | None = None
) -> Response:
    """A page that only says something (404, 405), in the reader's language."""
    lang = _safe_lang()
    t = strings_for(lang)
    response = _html(
        "error.html", lang, status, title=t[title], lead=t[lead], detail="", request_id=""
    )
    response.headers.update(headers or {})
    return response


@bp.route("/", methods=["GET"])
@page_guarded
def home() -> Response:
    return _html("home.html", _lang(), error="", qr_text="")


@bp.route("/", methods=["POST"], content_types=ANY_TYPES)
@page_guarded
def home_check() -> Response:
    """The plain form POST: works without JavaScript, and carries /v's fragment.
    A ``ticket`` instead of a file or text re-checks what this page checked
    before (the holder form, the language switch)."""
    c = bootstrap.container()
    form = read_form(_request(), c.settings.intake.max_file_bytes)
    lang = _lang(form.fields)
    c.limiter.check("verify", _client())
    texts: list[tuple[int, str]] = []
    holder_id = form.fields.get("holder_id")
    if form.fields.get("ticket"):
        state = c.tickets.open(form.fields["ticket"], "desk")
        texts = [(int(p), str(q)) for p, q in state["q"]]
        if not holder_id and not form.files.get("card"):
            holder_id = state.get("h")
    try:
        result = c.desk.check(
            qr_text=form.fields.get("qr_text"),
            file=form.files.get("file"),
            holder_id=holder_id,
            card=form.files.get("card"),
            texts=texts,
        )
    except DocsealError as exc:
        response = _html(
            "home.html",
            lang,
            exc.http_status,
            error=pages.error_text(exc, lang),
            qr_text=form.fields.get("qr_text", ""),
        )
        response.headers.update(error_headers(exc))
        return response
    return _desk_result(result, lang)


def _desk_result(result: DeskResult, lang: str) -> Response:
    c = bootstrap.container()
    holder = result.holder_id

    def ticket(checks: tuple[DeskCheck, ...]) -> str:
        return c.tickets.seal(
            {"k": "desk", "q": [[x.page, x.qr_text] for x in checks], "h": holder}
        )

    switch = None
    if result.checks:
        switch = {"action": "/", "ticket": ticket(result.checks)}
    return _html(
        "result.html",
        lang,
        results=[
            pages.verdict_view(x.verdict, lang, page=x.page, ticket=ticket((x,)))
            for x in result.checks
        ],
        foreign=[{"page": page, "preview": preview} for page, preview in result.foreign],
        reasons=[pages.reason_view(r.value, lang) for r in result.reasons],
        hint=(result.hint[1] if lang == "en" else result.hint[0]) if result.hint else "",
        switch=switch,
    )


def camera_text(text: str) -> Response:
    """A camera URL whose ``#`` a reader app encoded (``/v%23DS1%3A…``): the
    payload reached the path, so verify it as the page would have."""
    c = bootstrap.container()
    c.limiter.check("verify", _client())
    return _desk_result(c.desk.check(qr_text=text), _lang())


@bp.route("/v", methods=["GET"])
@page_guarded
def verify_page() -> Response:
    """What a phone camera opens from a docseal QR code; the payload is in the fragment."""
    return _html("camera.html", _lang())


@bp.route("/s/{token}", methods=["GET", "POST"], content_types=ANY_TYPES)
@page_guarded
def shared(token: str) -> Response:
    """A citizen's share link: the live verdict and only the fields they chose.

    Nothing here carries the document's QR text, an undisclosed field or the
    full ID number: the holder form posts the number the officer typed (or
    the card photo) back to this URL and the server compares it with the
    link's document; the receipt form and the language switch post a sealed
    ticket naming the link."""
    c = bootstrap.container()
    request = _request()
    form = (
        read_form(request, c.settings.intake.max_file_bytes) if request.method == "POST" else None
    )
    lang = _lang(form.fields if form else None)
    try:
        c.limiter.check("links", _client())
    except TooManyRequests as exc:
        response = _html("unavailable.html", lang, 429, limited=True)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    holder: str | None = None
    sealed: dict[str, Any] = {}
    error: DocsealError | None = None
    if form is not None:
        holder_id = (form.fields.get("holder_id") or "").strip()
        if form.fields.get("ticket"):
            sealed = c.tickets.open(form.fields["ticket"], "share")
        try:
            holder = c.desk.presented(holder_id, form.files.get("card"))
        except DocsealError as exc:  # shown on the share page, not instead of it
            error = exc
        if holder is None and error is None and not form.files.get("card"):
            holder = sealed.get("h")  # the number this page checked: not counted again
    device = coarse_device(request.headers.get("user-agent"))

    def opened_with(number: str | None) -> OpenedLink:
        return c.links.open(
            token,
            device,
            _officer(),
            seen=_cookies().get(SEEN),
            holder_id=number,
            ticket_link=sealed.get("l") if sealed else None,
            rechecked=number is not None and number == sealed.get("h"),
        )

    try:
        try:
            opened = opened_with(holder)
        except HolderChecksUsedUp as exc:
            error, holder = exc, None
            opened = opened_with(None)
    except LinkUnavailable:
        return _html("unavailable.html", lang, 404, limited=False)
    ticket = c.tickets.seal({"k": "share", "l": opened.link.id, "h": holder})
    cookies: tuple[str, ...] = ()
    if opened.seen and opened.seen != _cookies().get(SEEN):
        cookies = (f"{SEEN}={opened.seen}; Path=/s/{token}; HttpOnly; SameSite=Lax; Max-Age=3600",)
    result = pages.verdict_view(opened.verdict, lang, disclose=opened.link.disclose, ticket=ticket)
    response = _html(
        "shared.html",
        lang,
        error.http_status if error else 200,
        cookies=cookies,
        results=[result],
        link=link_view(opened.link, None, c.clock.now()),
        expires=pages.moment(iso(opened.link.expires_at)),
        action=f"/s/{token}",
        shared=True,
        error=pages.error_text(error, lang) if error else "",
        switch={"action": f"/s/{token}", "ticket": ticket} if holder else None,
    )
    if error is not None:
        response.headers.update(error_headers(error))
    return response


@bp.route("/receipt", methods=["POST"], content_types=ANY_TYPES)
@page_guarded
def receipt() -> Response:
    """Sign a receipt of a check this page showed, when the officer asks for
    it. A share page's receipt names the holder by the masked ID number and
    comes as a PDF only."""
    c = bootstrap.container()
    form = read_form(_request(), c.settings.max_body_bytes)
    ticket = form.fields.get("ticket", "")
    officer = _officer()
    c.limiter.check("verify", _client())
    state = c.tickets.open(ticket, "desk", "share")
    if state["k"] == "share":
        opened = c.links.revisit(state.get("l"), state.get("h"))
        text = c.receipts.issue(opened.verdict, officer, masked=True)
    else:
        _page, qr_text = state["q"][0]
        text = c.desk.receipt(str(qr_text), state.get("h"), officer)
    json_allowed = state["k"] == "desk"
    verdict, text = c.receipts.open(text)
    assert verdict.document is not None
    name = f"docseal-receipt-{verdict.document.id}"
    if form.fields.get("format") == "json" and json_allowed:
        return json_response(
            receipt_json(verdict, text),
            headers={"Content-Disposition": f'attachment; filename="{name}.json"'},
        )
    return pdf_response(c.documents.pdf_for(text), f"{name}.pdf", "attachment")


@bp.route("/signin", methods=["GET"])
@page_guarded
def signin_page() -> Response:
    return _html("signin.html", _lang(), error="")


@bp.route("/signin", methods=["POST"], content_types=ANY_TYPES)
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
    for link, openings in c.links.my_links(principal):
        item = link_view(link, openings, now)
        item["created"] = pages.moment(item["created_at"])
        item["expires"] = pages.moment(item["expires_at"])
        item["log"] = [{**v, "when": pages.moment(v["at"])} for v in item["log"]]
        links.append(item)
    return _html("me.html", lang, status, cookies=cookies, documents=docs, links=links, **extra)


@bp.route("/me", methods=["GET", "POST"], content_types=ANY_TYPES)
@page_guarded
def me_page() -> Response:
    """My documents and links; POSTed with a ticket by the language switch
    of the page that has just shown a new link, which stays on screen."""
    c = bootstrap.container()
    request = _request()
    form = read_form(request, c.settings.max_body_bytes) if request.method == "POST" else None
    lang = _lang(form.fields if form else None)
    principal = _session()
    if principal is None or principal.role != "citizen":
        return _html("signin.html", lang, 401, error="")
    if form is not None and form.fields.get("ticket"):
        state = c.tickets.open(form.fields["ticket"], "created")
        if state.get("o") == c.links.owner(principal):
            return _created_page(principal, lang, 200, str(state["u"]))
    return _me_page(principal, lang, created=None, message="")


def _created_page(principal: Principal, lang: str, status: int, url: str) -> Response:
    """The citizen's page with a link just created: its URL and QR code are
    shown this once (only a hash of the token is stored)."""
    c = bootstrap.container()
    qr = base64.b64encode(c.qr.png(url, "")).decode()
    ticket = c.tickets.seal({"k": "created", "u": url, "o": c.links.owner(principal)})
    return _me_page(
        principal,
        lang,
        status,
        created={"url": url, "qr": qr},
        message="",
        switch={"action": "/me", "ticket": ticket},
    )


@bp.route("/me/links", methods=["POST"], content_types=ANY_TYPES)
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
    return _created_page(principal, lang, 201, created.url)


@bp.route("/me/links/{link_id}/revoke", methods=["POST"], content_types=ANY_TYPES)
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


@bp.route("/signout", methods=["POST"], content_types=ANY_TYPES)
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
