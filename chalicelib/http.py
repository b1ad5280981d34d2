"""HTTP plumbing shared by the routes: JSON bodies, responses, error mapping.

``guarded`` is the one place a ``DocsealError`` becomes an HTTP answer
``{"error": {"code", "message"}}`` with its status, and any other exception
becomes a bare 500 with no detail (the log gets the class name and the view's
name, never the request body, a token or an ID number).

``correlate`` is the HTTP middleware ``app.py`` registers: it gives each
request a correlation id, answers it in ``X-Request-Id`` and logs one line per
request through the ``Telemetry`` port (``chalicelib.ports``).

Forms and uploads are read in ``chalicelib.forms``; what the values in a body
must be is checked by the services (``chalicelib.domain.inputs``), not here.
"""

from __future__ import annotations

import contextvars
import functools
import json
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from chalice.app import Request, Response

from chalicelib import bootstrap
from chalicelib.domain import inputs
from chalicelib.domain.principal import Principal, Role
from chalicelib.errors import (
    BadRequest,
    DocsealError,
    ErrorCode,
    Forbidden,
    PayloadTooLarge,
    TooManyRequests,
    Unavailable,
)
from chalicelib.ports import Served

log = logging.getLogger("docseal")
JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store"}


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    merged: dict[str, str | list[str]] = {**JSON_HEADERS, **(headers or {})}
    return Response(body=json.dumps(body, ensure_ascii=False), status_code=status, headers=merged)


def png_response(body: bytes) -> Response:
    return Response(
        body=body, headers={"Content-Type": "image/png", "Cache-Control": "private, no-store"}
    )


def pdf_response(body: bytes, filename: str, disposition: str = "inline") -> Response:
    return Response(
        body=body,
        headers={
            "Content-Type": "application/pdf",
            "Content-Disposition": f'{disposition}; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )


def error_headers(exc: DocsealError) -> dict[str, str]:
    """The headers an error's status calls for (RFC 9110 §10.2.3, RFC 6750 §3)."""
    headers = {"Retry-After": "5"} if isinstance(exc, Unavailable) else {}
    if isinstance(exc, TooManyRequests):
        headers["Retry-After"] = str(exc.retry_after)
    if exc.http_status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="docseal"'
    return headers


def error_response(exc: DocsealError) -> Response:
    return json_response(exc.to_dict(), exc.http_status, error_headers(exc))


_REQUEST_ID: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def request_id() -> str:
    """The correlation id of the request being served (``X-Request-Id``)."""
    return _REQUEST_ID.get()


def guarded[**P](view: Callable[P, Response]) -> Callable[P, Response]:
    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Response:
        try:
            return view(*args, **kwargs)
        except DocsealError as exc:
            return error_response(exc)
        except Exception as exc:  # the last line of defence: never a stack trace
            log_unhandled(exc, view.__name__)
            return json_response(
                {"error": {"code": ErrorCode.INTERNAL, "message": "an internal error occurred"}},
                500,
            )

    return wrapper


def log_unhandled(exc: BaseException, view: str) -> None:
    """The class name and the view, never the message: it may quote the input."""
    name = type(exc).__name__
    log.error("unhandled %s in %s", name, view, extra={"error_class": name, "view": view})


def correlate(event: Request, get_response: Callable[[Request], Response]) -> Response:
    """One line per request: method, route template, status, duration and
    error code, under the API Gateway request id (a fresh one locally). Never
    the raw path (share-link secrets are in it), query, headers or body."""
    context = event.context or {}
    correlation_id = str(context.get("requestId") or uuid.uuid4().hex)
    try:
        telemetry = bootstrap.container().telemetry
    except DocsealError as exc:  # misconfigured (Settings.from_env): say so, never a 500
        refused = error_response(exc)
        refused.headers["X-Request-Id"] = correlation_id
        return refused
    started = time.perf_counter()
    code: str | None
    _REQUEST_ID.set(correlation_id)
    with telemetry.request(correlation_id):
        status, code = 500, ErrorCode.INTERNAL  # what the caller gets if the view raised
        try:
            response = get_response(event)
            status = response.status_code
            code = error_code(response) if status >= 400 else None
        finally:
            telemetry.served(
                Served(
                    method=event.method,
                    route=str(context.get("resourcePath") or "unknown"),
                    status=status,
                    duration_ms=round((time.perf_counter() - started) * 1000, 1),
                    error_code=code,
                )
            )
    response.headers["X-Request-Id"] = correlation_id
    return response


def error_code(response: Response) -> str:
    """The stable code of an error answer: docseal's ``{"error": {"code"}}``,
    Chalice's own ``{"Code"}``, or for a page ``HTTP_<status>``."""
    body: Any = response.body
    if isinstance(body, str) and body.startswith("{"):
        try:
            body = json.loads(body)
        except ValueError:
            body = None
    if isinstance(body, dict):
        error = body.get("error")
        code = error.get("code") if isinstance(error, dict) else body.get("Code")
        if isinstance(code, str):
            return code
    return f"HTTP_{response.status_code}"


def json_body(request: Request, limit: int) -> dict[str, Any]:
    raw = request.raw_body or b""
    if len(raw) > limit:
        raise PayloadTooLarge(f"the request body is larger than {limit} bytes")
    try:
        body = inputs.load_json(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest("the request body is not valid JSON", code=ErrorCode.BAD_JSON) from exc
    if not isinstance(body, dict):
        raise BadRequest("the request body must be a JSON object", code=ErrorCode.BAD_JSON)
    return body


def require(principal: Principal, *roles: Role) -> Principal:
    if principal.role not in roles:
        raise Forbidden(f"this needs the role {' or '.join(roles)}", code=ErrorCode.WRONG_ROLE)
    return principal
