"""The contract of counters, run against every adapter (see conftest)."""

from __future__ import annotations

import pytest

from chalicelib.ports import Counters, Repositories


@pytest.fixture
def counters(storage: Repositories) -> Counters:
    return storage.counters


def test_counters_increment_from_zero(counters: Counters) -> None:
    assert [counters.next_counter("L1") for _ in range(3)] == [0, 1, 2]
    assert counters.next_counter("L2") == 0
