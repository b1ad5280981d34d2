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
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from chalice.app import Request, Response
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, MultipartState, parse_options_header

from chalicelib import bootstrap
from chalicelib.domain.principal import Principal, Role
from chalicelib.errors import (
    BadRequest,
    DocsealError,
    FileRefused,
    Forbidden,
    PayloadTooLarge,
    TooManyRequests,
    Unavailable,
)
from chalicelib.observability import Served

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

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
FORM_OVERHEAD = 64 * 1024  # what a form may carry beside its file: boundaries, headers, fields
_QUIET = logging.getLogger("docseal.multipart")  # the parser's warnings quote the body
_QUIET.disabled = True


def _body(request: Request) -> bytes:
    body = request.raw_body or b""
    return body.encode("utf-8") if isinstance(body, str) else body


def _within(raw: bytes, limit: int) -> bytes:
    if len(raw) > limit + FORM_OVERHEAD:
        raise FileRefused("FILE_TOO_LARGE", f"the file is larger than {limit} bytes")
    return raw


def read_form(request: Request, limit: int) -> Form:
    """A browser form: ``multipart/form-data`` (files and fields) or urlencoded.

    Field values are UTF-8 (bad bytes become U+FFFD), cut to ``MAX_FORM_FIELD``
    characters; a repeated name keeps its first multipart part (the last
    urlencoded pair). A body over ``limit`` plus ``FORM_OVERHEAD`` is
    ``FILE_TOO_LARGE``; one that is not a form, or a multipart body RFC 7578
    does not allow (no boundary, no closing delimiter, bad part headers), is
    ``BAD_FORM``."""
    raw = _within(_body(request), limit)
    kind = media_type(request)
    if kind == "application/x-www-form-urlencoded":
        try:
            pairs = parse_qsl(raw.decode("utf-8"), max_num_fields=32)
        except (UnicodeDecodeError, ValueError) as exc:
            raise BadRequest("the form is malformed", code="BAD_FORM") from exc
        return Form({k: v[:MAX_FORM_FIELD] for k, v in pairs}, {})
    if kind != "multipart/form-data":
        raise BadRequest("send the form as multipart/form-data", code="BAD_FORM")
    return parse_multipart(raw, request.headers.get("content-type") or "", limit)


def parse_multipart(raw: bytes, content_type: str, limit: int) -> Form:
    """The fields and files of a ``multipart/form-data`` body, read by
    python-multipart's streaming parser; the parts keep at most ``limit`` plus
    ``FORM_OVERHEAD`` bytes in all, counted as the parser hands them over."""
    if not raw:  # no body at all is a form with nothing in it, as it always was
        return Form({}, {})
    parts = _Parts(limit)
    try:
        boundary = parse_options_header(content_type)[1].get(b"boundary")
        if not boundary:
            raise BadRequest("the form upload has no boundary", code="BAD_FORM")
        parser = MultipartParser(boundary, parts.callbacks())
        parser.logger = _QUIET
        parser.write(raw)
        parser.finalize()
    except (FormParserError, UnicodeEncodeError) as exc:  # a header beyond latin-1 too
        raise BadRequest("the form upload is malformed", code="BAD_FORM") from exc
    if parser.state != MultipartState.END:  # cut short: no closing delimiter
        raise BadRequest("the form upload is malformed", code="BAD_FORM")
    return Form(parts.fields, parts.files)


class _Parts:
    """What ``MultipartParser`` reports, gathered part by part: the first part
    of a name wins; a text field keeps only the bytes its first
    ``MAX_FORM_FIELD`` characters can take; past the budget is FILE_TOO_LARGE."""

    def __init__(self, limit: int) -> None:
        self.fields: dict[str, str] = {}
        self.files: dict[str, bytes] = {}
        self._limit, self._budget = limit, limit + FORM_OVERHEAD
        self.begin()

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self.begin,
            "on_header_field": lambda data, start, end: self._header[0].extend(data[start:end]),
            "on_header_value": lambda data, start, end: self._header[1].extend(data[start:end]),
            "on_header_end": self.header_end,
            "on_headers_finished": self.headers_done,
            "on_part_data": self.data,
            "on_part_end": self.end,
        }

    def begin(self) -> None:
        self._headers: dict[bytes, bytes] = {}
        self._header = (bytearray(), bytearray())
        self._name: str | None = None
        self._filename: str | None = None  # None for a text field
        self._data = bytearray()
        self._room: int | None = 0  # bytes this part may still keep; None: the budget's

    def header_end(self) -> None:
        name, value = self._header
        self._headers.setdefault(bytes(name).lower(), bytes(value))
        self._header = (bytearray(), bytearray())

    def headers_done(self) -> None:
        disposition = parse_options_header(self._header_text(b"content-disposition"))[1]
        kind = parse_options_header(self._header_text(b"content-type"))[0]
        name = disposition.get(b"name")
        if name is None or kind.startswith(b"multipart/"):  # RFC 7578 §4.3 dropped those
            return
        self._name = name.decode("utf-8", "replace")
        filename = disposition.get(b"filename")
        if filename is None:  # UTF-8 spends at most 4 bytes on a character, U+FFFD 1 to 3
            self._room = 4 * MAX_FORM_FIELD
        else:  # only whether it is blank matters, blank as str.strip() sees it
            self._filename, self._room = filename.decode("utf-8", "replace").strip(), None

    def _header_text(self, name: bytes) -> str:
        return self._headers.get(name, b"").decode("latin-1")

    def data(self, data: bytes, start: int, end: int) -> None:
        size = end - start if self._room is None else min(end - start, self._room)
        if size > self._budget:
            raise FileRefused("FILE_TOO_LARGE", f"the file is larger than {self._limit} bytes")
        self._data += memoryview(data)[start : start + size]
        self._budget -= size
        if self._room is not None:
            self._room -= size

    def end(self) -> None:
        name, payload = self._name, bytes(self._data)
        if name is None:
            return
        if self._filename is None:
            self.fields.setdefault(name, payload.decode("utf-8", "replace")[:MAX_FORM_FIELD])
        elif payload or self._filename:  # a file input left empty: no file name, no bytes
            self.files.setdefault(name, payload)


def uploaded_file(request: Request, limit: int) -> tuple[bytes, dict[str, str]]:
    """The file of an upload, raw or ``multipart/form-data`` (field ``file``, or
    the first part with a file name), and the form's other text fields."""
    if media_type(request) != "multipart/form-data":
        return _within(_body(request), limit), {}
    form = read_form(request, limit)
    data = form.files.get("file") or next(iter(form.files.values()), None)
    if data is None:
        raise BadRequest("the form has no file field", code="MISSING_FILE")
    return data, {k: v[:256] for k, v in form.fields.items()}
