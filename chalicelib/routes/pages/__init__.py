"""The pages, one blueprint (``bp``) over three groups: the officer's
verification desk (``desk``), share links (``share``), signing in and out
(``signin``), the citizen's pages (``citizen``); what they share, rendering and errors as
pages, is ``base``.

Importing this package registers every page route on ``bp``; ``app.py``
registers ``bp`` once, and ``routes.fallback`` answers unknown paths and
methods with ``message_page``, ``unexpected_page`` and ``camera_text``.
"""

from __future__ import annotations

from chalicelib.routes.pages import citizen, desk, share, signin
from chalicelib.routes.pages.base import (
    ANY_TYPES,
    bp,
    message_page,
    page_guarded,
    unexpected_page,
)
from chalicelib.routes.pages.desk import camera_text

__all__ = [
    "ANY_TYPES",
    "bp",
    "camera_text",
    "citizen",
    "desk",
    "message_page",
    "page_guarded",
    "share",
    "signin",
    "unexpected_page",
]
