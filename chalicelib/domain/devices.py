"""A coarse description of the device that opened a link, for the citizen's
access log: the kind of device and the browser family, nothing that
identifies a person (no IP address, no version numbers)."""

from __future__ import annotations

_BROWSERS = (
    ("Zalo", "Zalo"),
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("CocCoc", "Cốc Cốc"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)


def coarse_device(user_agent: str | None) -> str:
    ua = (user_agent or "")[:512]
    lowered = ua.lower()
    if any(word in lowered for word in ("iphone", "android", "mobile")):
        kind = "Điện thoại / Phone"
    elif "ipad" in lowered or "tablet" in lowered:
        kind = "Máy tính bảng / Tablet"
    elif ua:
        kind = "Máy tính / Computer"
    else:
        kind = "Không rõ / Unknown"
    browser = next((name for marker, name in _BROWSERS if marker in ua), "")
    return f"{kind} · {browser}" if browser else kind
