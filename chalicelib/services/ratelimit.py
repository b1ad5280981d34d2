"""A store-backed rate limiter: one counter per client and minute, shared by
every Lambda instance because it lives in the store, not in memory.

The services that meter a use call it, never a route, so every door to the
same use spends from the same budget: ``VERIFY`` for a verdict asked for (the
API's text or file, the desk form, a camera URL, a receipt), ``LINKS`` for a
share link opened (its page, its holder checks). A ``Caller`` with no client
(``OPERATOR``, the CLI on the operator's machine) is not limited.

Clients are named by a keyed hash of their address, so no IP address is
stored in clear.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from chalicelib.domain.caller import Caller
from chalicelib.errors import TooManyRequests
from chalicelib.ports import Clock, HitCounter

WINDOW_SECONDS = 60
VERIFY = "verify"  # verdicts asked for, per client and minute (DOCSEAL_RATE_VERIFY)
LINKS = "links"  # share-link pages opened, per client and minute (DOCSEAL_RATE_LINKS)


class RateLimiter:
    def __init__(
        self, hits: HitCounter, clock: Clock, pepper: bytes, limits: dict[str, int]
    ) -> None:
        self._hits = hits
        self._clock = clock
        self._pepper = pepper
        self._limits = limits

    def check(self, budget: str, caller: Caller) -> None:
        """Count one use of ``budget`` by ``caller``; ``TooManyRequests`` (429,
        with the seconds to wait) past the budget's limit this minute."""
        limit = self._limits.get(budget, 0)
        if limit <= 0 or caller.client is None:  # the operator: see domain.caller
            return
        now = self._clock.now()
        window = int(now.timestamp()) // WINDOW_SECONDS
        ends = dt.datetime.fromtimestamp((window + 1) * WINDOW_SECONDS, dt.UTC)
        key = b"rate:" + caller.client.encode()
        who = hmac.new(self._pepper, key, hashlib.sha256).hexdigest()[:24]
        if self._hits.count_hit(f"{budget}:{who}:{window}", ends) > limit:
            wait = int((ends - now).total_seconds()) + 1
            raise TooManyRequests("too many requests: wait and try again", retry_after=wait)
