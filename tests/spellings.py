"""How a genuine QR text arrives after reader apps, keyboards and copy-paste
have had it, and texts that are not docseal's or are damaged: the table that
every door of issue 13 is tested with (tests/unit/test_qrtext.py,
tests/functional/test_spellings.py).

``spellings(text)`` gives ``(name, spelling)`` pairs of one genuine
``https://host/v#DS1:<BASE32>`` text; each must read as that code.
``FOREIGN`` must be ``NOT_A_DOCSEAL_CODE``; ``damaged(text)`` gives texts that
are docseal's but broken, each with its reason.
"""

from __future__ import annotations

from urllib.parse import quote

ZWSP = "\u200b"  # zero-width space
BOM = "\ufeff"
NBSP = "\u00a0"


def _fullwidth(text: str) -> str:
    """ASCII letters, digits and ':' as their full-width forms (an East Asian IME)."""
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def spellings(text: str) -> list[tuple[str, str]]:
    """Every spelling of ``text`` (``https://host/v#DS1:…``) that must read as it."""
    url, payload = text.rsplit("#", 1)
    host_path = url.split("://", 1)[1]  # docseal.example.vn/v
    path = "/" + host_path.split("/", 1)[1]  # /v
    b32 = payload[len("DS1:") :]
    wrapped = "\n".join(text[i : i + 76] for i in range(0, len(text), 76))
    return [
        ("as-issued", text),
        ("bare", payload),
        ("lower-case", text.lower()),
        ("prefix-lower", url + "#ds1:" + b32),
        ("bare-lower", payload.lower()),
        ("upper-case-url", text.upper()),
        ("whitespace-around", "\n\t  " + text + "  \r\n"),
        ("line-wrapped", wrapped),
        ("crlf-wrapped", wrapped.replace("\n", "\r\n")),
        ("pct-hash", url + "%23" + payload),
        ("pct-hash-colon", url + "%23" + payload.replace(":", "%3A", 1)),
        ("pct-hash-colon-lower", url + "%23" + payload.replace(":", "%3a", 1)),
        ("pct-everything", quote(text, safe="")),
        ("pct-twice", url + "%2523" + payload.replace(":", "%253A", 1)),
        ("pct-fragment", url + "#" + quote(payload, safe="")),
        ("no-scheme", host_path + "#" + payload),
        ("path-only", path + "#" + payload),
        ("path-slash", url + "/" + payload),
        ("zero-width-space", text[:30] + ZWSP + text[30:60] + ZWSP + text[60:]),
        ("bom", BOM + text),
        ("nbsp-around", NBSP + text + NBSP),
        ("fullwidth-prefix", _fullwidth("DS1:") + b32),
        ("labelled", "Mã QR: " + payload),
        ("label-and-space", "Code " + payload),
        ("label-and-newline", "Result\n" + payload),
        ("two-prefixes", "DS1:AAAA " + payload),
        ("zwsp-everywhere", ZWSP.join(text)),
        ("pct-fullwidth", "DS1%3A" + quote(_fullwidth(b32))),
        ("fullwidth-pct-prefix", quote(_fullwidth("DS1:")) + b32),
        ("pct-three-times", url + "%252523" + payload),
        ("markdown-link", "[kết quả](" + text + ")"),
        ("angle-brackets", "<" + text + ">"),
        ("quoted", '"' + text + '"'),
        ("full-stop", "Xem tại " + text + "."),
    ]


# Other systems' codes and texts: never "damaged", always not docseal's.
FOREIGN: list[tuple[str, str]] = [
    ("empty", ""),
    ("spaces", "   "),
    ("newlines", "\n\r\n\t"),
    ("whitespace-100kB", " \n" * 50_000),
    ("invisible-only", ZWSP + BOM + NBSP),
    ("portal-url", "https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so.html?ma=G22.99-261130-0001"),
    ("other-site-fragment", "https://example.org/page#section-2"),
    ("other-site-v-fragment", "https://example.org/v#intro"),
    (
        "vietqr-payment",
        "00020101021238570010A000000727012700069704220113VQRQ00012345670208QRIBFTTA"
        "53037045802VN62150811THANH TOAN6304ABCD",
    ),
    (
        "eu-dcc",
        "HC1:NCFOXN%TS3DH0YOJ58S S-W5HDC *M0II5XHC9B5G2+$N IOP-IA%NFQGRJPC%OQHIZC4.OI1RM8ZA",
    ),
    (
        "nz-covid-pass",
        "NZCP:/1/2KCEVIQEIVVWK6JNGEASNICZAEP2KALYDZSGSZB2O5SWEOTOPJRXALTDN53GSZBRHEXGQZLYMN3D",
    ),
    ("wifi", "WIFI:T:WPA;S:UBND-Xa;P:matkhau123;;"),
    ("vcard", "BEGIN:VCARD\nVERSION:3.0\nFN:Nguyen Van A\nTEL:0912345678\nEND:VCARD"),
    ("words-in-capitals", "DOCSEAL " * 40),
    ("plain-text", "Xin chào, đây là mã QR của cửa hàng"),
    ("chip-id-card", "001325012345|012345678|Nguyễn Thị Hồng Nhung|14032025|Nữ|Hà Nội|20032025"),
    ("too-long", "x" * 70_000),
    ("sha-256-hex", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" * 2),
    ("glued-to-a-word", "kids1:" + "abc"),
    ("ds-in-a-url", "https://www.dsautomobiles.vn/ds7.html"),
    ("ds-in-a-wifi-name", "WIFI:T:WPA;S:DS1-Guest;P:matkhau123;;"),
    ("ds-in-a-price", "Sony DS4 V2 - 1.290.000đ"),
    ("ds-in-words", "Giấy tờ DS 3 bản"),
    ("ds-list-label", "DS 2: CAP NHAT"),
    ("ds-list-of-names", "DS1: Nguyen Van A, Tran Thi B"),
    ("ds-path-label", "https://example.org/files/DS2:BangKe"),
    ("non-ascii-digit-version", "DS1\u0661:AAAA"),
]


def damaged(text: str) -> list[tuple[str, str, str]]:
    """Docseal's texts, broken: ``(name, text, reason)``."""
    url, payload = text.rsplit("#", 1)
    b32 = payload[len("DS1:") :]
    return [
        ("cut-short", text[: len(text) // 2], "MALFORMED"),
        ("prefix-only", url + "#DS1:", "MALFORMED"),
        ("no-colon", url + "#DS1" + b32, "MALFORMED"),
        ("no-prefix", b32, "MALFORMED"),
        ("no-prefix-lower", b32.lower(), "MALFORMED"),
        ("no-prefix-one-bad-char", b32[:-1] + "1", "MALFORMED"),
        ("no-prefix-url", url + "#" + b32, "MALFORMED"),
        ("no-prefix-url-lower", (url + "#" + b32).lower(), "MALFORMED"),
        ("not-base32", payload[:-4] + "0189", "MALFORMED"),
        ("padded", payload + "====", "MALFORMED"),
        ("trailing-garbage", text + "&utm_source=zalo", "MALFORMED"),
        ("version-zero-padded", url + "#DS01:" + b32, "MALFORMED"),
        ("version-2-not-base32", "DS2:AAAA0189", "MALFORMED"),
        ("version-2", url + "#DS2:" + b32, "UNSUPPORTED_VERSION"),
        ("version-9-lower", "ds9:aaaa", "UNSUPPORTED_VERSION"),
    ]
