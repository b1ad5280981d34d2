"""The one form of every time docseal shows: RFC 3339 in UTC to the second,
``2026-11-01T08:00:00Z``. The storage codec (``adapters/records.py``) keeps its
own forms and is never sent to anyone."""

from __future__ import annotations

import datetime as dt


def iso(when: dt.datetime) -> str:
    """RFC 3339 in UTC to the second, ``2026-11-01T08:00:00Z``: the one form of
    every time docseal shows (a fraction of a second is cut, never rounded up)."""
    return when.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def iso_or_none(when: dt.datetime | None) -> str | None:
    return None if when is None else iso(when)
