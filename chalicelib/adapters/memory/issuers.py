"""Issuers in memory."""

from __future__ import annotations

import threading

from chalicelib.domain.models import Issuer
from chalicelib.errors import Conflict


class MemoryIssuers:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._issuers: dict[str, Issuer] = {}

    def create_issuer(self, issuer: Issuer) -> None:
        with self._lock:
            if issuer.code in self._issuers:
                raise Conflict(f"issuer {issuer.code} already exists")
            self._issuers[issuer.code] = issuer

    def save_issuer(self, issuer: Issuer) -> None:
        with self._lock:
            self._issuers[issuer.code] = issuer

    def get_issuer(self, code: str) -> Issuer | None:
        with self._lock:
            return self._issuers.get(code)

    def list_issuers(self) -> list[Issuer]:
        with self._lock:
            return sorted(self._issuers.values(), key=lambda i: i.code)
