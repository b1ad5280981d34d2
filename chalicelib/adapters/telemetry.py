"""``Telemetry`` over AWS Lambda Powertools: JSON log lines and CloudWatch
embedded-metric-format (EMF) lines, both on stdout, where Lambda sends them to
CloudWatch Logs (and ``docseal serve`` to the terminal).

The Powertools ``Logger(service="docseal")`` owns the standard library's
``docseal`` logger, which is also Chalice's app logger and the one
``chalicelib.http`` reports unhandled exceptions to: every line written there
comes out as one JSON object with the request's ``correlation_id``. The
correlation id is kept per thread of execution (Powertools' context-variable
keys), so the local server's threads do not mix their ids.

Metrics, all counts in namespace ``docseal``, one EMF line each, with the
request's ``correlation_id`` as a property (searchable, not a dimension):

- ``Verdicts`` by ``verdict`` (VALID or INVALID),
- ``VerdictReasons`` by ``code`` (each reason of an INVALID verdict),
- ``Errors`` by ``code`` (each answer with status >= 400).

A dimension or logged code that does not look like a code becomes ``OTHER``,
and any exception attached to a ``docseal`` log record is cut down to its
class name: an exception's message may quote the input. The AWS SDK's loggers
are held at WARNING: at DEBUG, botocore writes every request and response
body, which are the store's items (names, document payloads).

Where the counts come from:

- Error codes: the HTTP middleware (``chalicelib.http.correlate``) sees every
  answer, so it counts each status >= 400 by the error's stable code.
- Verdicts: ``VerifyService`` is the one place a verdict is made, whichever
  door the QR text came through (the JSON API, an uploaded file, the desk
  page, a share link, a receipt). It reports each verdict to a
  ``VerdictObserver``, which bootstrap wires to ``Telemetry.verdict``. Reading
  ``"verdict"`` out of JSON answers in the middleware would miss the pages,
  which answer HTML, and count a file with two codes once. The observer gets
  only the verdict and its reason codes, never the document, so it cannot
  leak what it was not given.

Telemetry counts only inside a request (``Telemetry.request``): the ``docseal``
command line shares the services, and its stdout is its own JSON output.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import re
import sys
from collections.abc import Iterator
from typing import IO, Any, cast

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import EphemeralMetrics, MetricUnit

from chalicelib.ports import Served

SERVICE = "docseal"
NAMESPACE = "docseal"
_CODE = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")
# Chalice's own line for an exception that escaped every view guard names the raw path.
_CHALICE_UNHANDLED = "Caught exception for path %s"
_in_request: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "docseal_correlation_id", default=None
)


def _code(value: str | None) -> str:
    return value if value is not None and _CODE.fullmatch(value) else "OTHER"


class _Stdout:
    """``sys.stdout`` as it is when a line is written, not when the logger was
    made: pytest and the local server may replace it after import."""

    def write(self, text: str) -> int:
        return sys.stdout.write(text)

    def flush(self) -> None:
        sys.stdout.flush()


class _WithholdDetail(logging.Filter):
    """The last guard on the way out: no traceback, no exception message."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info:
            exc = record.exc_info[1]
            if exc is not None:
                record.error_class = type(exc).__name__
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        if record.msg == _CHALICE_UNHANDLED:
            record.args = ("(withheld)",)
        return True


_WITHHOLD = _WithholdDetail()
# Their DEBUG lines carry whole request and response bodies.
_WIRE_LOGGERS = ("boto3", "botocore", "s3transfer", "urllib3")


class PowertoolsTelemetry:
    def __init__(self, stream: IO[str] | None = None) -> None:
        self._stream: IO[str] = stream if stream is not None else cast("IO[str]", _Stdout())
        self._logger = Logger(service=SERVICE, stream=self._stream, utc=True, use_rfc3339=True)
        # The standard library keeps one ``docseal`` logger per process and
        # Powertools configures it once; a later Telemetry (a test's, or a
        # rebuilt container's) takes its handler over.
        self._handler = self._logger.registered_handler
        if isinstance(self._handler, logging.StreamHandler):
            self._handler.setStream(self._stream)
        self._handler.addFilter(_WITHHOLD)
        for name in _WIRE_LOGGERS:
            wire = logging.getLogger(name)
            wire.setLevel(max(wire.getEffectiveLevel(), logging.WARNING))

    @contextlib.contextmanager
    def request(self, correlation_id: str) -> Iterator[None]:
        token = _in_request.set(correlation_id)
        self._logger.thread_safe_append_keys(correlation_id=correlation_id)
        try:
            yield
        finally:
            self._logger.thread_safe_remove_keys(["correlation_id"])
            _in_request.reset(token)

    def served(self, served: Served) -> None:
        line: dict[str, Any] = {
            "method": served.method,
            "route": served.route,
            "status": served.status,
            "duration_ms": served.duration_ms,
        }
        if served.error_code is not None:
            line["error_code"] = _code(served.error_code)
        self._logger.info("request", extra=line)
        if served.status >= 400:
            self._count("Errors", code=_code(served.error_code))

    def verdict(self, verdict: str, reasons: tuple[str, ...]) -> None:
        if _in_request.get() is None:
            return  # the command line: its stdout is its answer
        self._count("Verdicts", verdict=verdict if verdict in ("VALID", "INVALID") else "OTHER")
        for reason in reasons:
            self._count("VerdictReasons", code=_code(reason))

    def _count(self, name: str, **dimensions: str) -> None:
        metric = EphemeralMetrics(namespace=NAMESPACE, service=SERVICE)
        metric.add_metric(name=name, unit=MetricUnit.Count, value=1)
        for key, value in dimensions.items():
            metric.add_dimension(name=key, value=value)
        correlation_id = _in_request.get()
        if correlation_id is not None:
            metric.add_metadata(key="correlation_id", value=correlation_id)
        line = json.dumps(metric.serialize_metric_set(), separators=(",", ":"))
        self._handler.acquire()
        try:
            self._stream.write(line + "\n")
            self._stream.flush()
        finally:
            self._handler.release()
