"""Identity records in memory."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from chalicelib.domain.models import IdentityRecord


class MemoryIdentities:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._identities: dict[str, IdentityRecord] = {}

    def put_identities(self, records: Sequence[IdentityRecord]) -> None:
        with self._lock:
            self._identities.update((r.holder_ref, r) for r in records)

    def get_identity(self, holder_ref: str) -> IdentityRecord | None:
        with self._lock:
            return self._identities.get(holder_ref)
