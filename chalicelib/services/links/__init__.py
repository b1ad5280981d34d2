"""Citizens' documents and the links they share them by.

A link is a secret token (192 bits from ``secrets``) in ``/s/<token>``; only
its SHA-256 is stored. ``LinkService`` (``sharing.py``) is what routes use:
the citizen's side, making, listing and revoking links on the terms checked
in ``terms.py``; opening a link, the viewer's side with its view counting and
holder checks, is ``opening.py``'s.
"""

from __future__ import annotations

from chalicelib.services.links.opening import (
    MAX_HOLDER_CHECKS,
    HolderChecksUsedUp,
    LinkOpener,
    OpenedLink,
)
from chalicelib.services.links.sharing import CreatedLink, LinkService
from chalicelib.services.links.terms import token_hash

__all__ = [
    "MAX_HOLDER_CHECKS",
    "CreatedLink",
    "HolderChecksUsedUp",
    "LinkOpener",
    "LinkService",
    "OpenedLink",
    "token_hash",
]
