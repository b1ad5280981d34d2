"""A store-backed rate limiter: one counter per client and minute, shared by
every Lambda instance because it lives in the store, not in memory.

Clients are named by a keyed hash of their address, so no IP address is
stored in clear.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from chalicelib.errors import TooManyRequests
from chalicelib.ports import Clock, HitCounter

WINDOW_SECONDS = 60


class RateLimiter:
    def __init__(
        self, hits: HitCounter, clock: Clock, pepper: bytes, limits: dict[str, int]
    ) -> None:
        self._hits = hits
        self._clock = clock
        self._pepper = pepper
        self._limits = limits

    def check(self, route: str, client: str) -> None:
        limit = self._limits.get(route, 0)
        if limit <= 0:
            return
        now = self._clock.now()
        window = int(now.timestamp()) // WINDOW_SECONDS
        ends = dt.datetime.fromtimestamp((window + 1) * WINDOW_SECONDS, dt.UTC)
        who = hmac.new(self._pepper, b"rate:" + client.encode(), hashlib.sha256).hexdigest()[:24]
        if self._hits.count_hit(f"{route}:{who}:{window}", ends) > limit:
            wait = int((ends - now).total_seconds()) + 1
            raise TooManyRequests("too many requests: wait and try again", retry_after=wait)
