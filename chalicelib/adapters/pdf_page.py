"""The page a result PDF draws, read from the view the service gives.

``read_view`` turns the plain mapping of ``services.documents.print_view``
(``title_vi``, ``title_en``, ``issuer``, ``rows``, ``verify_url``, ``created``,
``one_page``) into typed rows, every string put in NFC (the PDF fonts are used
without text shaping, which draws the combining marks of decomposed text
badly). A view of the wrong shape raises ``ValueError``: it is a defect of the
caller, never user input.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import unicodedata
from collections.abc import Mapping, Sequence


@dataclasses.dataclass(frozen=True)
class PrintRow:
    label_vi: str
    label_en: str
    lines: tuple[tuple[str, str], ...]  # (Vietnamese, English or "")
    strong: bool = False  # the value in bold


@dataclasses.dataclass(frozen=True)
class PrintPage:
    title_vi: str
    title_en: str
    issuer: str
    rows: tuple[PrintRow, ...]
    verify_url: str
    created: dt.datetime | None
    one_page: bool


def read_view(view: Mapping[str, object]) -> PrintPage:
    rows = view.get("rows")
    if not isinstance(rows, Sequence):
        raise ValueError("view['rows'] must be a list of rows")
    created = view.get("created")
    return PrintPage(
        title_vi=printable_text(view.get("title_vi")),
        title_en=printable_text(view.get("title_en")),
        issuer=printable_text(view.get("issuer")),
        rows=tuple(read_row(row) for row in rows),
        verify_url=printable_text(view.get("verify_url")),
        created=created if isinstance(created, dt.datetime) else None,
        one_page=bool(view.get("one_page")),
    )


def read_row(row: object) -> PrintRow:
    if not isinstance(row, Mapping):
        raise ValueError("each row must be a mapping")
    lines = row.get("lines") or ()
    if not isinstance(lines, Sequence):
        raise ValueError("a row's lines must be a list")
    pairs = []
    for line in lines:
        vi, en = line
        pairs.append((printable_text(vi), printable_text(en)))
    return PrintRow(
        printable_text(row.get("label_vi")),
        printable_text(row.get("label_en")),
        tuple(pairs),
        bool(row.get("strong")),
    )


def printable_text(value: object) -> str:
    return unicodedata.normalize("NFC", "" if value is None else str(value))
