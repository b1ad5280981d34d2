"""What answers when no route does: docseal's own 404 and 405.

Left to themselves, API Gateway answers an unknown path with
``403 {"message": "Missing Authentication Token"}`` and Chalice answers a
method a path does not take with its own 405 JSON, even on a page. So, once
every route is registered, ``install`` gives each path the methods it lacks
(a page: GET goes to the page it belongs to, anything else a 405 page; the
API: docseal's JSON error) and adds a greedy ``/{proxy+}`` route for every
other path (a 404 page, or docseal's JSON 404 under ``/api/``). A camera URL
whose ``#`` a reader app percent-encoded (``/v%23DS1%3A…``) lands there too,
and opens the verdict.

Chalice's local server matches routes segment by segment and knows no greedy
parameter: ``chalicelib.routes.local_gateway`` sends what it cannot match to
``/{proxy+}`` as API Gateway does (``pathParameters.proxy``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from chalice.app import Chalice, Request, Response

from chalicelib.domain import qrtext
from chalicelib.errors import ErrorCode
from chalicelib.http import json_response
from chalicelib.routes import pages as page_routes

METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD")
PROXY = "/{proxy+}"
# Any body (or none): a refusal must not be pre-empted by Chalice's own 415.
ANY_TYPES = page_routes.ANY_TYPES
# The camera URL's shape, its ``#`` percent-encoded (or a ``/``): whether what
# follows is a docseal code is for ``qrtext`` to say.
_CAMERA = re.compile(r"/v(?P<hash>#|%(?:25)*23)|/v/", re.IGNORECASE)


# Chalice's own refusals, answered before a view runs, in docseal's codes.
_CHALICE_CODES = {
    "BadRequest": (
        406,
        ErrorCode.NOT_ACCEPTABLE,
    ),  # a binary answer the Accept header does not allow
    "UnsupportedMediaType": (415, ErrorCode.UNSUPPORTED_MEDIA_TYPE),
    "MethodNotAllowedError": (405, ErrorCode.METHOD_NOT_ALLOWED),
}


def install(app: Chalice) -> None:
    """Call once, after every route and blueprint is registered."""
    app.register_middleware(_in_our_words, "http")
    for path, routes in list(app.routes.items()):
        missing = [m for m in METHODS if m not in routes]
        if missing:
            get = routes["GET"].view_function if "GET" in routes else None
            app.route(path, methods=missing, content_types=ANY_TYPES, name=f"refuse {path}")(
                _refuser(app, path, sorted(routes), get)
            )
    app.route(PROXY, methods=list(METHODS), content_types=ANY_TYPES, name="not found")(
        _not_found(app)
    )
    for entry in app.routes[PROXY].values():
        # API Gateway names a greedy parameter without its "+"
        entry.view_args = ["proxy"]


def _in_our_words(event: Request, get_response: Callable[[Request], Response]) -> Response:
    """Chalice answers some requests itself, as ``{"Code", "Message"}``: a
    binary download to a client whose Accept header leaves it out, a body type
    a route does not take, a method it does not have. Say it docseal's way: a
    page on a page, ``{"error": {"code", "message"}}`` under ``/api``."""
    response = get_response(event)
    body = response.body
    if not (isinstance(body, dict) and isinstance(body.get("Code"), str)):
        return response
    status, code = _CHALICE_CODES.get(body["Code"], (500, ErrorCode.INTERNAL))
    if _is_api(event.path if isinstance(event.path, str) else ""):
        message = str(body.get("Message", "")) if status < 500 else "an internal error occurred"
        return json_response({"error": {"code": code, "message": message}}, status)
    if status >= 500:
        return page_routes.unexpected_page()
    return page_routes.message_page(status, "method_title", "method_lead")


def _is_api(path: str) -> bool:
    """Under ``/api`` (any version): machines, answered in JSON."""
    return path == "/api" or path.startswith("/api/")


def _refuser(app: Chalice, path: str, allowed: list[str], get: Any) -> Any:
    allow = {"Allow": ", ".join(allowed)}

    @page_routes.page_guarded
    def refuse(**params: str) -> Response:
        request = app.current_request
        assert request is not None
        if request.method == "HEAD" and get is not None:  # GET's answer without its body
            answer: Response = get(**params)
            answer.body = b"" if isinstance(answer.body, bytes) else ""
            return answer
        if _is_api(path):
            return json_response(
                {
                    "error": {
                        "code": ErrorCode.METHOD_NOT_ALLOWED,
                        "message": f"{path} takes {', '.join(allowed)}",
                    }
                },
                405,
                allow,
            )
        if request.method == "GET":  # a bookmark or a reload of a form's answer
            home = "/me" if path.startswith("/me") else "/"
            query: Any = request.query_params or {}
            lang = query.get("lang")
            target = f"{home}?lang={lang}" if lang in ("vi", "en") else home
            return Response(
                body="",
                status_code=303,
                headers={"Location": target, "Content-Type": "text/html; charset=utf-8"},
            )
        return page_routes.message_page(405, "method_title", "method_lead", allow)

    return refuse


def _not_found(app: Chalice) -> Any:
    @page_routes.page_guarded
    def not_found(proxy: str = "") -> Response:
        request = app.current_request
        assert request is not None
        path = "/" + proxy
        if _is_api(unquote(path)):
            return json_response(
                {"error": {"code": ErrorCode.NOT_FOUND, "message": "no such API route"}}, 404
            )
        camera = _CAMERA.match(path)
        if request.method in ("GET", "HEAD") and camera:
            # ``/v%23…``: docseal's camera URL, whatever follows gets its verdict;
            # ``/v/…`` only when it holds a docseal code (else a plain 404)
            if camera.group("hash") or qrtext.is_docseal(path):
                answer: Response = page_routes.camera_text(path)
                if request.method == "HEAD":
                    answer.body = ""
                return answer
        return page_routes.message_page(404, "not_found_title", "not_found_lead")

    return not_found
