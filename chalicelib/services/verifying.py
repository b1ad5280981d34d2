"""Verifying a QR text: the pure verifier over the live trust and status.

Every verdict docseal makes comes out of ``VerifyService.verify`` (the API,
uploaded files, the pages, share links, receipts), so this is where verdicts
are counted: an optional ``VerdictObserver`` hears each verdict and its reason
codes, and nothing else about the document (see ``chalicelib.adapters.telemetry``).

``verify`` itself is not metered: the services that build on it (files, the
desk, share links, receipts) each count their own door's use once, and the
operator's CLI is not limited. ``verify_request`` is the API's door: the JSON
body as sent, counted against the caller's ``VERIFY`` budget first.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from chalicelib.domain.caller import Caller
from chalicelib.domain.inputs import Body, presented_id, qr_text_of
from chalicelib.domain.trust import TrustSnapshot
from chalicelib.domain.verify import Verdict, verify
from chalicelib.ports import Clock, StatusSource, TrustSource, VerdictObserver
from chalicelib.services.ratelimit import VERIFY, RateLimiter


@dataclasses.dataclass(frozen=True)
class FixedTrust:
    """A trust snapshot that does not change: an offline trust list's."""

    fixed: TrustSnapshot

    def snapshot(self) -> TrustSnapshot:
        return self.fixed


class VerifyService:
    def __init__(
        self,
        trust: TrustSource,
        status: StatusSource,
        clock: Clock,
        observer: VerdictObserver | None = None,
        limiter: RateLimiter | None = None,  # None: an offline verifier, which no door reaches
    ) -> None:
        self._trust = trust
        self._status = status
        self._clock = clock
        self._observer = observer
        self._limiter = limiter

    def verify_request(self, body: Body, caller: Caller) -> Verdict:
        """``{"qr_text", "holder_id"?}`` as the caller sent it, within their
        ``VERIFY`` budget: ``RATE_LIMITED`` first, then ``BAD_REQUEST`` for a
        QR text that is not a string and ``INVALID_ID_NUMBER`` for a number
        that is not 12 digits. Any string gets a verdict."""
        if self._limiter is not None:
            self._limiter.check(VERIFY, caller)
        return self.verify(qr_text_of(body.get("qr_text")), presented_id(body.get("holder_id")))

    def verify(
        self, qr_text: str, holder_id: str | None = None, at: dt.datetime | None = None
    ) -> Verdict:
        """The verdict on ``qr_text`` at ``at`` (now), against the number of the
        person presenting it, if given; not metered (see the module's note)."""
        verdict = verify(
            qr_text_of(qr_text),  # the CLI and a receipt's ticket hand over what they were given
            self._trust.snapshot(),
            at or self._clock.now(),
            presented_holder_id=presented_id(holder_id),
            status=self._status,
        )
        if self._observer is not None:
            self._observer(verdict.verdict, tuple(r.value for r in verdict.reasons))
        return verdict
