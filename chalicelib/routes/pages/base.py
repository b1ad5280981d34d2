"""What every page shares: the blueprint, the reader's language and session,
rendering, errors as pages, and the static files.

The page groups (``desk``, ``share``, ``citizen``) register their routes on
``bp``; ``app.py`` registers ``bp`` once.
"""

from __future__ import annotations

import functools
from http.cookies import CookieError, SimpleCookie
from typing import Any

from chalice.app import Blueprint, Request, Response

from chalicelib import bootstrap
from chalicelib.domain.caller import Caller
from chalicelib.domain.principal import Principal
from chalicelib.errors import DocsealError, NotFound
from chalicelib.http import error_headers, log_unhandled, request_id
from chalicelib.routes.common import caller_of, current_request
from chalicelib.web import pages
from chalicelib.web.strings import strings_for

bp = Blueprint("chalicelib.routes.pages")

# Pages take any body and read_form refuses what is not a form with docseal's
# own BAD_FORM page, rather than Chalice's 415 JSON.
ANY_TYPES = ["*/*"]
SESSION = "docseal_session"
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


def session() -> Principal | None:
    token = request_cookies().get(SESSION)
    if not token:
        return None
    c = bootstrap.container()
    try:
        return c.tokens.principal(f"Bearer {token}", c.clock.now())
    except DocsealError:
        return None


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
    signed_in = session() if "agency" not in context or "citizen" not in context else None
    context.setdefault("agency", agency_label(signed_in))
    context.setdefault("citizen", signed_in is not None and signed_in.role == "citizen")
    context.setdefault("max_bytes", bootstrap.container().settings.intake.max_file_bytes)
    context.setdefault("switch", None)
    context.setdefault("action", "/")
    context.setdefault("shared", False)
    headers: dict[str, str | list[str]] = dict(pages.PAGE_HEADERS)
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
