"""Verifying a QR text: the pure verifier over the live trust and status.

Every verdict docseal makes comes out of ``VerifyService.verify`` (the API,
uploaded files, the pages, share links, receipts), so this is where verdicts
are counted: an optional ``VerdictObserver`` hears each verdict and its reason
codes, and nothing else about the document (see ``chalicelib.observability``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from chalicelib.domain.trust import TrustSnapshot
from chalicelib.domain.verify import Verdict, verify
from chalicelib.errors import BadRequest, InvalidIdNumber
from chalicelib.ports import Clock, StatusSource, TrustSource, VerdictObserver


def presented_id(value: Any) -> str | None:
    """The ID number the officer typed, if any: 12 ASCII digits or a 400."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) != 12 or not value.isascii() or not value.isdigit():
        raise InvalidIdNumber("holder_id must be exactly 12 digits 0-9", code="INVALID_ID_NUMBER")
    return value


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
    ) -> None:
        self._trust = trust
        self._status = status
        self._clock = clock
        self._observer = observer

    def verify(self, qr_text: Any, holder_id: Any = None, at: dt.datetime | None = None) -> Verdict:
        if not isinstance(qr_text, str):
            raise BadRequest("qr_text must be a string")
        verdict = verify(
            qr_text,
            self._trust.snapshot(),
            at or self._clock.now(),
            presented_holder_id=presented_id(holder_id),
            status=self._status,
        )
        if self._observer is not None:
            self._observer(verdict.verdict, tuple(r.value for r in verdict.reasons))
        return verdict
