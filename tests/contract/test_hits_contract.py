"""The contract of rate-limit hit counts, run against every adapter (see conftest)."""

from __future__ import annotations

import datetime as dt

import pytest

from chalicelib.ports import HitCounter, Repositories
from tests.support import T0


@pytest.fixture
def hits(storage: Repositories) -> HitCounter:
    return storage.hits


def test_hits_count_per_bucket(hits: HitCounter) -> None:
    end = T0 + dt.timedelta(minutes=1)
    assert [hits.count_hit("ip:a:1", end) for _ in range(3)] == [1, 2, 3]
    assert hits.count_hit("ip:b:1", end) == 1
