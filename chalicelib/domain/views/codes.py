"""The QR codes found in a file, as ``docseal decode`` prints them."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.intake import ScanResult


def decoded_view(scan: ScanResult) -> dict[str, Any]:
    """What ``docseal decode`` prints for one file: ``texts``, the text a
    standard reader shows for every code (ECI honoured, the charset
    recognised); ``codes``, each code's ``page`` (0: an image), ``text`` and
    exact bytes as ``hex``; ``binary_hex``, the bytes of the codes that are
    not UTF-8 (kept from earlier versions); ``notes`` about the file."""
    texts = [
        code.text if code.text is not None else code.data.decode("latin-1") for code in scan.codes
    ]
    out: dict[str, Any] = {
        "texts": texts,
        "codes": [
            {"page": code.page, "text": text, "hex": code.data.hex()}
            for code, text in zip(scan.codes, texts, strict=True)
        ],
    }
    binary = [code.data.hex() for code in scan.codes if not _is_utf8(code.data)]
    if binary:
        out["binary_hex"] = binary
    if scan.notes:
        out["notes"] = list(scan.notes)
    return out


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
