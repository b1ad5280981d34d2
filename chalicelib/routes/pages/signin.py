"""Signing in to the pages through the OpenID Connect provider, and out.

``GET /signin[?next=/local/path]`` sends the browser to the provider with a
fresh attempt in a short-lived cookie; ``GET /signin/callback`` is where the
provider sends it back, and ``SigninService.finish`` decides; ``POST
/signout`` ends docseal's session and, when the provider offers it, sends
the browser on to end the provider's. The rules live in
``services/signin.py``; these routes only read the request and set cookies.
"""

from __future__ import annotations

from typing import Any

from chalice.app import Response

from chalicelib import bootstrap
from chalicelib.errors import DocsealError
from chalicelib.http import error_headers
from chalicelib.routes.pages.base import (
    ANY_TYPES,
    SESSION,
    bp,
    cookie_flags,
    lang,
    page_form,
    page_guarded,
    render,
    request,
    request_cookies,
    signed_in,
)
from chalicelib.services.signin import FLOW_SECONDS, SESSION_SECONDS
from chalicelib.web import pages

FLOW = "docseal_signin"  # the sign-in attempt: state, nonce, PKCE verifier (sealed)


def _redirect(location: str, *cookies: str) -> Response:
    headers: dict[str, Any] = {"Location": location, "Cache-Control": "no-store"}
    if cookies:
        headers["Set-Cookie"] = list(cookies) if len(cookies) > 1 else cookies[0]
    return Response(body="", status_code=303, headers=headers)


def _failed(exc: DocsealError, reader: str, *cookies: str) -> Response:
    response = render(
        "signin.html", reader, exc.http_status, cookies=cookies, error=pages.error_text(exc, reader)
    )
    response.headers.update(error_headers(exc))
    return response


@bp.route("/signin", methods=["GET"])
@page_guarded
def signin_start() -> Response:
    reader = lang()
    query: Any = request().query_params or {}
    try:
        started = bootstrap.container().signin.start(query.get("next"), reader)
    except DocsealError as exc:  # not configured, or the provider is down: nothing set
        return _failed(exc, reader)
    flow = f"{FLOW}={started.flow}; Path=/signin; Max-Age={FLOW_SECONDS}; {cookie_flags()}"
    return _redirect(started.redirect, flow)


@bp.route("/signin/callback", methods=["GET"])
@page_guarded
def signin_callback() -> Response:
    c = bootstrap.container()
    query: Any = request().query_params or {}
    attempt = request_cookies().get(FLOW)
    reader = c.signin.attempt_lang(attempt) or lang()
    spent = f"{FLOW}=; Path=/signin; Max-Age=0; {cookie_flags()}"
    try:
        done = c.signin.finish(attempt, query.get("state"), query.get("code"), query.get("error"))
    except DocsealError as exc:  # refused: no session is set
        return _failed(exc, reader, spent)
    session = f"{SESSION}={done.cookie}; Path=/; Max-Age={SESSION_SECONDS}; {cookie_flags()}"
    where = done.next
    if done.next == "/" and done.session.principal.role == "citizen":
        where = "/me"
    sep = "&" if "?" in where else "?"
    return _redirect(f"{where}{sep}lang={done.lang}", spent, session)


@bp.route("/signout", methods=["POST"], content_types=ANY_TYPES)
@page_guarded
def signout() -> Response:
    c = bootstrap.container()
    current = signed_in()
    form = page_form(c.settings.max_body_bytes)  # a signed-in page's own form only
    reader = lang(form.fields)
    ended = f"{SESSION}=; Path=/; Max-Age=0; {cookie_flags()}"
    provider = c.signin.signout_redirect(current)
    if provider:
        return _redirect(provider, ended)
    request().context["docseal_session"] = None
    return render("home.html", reader, cookies=(ended,), error="", qr_text="")
