"""HTTP plumbing shared by the routes: body parsing, auth, error mapping.

``guarded`` is the one place a ``DocsealError`` becomes an HTTP answer
``{"error": {"code", "message"}}`` with its status, and any other exception
becomes a bare 500 with no detail (the log gets the class name and the view's
name, never the request body, a token or an ID number).

``correlate`` is the HTTP middleware ``app.py`` registers: it gives each
request a correlation id, answers it in ``X-Request-Id`` and logs one line per
request through ``chalicelib.observability.Telemetry``.
"""

from __future__ import annotations

import contextvars
import dataclasses
import datetime as dt
import functools
import json
import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from chalice.app import Request, Response

from chalicelib import bootstrap
from chalicelib.domain.principal import Principal, Role
from chalicelib.errors import (
    BadRequest,
    DocsealError,
    Forbidden,
    PayloadTooLarge,
    TooManyRequests,
    Unavailable,
)
from chalicelib.observability import Served

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
                {"error": {"code": "INTERNAL", "message": "an internal error occurred"}}, 500
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
    telemetry = bootstrap.container().telemetry
    started = time.perf_counter()
    code: str | None
    _REQUEST_ID.set(correlation_id)
    with telemetry.request(correlation_id):
        status, code = 500, "INTERNAL"  # what the caller gets if the view raised
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
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest("the request body is not valid JSON", code="BAD_JSON") from exc
    if not isinstance(body, dict):
        raise BadRequest("the request body must be a JSON object", code="BAD_JSON")
    return body


def require(principal: Principal, *roles: Role) -> Principal:
    if principal.role not in roles:
        raise Forbidden(f"this needs the role {' or '.join(roles)}", code="WRONG_ROLE")
    return principal


def text_field(body: dict[str, Any], name: str, required: bool = True) -> str | None:
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise BadRequest(f"{name} must be a non-empty string", code="MISSING_FIELD")
    return value


def date_field(body: dict[str, Any], name: str, required: bool = True) -> dt.date | None:
    value = text_field(body, name, required)
    if value is None:
        return None
    try:
        if len(value) != 10:
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise BadRequest(f"{name} must be a date YYYY-MM-DD", code="INVALID_DATE") from exc


FILE_TYPES = [
    "image/png",
    "image/jpeg",
    "image/webp",
    "application/pdf",
    "application/octet-stream",
    "image/gif",
    "image/svg+xml",
    "image/heic",
    "image/avif",
    "image/bmp",
    "image/tiff",
    "text/plain",
]
UPLOAD_TYPES = ["application/json", "multipart/form-data", *FILE_TYPES]


def media_type(request: Request) -> str:
    return (request.headers.get("content-type") or "").split(";")[0].strip().lower()


@dataclasses.dataclass(frozen=True)
class Form:
    fields: dict[str, str]
    files: dict[str, bytes]  # only parts that carry a chosen file


MAX_FORM_FIELD = 8192  # a docseal QR text is about 1 500 characters


def read_form(request: Request, limit: int) -> Form:
    """A browser form: ``multipart/form-data`` (files and fields) or urlencoded."""
    from chalicelib.errors import FileRefused

    body = request.raw_body or b""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    if len(raw) > limit + 64 * 1024:
        raise FileRefused("FILE_TOO_LARGE", f"the file is larger than {limit} bytes")
    kind = media_type(request)
    if kind == "application/x-www-form-urlencoded":
        from urllib.parse import parse_qsl

        try:
            pairs = parse_qsl(raw.decode("utf-8"), max_num_fields=32)
        except (UnicodeDecodeError, ValueError) as exc:
            raise BadRequest("the form is malformed", code="BAD_FORM") from exc
        return Form({k: v[:MAX_FORM_FIELD] for k, v in pairs}, {})
    if kind != "multipart/form-data":
        raise BadRequest("send the form as multipart/form-data", code="BAD_FORM")
    from email.parser import BytesParser
    from email.policy import HTTP

    header = f"Content-Type: {request.headers.get('content-type')}\r\n\r\n".encode("latin-1")
    try:
        message = BytesParser(policy=HTTP).parsebytes(header + raw)
        parts = list(message.iter_parts()) if message.is_multipart() else []
    except (ValueError, TypeError, LookupError) as exc:
        raise BadRequest("the form upload is malformed", code="BAD_FORM") from exc
    fields: dict[str, str] = {}
    files: dict[str, bytes] = {}
    for part in parts:
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes) or not isinstance(name, str):
            continue
        filename = part.get_filename()
        if filename is not None:
            # a file input left empty sends a part with no name and no bytes
            if (payload or filename) and name not in files:
                files[name] = payload
        elif name not in fields:
            fields[name] = payload.decode("utf-8", "replace")[:MAX_FORM_FIELD]
    return Form(fields, files)


def uploaded_file(request: Request, limit: int) -> tuple[bytes, dict[str, str]]:
    """The file of an upload, raw or ``multipart/form-data`` (field ``file``, or
    the first part with a file name), and the form's other text fields."""
    if media_type(request) != "multipart/form-data":
        from chalicelib.errors import FileRefused

        body = request.raw_body or b""
        raw = body.encode("utf-8") if isinstance(body, str) else body
        if len(raw) > limit + 64 * 1024:
            raise FileRefused("FILE_TOO_LARGE", f"the file is larger than {limit} bytes")
        return raw, {}
    form = read_form(request, limit)
    data = form.files.get("file") or next(iter(form.files.values()), None)
    if data is None:
        raise BadRequest("the form has no file field", code="MISSING_FILE")
    return data, {k: v[:256] for k, v in form.fields.items()}
