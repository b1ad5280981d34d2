"""What docseal tells its operators: one structured log line per request, and
counts of verdicts and error codes, with no personal data in any of them.

Services and routes depend on the ``Telemetry`` port (``chalicelib.ports``,
with ``VerdictObserver``); the one real implementation
(``chalicelib.adapters.telemetry``, over AWS Lambda Powertools) writes JSON
lines and CloudWatch EMF metrics to stdout.

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
import dataclasses
from collections.abc import Iterator


@dataclasses.dataclass(frozen=True)
class Served:
    """One answered request, as it may be logged: no path, query, header or body."""

    method: str
    route: str  # the route template, e.g. "/s/{token}"; the real path carries secrets
    status: int
    duration_ms: float
    error_code: str | None = None


class NoTelemetry:
    """Telemetry that records nothing, for code paths that do not need it."""

    @contextlib.contextmanager
    def request(self, correlation_id: str) -> Iterator[None]:
        yield

    def served(self, served: Served) -> None:
        return None

    def verdict(self, verdict: str, reasons: tuple[str, ...]) -> None:
        return None
