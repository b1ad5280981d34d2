"""The audit chain detects an entry edited, removed or reordered."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

from chalicelib.domain.audit import GENESIS, AuditEntry, first_break, next_entry

T0 = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)


def chain(n: int = 5) -> list[AuditEntry]:
    out: list[AuditEntry] = []
    for i in range(n):
        head = out[-1] if out else None
        at = T0 + dt.timedelta(seconds=i)
        out.append(next_entry(head, at, "admin-1", "key.rotate", f"k{i}", {"n": str(i)}))
    return out


def test_a_clean_chain_verifies() -> None:
    entries = chain()
    assert entries[0].prev == GENESIS and [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert all(b.prev == a.hash for a, b in itertools.pairwise(entries))
    assert first_break(entries) is None and first_break([]) is None


def test_an_edited_entry_is_found() -> None:
    entries = chain()
    entries[2] = dataclasses.replace(entries[2], target="someone-else")
    assert first_break(entries) == 3
    entries = chain()
    entries[3] = dataclasses.replace(entries[3], details={"n": "99"})
    assert first_break(entries) == 4


def test_a_removed_entry_is_found() -> None:
    entries = chain()
    del entries[1]
    assert first_break(entries) == 2
    assert first_break(chain()[:-1]) is None  # a shorter honest prefix is still a chain


def test_reordered_entries_are_found() -> None:
    entries = chain()
    entries[1], entries[2] = entries[2], entries[1]
    assert first_break(entries) == 2


def test_a_rehashed_forgery_still_breaks_the_next_link() -> None:
    entries = chain()
    forged = next_entry(entries[0], entries[1].at, "mallory", "key.rotate", "k1", {"n": "1"})
    entries[1] = forged  # a valid hash of its own ...
    assert first_break(entries) == 3  # ... but entry 3 points at the original
