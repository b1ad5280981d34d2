"""The audit trail's entries as ``GET /audit`` and ``docseal audit list``
show them."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.views.times import iso


def audit_view(entry: AuditEntry) -> dict[str, Any]:
    """An audit entry (``GET /audit``, ``docseal audit list``). ``details`` are
    shown as recorded: the entry's hash covers them."""
    return {
        "seq": entry.seq,
        "at": iso(entry.at),
        "actor": entry.actor,
        "action": entry.action,
        "target": entry.target,
        "details": dict(entry.details),
        "prev": entry.prev,
        "hash": entry.hash,
    }
