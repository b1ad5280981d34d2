"""The contract of the audit trail, run against every adapter (see conftest)."""

from __future__ import annotations

import datetime as dt

import pytest

from chalicelib.errors import Conflict
from chalicelib.ports import AuditRepository, Repositories
from tests.support import T0


@pytest.fixture
def audit(storage: Repositories) -> AuditRepository:
    return storage.audit


def test_audit_append_is_conditional_and_pages_in_order(audit: AuditRepository) -> None:
    from chalicelib.domain.audit import next_entry

    assert audit.last_audit() is None and audit.list_audit() == []
    head = None
    for i in range(5):
        head = next_entry(head, T0 + dt.timedelta(seconds=i), "cli", "issuer.add", f"I{i}")
        audit.append_audit(head)
    assert audit.last_audit() == head
    with pytest.raises(Conflict):
        audit.append_audit(head)  # that seq is taken
    assert [e.seq for e in audit.list_audit()] == [1, 2, 3, 4, 5]
    assert [e.seq for e in audit.list_audit(after=2, limit=2)] == [3, 4]
    assert audit.list_audit(after=5) == []
    assert audit.list_audit()[0].at == T0
