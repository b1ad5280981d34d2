"""Rate-limit counts in memory, for one process only."""

from __future__ import annotations

import datetime as dt
import threading


class MemoryHits:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[int, dt.datetime]] = {}

    def count_hit(self, bucket: str, expires_at: dt.datetime) -> int:
        with self._lock:
            # buckets are short windows: one that ended an hour before this one is dead
            dead = expires_at - dt.timedelta(hours=1)
            self._buckets = {b: v for b, v in self._buckets.items() if v[1] >= dead}
            count, _ = self._buckets.get(bucket, (0, expires_at))
            self._buckets[bucket] = (count + 1, expires_at)
            return count + 1
