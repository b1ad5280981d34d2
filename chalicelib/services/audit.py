"""Appending to the hash-chained audit trail, and checking it.

Appends race safely: each entry claims the next sequence number with a
conditional write; a writer that loses reads the new head and chains again.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from chalicelib.domain.audit import AuditEntry, first_break, next_entry
from chalicelib.errors import Conflict, Unavailable
from chalicelib.ports import AuditRepository, Clock

PAGE = 500
ATTEMPTS = 8


class AuditLog:
    def __init__(self, trail: AuditRepository, clock: Clock) -> None:
        self._trail = trail
        self._clock = clock

    def record(
        self, actor: str, action: str, target: str, details: Mapping[str, object] | None = None
    ) -> AuditEntry:
        facts = {k: str(v) for k, v in (details or {}).items()}
        for _ in range(ATTEMPTS):
            entry = next_entry(
                self._trail.last_audit(), self._clock.now(), actor, action, target, facts
            )
            try:
                self._trail.append_audit(entry)
            except Conflict:
                continue  # another writer took this seq: chain after theirs
            return entry
        raise Unavailable("the audit trail is busy; retry")

    def entries(self, after: int = 0, limit: int | None = None) -> Iterator[AuditEntry]:
        """Entries with seq > ``after``, oldest first; at most ``limit`` if given."""
        left = limit
        while left is None or left > 0:
            page = self._trail.list_audit(after, PAGE if left is None else min(PAGE, left))
            yield from page
            if left is not None:
                left -= len(page)
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
