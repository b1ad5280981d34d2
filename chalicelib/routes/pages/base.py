"""What every page shares: the blueprint, the reader's language and session,
rendering, errors as pages, and the static files.

The page groups (``desk``, ``share``, ``citizen``) register their routes on
``bp``; ``app.py`` registers ``bp`` once.
"""

from __future__ import annotations

import functools
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import urlsplit

from chalice.app import Blueprint, Request, Response

from chalicelib import bootstrap
from chalicelib.domain.caller import Caller
from chalicelib.domain.principal import Principal
from chalicelib.errors import DocsealError, NotFound
from chalicelib.forms import Form, read_form
from chalicelib.http import error_headers, log_unhandled, request_id
from chalicelib.routes.common import caller_of, current_request
from chalicelib.services.signin import Session
from chalicelib.web import pages
from chalicelib.web.strings import strings_for

bp = Blueprint("chalicelib.routes.pages")

# Pages take any body and read_form refuses what is not a form with docseal's
# own BAD_FORM page, rather than Chalice's 415 JSON.
ANY_TYPES = ["*/*"]
SESSION = "docseal_session"
CSRF = "csrf"  # the hidden field every state-changing form of a signed-in page carries
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
LANG = "docseal_lang"


def request() -> Request:
    return current_request(bp)


def request_cookies() -> dict[str, str]:
    """The request's cookies, read pair by pair (RFC 6265 §5.4), so one
    malformed cookie of another site's making spoils none of ours."""
    found: dict[str, str] = {}
    for pair in request().headers.get("cookie", "").split(";"):
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(pair.strip())
        except CookieError:
            continue
        for name, morsel in jar.items():
            found.setdefault(name, morsel.value)
    return found


def lang(form: dict[str, str] | None = None) -> str:
    query: Any = request().query_params or {}
    chosen = (form or {}).get("lang") or query.get("lang") or request_cookies().get(LANG)
    return "en" if chosen == "en" else "vi"


def signed_in() -> Session | None:
    """The request's session (read once per request): None when there is
    no cookie, or it was tampered with, has expired, or names an officer the
    directory no longer does."""
    context: dict[str, Any] = request().context
    if "docseal_session" not in context:
        cookie = request_cookies().get(SESSION)
        context["docseal_session"] = (
            bootstrap.container().signin.session(cookie) if cookie else None
        )
    found: Session | None = context["docseal_session"]
    return found


def session() -> Principal | None:
    found = signed_in()
    return found.principal if found is not None else None


def page_form(limit: int) -> Form:
    """The posted form; with a session, only when it carries the session's
    CSRF token (a form another site posts in the reader's name is refused)."""
    form = read_form(request(), limit)
    found = signed_in()
    if found is not None:
        bootstrap.container().signin.check_csrf(found, form.fields.get(CSRF))
    return form


def cookie_flags() -> str:
    """HttpOnly and SameSite=Lax (sent on the provider's redirect back and on
    a link followed from another site, never on another site's POST), and
    Secure everywhere but on the developer's own machine."""
    host = urlsplit(bootstrap.container().settings.public_url).hostname or ""
    flags = "HttpOnly; SameSite=Lax"
    return flags if host in LOCAL_HOSTS else flags + "; Secure"


def officer() -> Principal | None:
    """The signed-in officer, if any: verifying never needs one."""
    principal = session()
    return principal if principal is not None and principal.role == "verifier" else None


def caller() -> Caller:
    """Who the services meter and, for an officer, name (their agency)."""
    return caller_of(request(), officer())


def agency_label(principal: Principal | None) -> str:
    return principal.agency_label() if principal is not None else ""


def render(
    template: str, reader: str, status: int = 200, cookies: tuple[str, ...] = (), **context: Any
) -> Response:
    """``template`` in the ``reader``'s language, with the signed-in header,
    the language cookie when the query chose one, and ``cookies`` to set."""
    current = signed_in()
    who = current.principal if current is not None else None
    context.setdefault("agency", agency_label(who))
    context.setdefault("citizen", who is not None and who.role == "citizen")
    context.setdefault("admin", who is not None and who.role == "admin")
    context.setdefault("csrf", bootstrap.container().signin.csrf_token(current) if current else "")
    context.setdefault("max_bytes", bootstrap.container().settings.intake.max_file_bytes)
    context.setdefault("switch", None)
    context.setdefault("action", "/")
    context.setdefault("shared", False)
    headers: dict[str, str | list[str]] = dict(pages.PAGE_HEADERS)
    issuer = bootstrap.container().settings.oidc_issuer
    if issuer:  # signing out posts to docseal, which redirects to the provider's sign-out
        parts = urlsplit(issuer)
        headers["Content-Security-Policy"] = pages.CSP.replace(
            "form-action 'self'", f"form-action 'self' {parts.scheme}://{parts.netloc}"
        )
    query: Any = request().query_params or {}
    wanted = [*cookies]
    if query.get("lang") in ("vi", "en"):
        wanted.append(f"{LANG}={reader}; Path=/; Max-Age=31536000; SameSite=Lax")
    if wanted:
        headers["Set-Cookie"] = wanted if len(wanted) > 1 else wanted[0]
    body = pages.render(template, reader, **context)
    return Response(body=body, status_code=status, headers=headers)


def page_guarded(view: Any) -> Any:
    """Pages answer errors with a page in the reader's language, with the
    right status and never a trace: a docseal error on the form it came
    from, anything unexpected on the error page with the request id."""

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
        return lang()
    except Exception:  # a request too broken to read a language from
        return "vi"


def error_page(exc: DocsealError) -> Response:
    """A docseal error on a page: the home form with what went wrong."""
    reader = _safe_lang()
    response = render(
        "home.html", reader, exc.http_status, error=pages.error_text(exc, reader), qr_text=""
    )
    response.headers.update(error_headers(exc))
    return response


def unexpected_page() -> Response:
    """The 500 page: what happened in words, the request id, nothing more.
    Rendered from the template alone (no session, no store), so it does not
    fail the way the view did; if even that fails, a fixed page is sent."""
    reader = _safe_lang()
    t = strings_for(reader)
    try:
        body = pages.render(
            "error.html",
            reader,
            title=t["error_title"],
            lead=t["error_lead"],
            detail="",
            request_id=request_id(),
            agency="",
            citizen=False,
            admin=False,
            csrf="",
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
    reader = _safe_lang()
    t = strings_for(reader)
    response = render(
        "error.html", reader, status, title=t[title], lead=t[lead], detail="", request_id=""
    )
    response.headers.update(headers or {})
    return response


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
