"""Verifying agencies in memory."""

from __future__ import annotations

import threading

from chalicelib.domain.officers import Agency
from chalicelib.errors import Conflict


class MemoryAgencies:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._agencies: dict[str, Agency] = {}

    def create_agency(self, agency: Agency) -> None:
        with self._lock:
            if agency.code in self._agencies:
                raise Conflict(f"agency {agency.code} already exists")
            self._agencies[agency.code] = agency

    def get_agency(self, code: str) -> Agency | None:
        with self._lock:
            return self._agencies.get(code)

    def list_agencies(self) -> list[Agency]:
        with self._lock:
            return [self._agencies[code] for code in sorted(self._agencies)]
