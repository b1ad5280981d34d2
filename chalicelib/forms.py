"""Forms and uploads as the pages and ``POST /api/v1/verify`` receive them.

``read_form`` reads a browser form (``multipart/form-data`` through
python-multipart's streaming parser, or urlencoded) within a byte budget;
``uploaded_file`` reads the file of an upload, raw or as a form. Whatever the
body, the answer is a ``Form`` or a ``DocsealError`` (``BAD_FORM``,
``MISSING_FILE``, ``FILE_TOO_LARGE``), never a parser's own exception.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from chalice.app import Request
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, MultipartState, parse_options_header

from chalicelib.errors import BadRequest, ErrorCode, FileRefused

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks


# What an upload may be sent as: API Gateway hands these to the view as bytes.
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


def media_type(request: Request) -> str:
    return (request.headers.get("content-type") or "").split(";")[0].strip().lower()


def is_json(request: Request) -> bool:
    """A JSON body: declared ``application/json``, ``text/json`` or ``…+json``,
    or undeclared and starting with ``{`` (a script that forgot the header)."""
    declared = media_type(request)
    if declared in ("application/json", "text/json") or declared.endswith("+json"):
        return True
    if declared:
        return False
    return _body(request)[:64].lstrip().startswith(b"{")


@dataclasses.dataclass(frozen=True)
class Form:
    fields: dict[str, str]
    files: dict[str, bytes]  # only parts that carry a chosen file


# One more than the longest text qrtext reads (MAX_INPUT_CHARS): a longer pasted
# text reaches the reading as too long, never cut into a shorter, readable one.
MAX_FORM_FIELD = 65_537
FORM_OVERHEAD = 64 * 1024  # what a form may carry beside its file: boundaries, headers, fields
_QUIET = logging.getLogger("docseal.multipart")  # the parser's warnings quote the body
_QUIET.disabled = True


def _body(request: Request) -> bytes:
    body = request.raw_body or b""
    return body.encode("utf-8") if isinstance(body, str) else body


def _within(raw: bytes, limit: int) -> bytes:
    if len(raw) > limit + FORM_OVERHEAD:
        raise FileRefused(ErrorCode.FILE_TOO_LARGE, f"the file is larger than {limit} bytes")
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
            raise BadRequest("the form is malformed", code=ErrorCode.BAD_FORM) from exc
        return Form({k: v[:MAX_FORM_FIELD] for k, v in pairs}, {})
    if kind != "multipart/form-data":
        raise BadRequest("send the form as multipart/form-data", code=ErrorCode.BAD_FORM)
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
            raise BadRequest("the form upload has no boundary", code=ErrorCode.BAD_FORM)
        parser = MultipartParser(boundary, parts.callbacks())
        parser.logger = _QUIET
        parser.write(raw)
        parser.finalize()
    except (FormParserError, UnicodeEncodeError) as exc:  # a header beyond latin-1 too
        raise BadRequest("the form upload is malformed", code=ErrorCode.BAD_FORM) from exc
    if parser.state != MultipartState.END:  # cut short: no closing delimiter
        raise BadRequest("the form upload is malformed", code=ErrorCode.BAD_FORM)
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
            raise FileRefused(
                ErrorCode.FILE_TOO_LARGE, f"the file is larger than {self._limit} bytes"
            )
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
        raise BadRequest("the form has no file field", code=ErrorCode.MISSING_FILE)
    return data, {k: v[:256] for k, v in form.fields.items()}
