"""Appending to the hash-chained audit trail, and checking it.

Appends race safely: each entry claims the next sequence number with a
conditional write; a writer that loses reads the new head and chains again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping

from chalicelib.domain.audit import AuditEntry, first_break, next_entry
from chalicelib.domain.authorization import actor_of, may_administer, refused_actor
from chalicelib.domain.principal import Principal
from chalicelib.errors import Conflict, ErrorCode, Forbidden, Unavailable
from chalicelib.ports import AuditRepository, Clock

PAGE = 500
ATTEMPTS = 8
MAX_READ = 500  # entries one request may read


@dataclasses.dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    next_after: int | None  # where the next page starts; None when this one is the last


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

    def admit(self, principal: Principal, where: str, *issuer_codes: str) -> str:
        """The actor ``principal`` administers as: an admin, or an issuer acting
        on one of ``issuer_codes`` (its own). Anyone else is refused
        (``Forbidden``, WRONG_ROLE) and the refusal, at ``where``, goes on the
        trail."""
        if may_administer(principal, *issuer_codes):
            return actor_of(principal)
        self.record(refused_actor(principal), "access.denied", where, {"role": principal.role})
        raise Forbidden(
            "this needs the role admin (or the document's own issuer)", code=ErrorCode.WRONG_ROLE
        )

    def entries_for(
        self,
        principal: Principal,
        where: str,
        *,
        after: int = 0,
        limit: int = 100,
        action: str | None = None,
        target: str | None = None,
    ) -> AuditPage:
        """One page of the trail for an administrator: entries after ``after``
        with this ``action`` and ``target`` (when given), at most ``limit``
        (1 to 500)."""
        self.admit(principal, where)
        limit = min(max(limit, 1), MAX_READ)
        found: list[AuditEntry] = []
        last = after
        for entry in self.entries(after):
            last = entry.seq
            if (action and entry.action != action) or (target and entry.target != target):
                continue
            found.append(entry)
            if len(found) >= limit:
                break
        return AuditPage(found, last if len(found) >= limit else None)

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
