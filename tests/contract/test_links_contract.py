"""The contract of share links and their views, run against every adapter (see conftest)."""

from __future__ import annotations

import datetime as dt

import pytest

from chalicelib.domain.models import LinkView
from chalicelib.errors import Conflict
from chalicelib.ports import LinkRepository, Repositories
from tests.builders import link
from tests.support import T0


@pytest.fixture
def links(storage: Repositories) -> LinkRepository:
    return storage.links


def test_link_round_trip_find_by_hash_and_list(links: LinkRepository) -> None:
    links.create_link(link())
    links.create_link(link("m" * 26, "cd" * 32, created_at=T0 + dt.timedelta(hours=1)))
    links.create_link(link("n" * 26, "ef" * 32, holder_ref="e" * 64))
    assert links.get_link("l" * 26) == link()
    assert links.find_link("ab" * 32) == link()
    assert links.find_link("00" * 32) is None and links.get_link("x" * 26) is None
    assert [x.id for x in links.list_links("f" * 64)] == ["m" * 26, "l" * 26]
    with pytest.raises(Conflict):
        links.create_link(link())


def test_claim_view_counts_and_refuses_when_unusable(links: LinkRepository) -> None:
    links.create_link(link(max_views=2))
    now = T0 + dt.timedelta(hours=1)
    first = links.claim_view("l" * 26, now)
    assert first is not None and first.views == 1
    second = links.claim_view("l" * 26, now)
    assert second is not None and second.views == 2
    assert links.claim_view("l" * 26, now) is None  # max_views reached
    assert links.get_link("l" * 26).views == 2  # type: ignore[union-attr]
    links.create_link(link("m" * 26, "cd" * 32))
    assert links.claim_view("m" * 26, T0 + dt.timedelta(days=7)) is None  # expired
    links.revoke_link("m" * 26, now)
    links.revoke_link("m" * 26, now + dt.timedelta(hours=1))  # twice: the first time stays
    assert links.get_link("m" * 26).revoked_at == now  # type: ignore[union-attr]
    assert links.claim_view("m" * 26, now) is None
    assert links.claim_view("x" * 26, now) is None  # unknown
    links.revoke_link("x" * 26, now)  # unknown: nothing happens


def test_views_are_logged_newest_first(links: LinkRepository) -> None:
    links.add_view(LinkView("l" * 26, T0, "Điện thoại · Chrome"))
    links.add_view(LinkView("l" * 26, T0 + dt.timedelta(minutes=5), "Máy tính · Firefox", "BV-01"))
    links.add_view(LinkView("m" * 26, T0, "Máy tính · Safari"))
    views = links.list_views("l" * 26)
    assert [v.device for v in views] == ["Máy tính · Firefox", "Điện thoại · Chrome"]
    assert views[0].agency == "BV-01" and views[0].at == T0 + dt.timedelta(minutes=5)


def test_parallel_views_never_pass_max_views(
    links: LinkRepository, request: pytest.FixtureRequest
) -> None:
    """Racing viewers never pass max_views. SQLite's and memory's atomicity is
    this code's (one write transaction; one lock); DynamoDB's is the service's,
    and moto does not lock between threads, so for it the test in
    tests/adapters checks instead that a claim is one conditional UpdateItem
    and no read before it."""
    from concurrent.futures import ThreadPoolExecutor

    if request.node.callspec.params["storage"] == "dynamodb":
        links.create_link(link(max_views=3))
        now = T0 + dt.timedelta(hours=1)
        claimed = [links.claim_view("l" * 26, now) for _ in range(16)]
        assert sum(c is not None for c in claimed) == 3
        return
    links.create_link(link(max_views=3))
    now = T0 + dt.timedelta(hours=1)
    with ThreadPoolExecutor(max_workers=8) as pool:
        claimed = list(pool.map(lambda _: links.claim_view("l" * 26, now), range(16)))
    assert sum(c is not None for c in claimed) == 3
    assert links.get_link("l" * 26).views == 3  # type: ignore[union-attr]
