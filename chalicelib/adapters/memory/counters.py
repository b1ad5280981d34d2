"""Named counters in memory."""

from __future__ import annotations

import threading


class MemoryCounters:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[str, int] = {}

    def next_counter(self, name: str) -> int:
        with self._lock:
            value = self._values.get(name, -1) + 1
            self._values[name] = value
            return value
