"""A citizen's share links and the log of their openings: never a token,
never an IP address."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from chalicelib.domain.models import LinkView, ShareLink
from chalicelib.domain.views.times import iso, iso_or_none


def link_opening_view(opening: LinkView) -> dict[str, Any]:
    """One opening of a link, as its owner sees it: no IP address."""
    return {"at": iso(opening.at), "device": opening.device, "agency": opening.agency}


def link_view(
    link: ShareLink, openings: Sequence[LinkView] | None, now: dt.datetime
) -> dict[str, Any]:
    """A citizen's share link, never its token; with ``log`` when its
    openings are given."""
    out: dict[str, Any] = {
        "id": link.id,
        "document_id": link.doc_id,
        "state": link.state(now),
        "created_at": iso(link.created_at),
        "expires_at": iso(link.expires_at),
        "max_views": link.max_views,
        "views": link.views,
        "recipient": link.recipient,
        "disclose": list(link.disclose),
        "revoked_at": iso_or_none(link.revoked_at),
    }
    if openings is not None:
        out["log"] = [link_opening_view(v) for v in openings]
    return out
