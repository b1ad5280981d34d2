"""The audit trail in memory."""

from __future__ import annotations

import dataclasses
import threading

from chalicelib.domain.audit import AuditEntry
from chalicelib.errors import Conflict


class MemoryAudit:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[int, AuditEntry] = {}

    def append_audit(self, entry: AuditEntry) -> None:
        with self._lock:
            if entry.seq in self._entries:
                raise Conflict(f"audit entry {entry.seq} already exists")
            # its own copy of the details: the caller's mapping may change
            self._entries[entry.seq] = dataclasses.replace(entry, details=dict(entry.details))

    def last_audit(self) -> AuditEntry | None:
        with self._lock:
            return self._entries[max(self._entries)] if self._entries else None

    def list_audit(self, after: int = 0, limit: int = 100) -> list[AuditEntry]:
        with self._lock:
            later = sorted(seq for seq in self._entries if seq > after)
            return [self._entries[seq] for seq in later[: max(0, limit)]]
