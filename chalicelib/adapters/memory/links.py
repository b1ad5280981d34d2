"""Share links and their views in memory. Records past ``domain.retention``'s
times are swept when a link is created, as the SQLite adapter does."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading

from chalicelib.domain.models import LinkView, ShareLink
from chalicelib.domain.retention import link_kept_until, view_kept_until
from chalicelib.errors import Conflict


class MemoryLinks:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._links: dict[str, ShareLink] = {}  # in the order they were created
        self._views: list[LinkView] = []  # in the order they were logged

    def create_link(self, link: ShareLink) -> None:
        with self._lock:
            self._sweep(link.created_at)
            if link.id in self._links or any(
                other.token_hash == link.token_hash for other in self._links.values()
            ):
                raise Conflict(f"link {link.id} already exists")
            self._links[link.id] = link

    def get_link(self, link_id: str) -> ShareLink | None:
        with self._lock:
            return self._links.get(link_id)

    def find_link(self, token_hash: str) -> ShareLink | None:
        with self._lock:
            return next((x for x in self._links.values() if x.token_hash == token_hash), None)

    def list_links(self, holder_ref: str) -> list[ShareLink]:
        with self._lock:
            mine = [x for x in self._links.values() if x.holder_ref == holder_ref]
        return mine[::-1]

    def claim_view(self, link_id: str, now: dt.datetime) -> ShareLink | None:
        with self._lock:
            link = self._links.get(link_id)
            if link is None or not link.usable(now):
                return None
            counted = dataclasses.replace(link, views=link.views + 1)
            self._links[link_id] = counted
            return counted

    def revoke_link(self, link_id: str, now: dt.datetime) -> None:
        with self._lock:
            link = self._links.get(link_id)
            if link is not None and link.revoked_at is None:
                self._links[link_id] = dataclasses.replace(link, revoked_at=now)

    def add_view(self, view: LinkView) -> None:
        with self._lock:
            self._views.append(view)

    def list_views(self, link_id: str) -> list[LinkView]:
        with self._lock:
            logged = [(i, v) for i, v in enumerate(self._views) if v.link_id == link_id]
        return [v for _, v in sorted(logged, key=lambda p: (p[1].at, p[0]), reverse=True)]

    def _sweep(self, now: dt.datetime) -> None:
        """What a TTL would have removed by ``now``."""
        self._links = {k: x for k, x in self._links.items() if link_kept_until(x) >= now}
        self._views = [v for v in self._views if view_kept_until(v) >= now]
