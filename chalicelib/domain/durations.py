"""Durations as people write them: a whole number and a unit, ``90m``, ``12h``,
``3d``. One rule for every door that takes one (a share link's lifetime, a
development token's), so ``3d`` means the same on the command line as in
the API. What a door allows beyond the rule (a link lasts at most 30 days)
is the door's service's to decide.
"""

from __future__ import annotations

import datetime as dt
import re

# 1 to 9 999 999 of a unit, with no sign and no leading zero.
DURATION = re.compile(r"([1-9][0-9]{0,6})([smhd])")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# The longest duration: 100 years, so that now + a duration is always a time
# (9 999 999 days is not: it runs past the year 9999).
MAX_DURATION = dt.timedelta(days=36500)


def read_duration(text: str) -> dt.timedelta | None:
    """``text`` as a duration (spaces around it ignored), or None when it is
    not a whole number of seconds (s), minutes (m), hours (h) or days (d), or
    is longer than ``MAX_DURATION``."""
    found = DURATION.fullmatch(text.strip())
    if found is None:
        return None
    span = dt.timedelta(seconds=int(found.group(1)) * UNIT_SECONDS[found.group(2)])
    return span if span <= MAX_DURATION else None
