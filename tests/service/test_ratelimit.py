"""The rate limiter: a budget per client, kind of use and minute, counted in
the shared hit counter."""

from __future__ import annotations

from chalicelib.domain.caller import OPERATOR, Caller
from chalicelib.errors import TooManyRequests
from chalicelib.services.ratelimit import LINKS, VERIFY
from tests.service.conftest import RATE_LIMITS, Docseal, refused

OFFICE = Caller("203.0.113.7")
HOME = Caller("198.51.100.23")


def test_a_client_gets_its_budget_each_minute_then_waits(bare: Docseal) -> None:
    bare.later(seconds=20)  # 20 s into the minute
    for _ in range(RATE_LIMITS[VERIFY]):
        bare.limiter.check(VERIFY, OFFICE)
    with refused("RATE_LIMITED") as info:
        bare.limiter.check(VERIFY, OFFICE)
    assert isinstance(info.value, TooManyRequests)
    assert (info.value.http_status, info.value.retry_after) == (429, 41)
    bare.later(seconds=40)  # the next minute
    bare.limiter.check(VERIFY, OFFICE)


def test_budgets_are_per_client_and_per_kind_of_use(bare: Docseal) -> None:
    for _ in range(RATE_LIMITS[VERIFY]):
        bare.limiter.check(VERIFY, OFFICE)
    bare.limiter.check(VERIFY, HOME)
    for _ in range(RATE_LIMITS[LINKS]):
        bare.limiter.check(LINKS, OFFICE)
    with refused("RATE_LIMITED"):
        bare.limiter.check(LINKS, OFFICE)


def test_the_operator_and_unmetered_uses_are_not_limited(bare: Docseal) -> None:
    for _ in range(3 * RATE_LIMITS[VERIFY]):
        bare.limiter.check(VERIFY, OPERATOR)
        bare.limiter.check("export", OFFICE)  # no budget set: no limit
