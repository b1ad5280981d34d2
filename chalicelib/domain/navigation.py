"""Where a page may send the reader after signing in: this site only.

``next`` comes from a query string anybody can write, so it is reduced to a
path on docseal's own origin, or ``/`` (an open redirect through sign-in
would lend docseal's name to a phishing page)."""

from __future__ import annotations

from urllib.parse import urlsplit

MAX_NEXT_CHARS = 512


def safe_next(value: object, default: str = "/") -> str:
    """``value`` if it is a local path (``/me``, ``/s/abc?lang=en``), else ``default``."""
    if not isinstance(value, str) or not value or len(value) > MAX_NEXT_CHARS:
        return default
    if not value.startswith("/") or value.startswith("//"):
        return default  # relative paths and scheme-relative hosts
    if any(c in value for c in "\\\t\r\n") or not value.isprintable() or not value.isascii():
        return default  # browsers read "/\host" as "//host"; control characters
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.fragment:
        return default
    return value
