"""Appending to the hash-chained audit trail, and checking it.

Appends race safely: each entry claims the next sequence number with a
conditional write; a writer that loses reads the new head and chains again.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from chalicelib.domain.audit import AuditEntry, first_break, next_entry
from chalicelib.errors import Conflict, Unavailable
from chalicelib.ports import Clock, Store

PAGE = 500
ATTEMPTS = 8


class AuditLog:
    def __init__(self, store: Store, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    def record(
        self, actor: str, action: str, target: str, details: Mapping[str, object] | None = None
    ) -> AuditEntry:
        facts = {k: str(v) for k, v in (details or {}).items()}
        for _ in range(ATTEMPTS):
            entry = next_entry(
                self._store.last_audit(), self._clock.now(), actor, action, target, facts
            )
            try:
                self._store.append_audit(entry)
            except Conflict:
                continue  # another writer took this seq: chain after theirs
            return entry
        raise Unavailable("the audit trail is busy; retry")

    def entries(self, after: int = 0) -> Iterator[AuditEntry]:
        while True:
            page = self._store.list_audit(after, PAGE)
            yield from page
            if len(page) < PAGE:
                return
            after = page[-1].seq

    def verify(self) -> tuple[int, int | None]:
        """(entries checked, the first broken seq or None)."""
        count = 0

        def counted() -> Iterator[AuditEntry]:
            nonlocal count
            for entry in self.entries():
                count += 1
                yield entry

        broken = first_break(counted())
        return count, broken
