"""How long share-link records are kept: the one rule every store applies.

A link's record outlives its expiry by ``LINK_RETENTION``, so the citizen
still sees a recently expired link and who opened it. A view is logged while
its link lasts (at most ``MAX_LINK_LIFETIME``), so keeping it that much longer
again keeps it as long as its link's record. Stores drop records after these
times: DynamoDB by the table's TTL, SQLite and memory by sweeping on writes.
"""

from __future__ import annotations

import datetime as dt

from chalicelib.domain.models import LinkView, ShareLink

LINK_RETENTION = dt.timedelta(days=30)
MAX_LINK_LIFETIME = dt.timedelta(days=30)  # the longest expiry a citizen may choose


def link_kept_until(link: ShareLink) -> dt.datetime:
    """When the record of ``link`` may be dropped."""
    return link.expires_at + LINK_RETENTION


def view_kept_until(view: LinkView) -> dt.datetime:
    """When the record of ``view`` may be dropped."""
    return view.at + MAX_LINK_LIFETIME + LINK_RETENTION
