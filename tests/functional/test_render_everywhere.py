"""Every valid document renders everywhere (issue 11 part 2): documents of
every type, issued through the API with arbitrary valid values (any Unicode
text within the limits, markup, right-to-left text, combining marks, values
that look like dates or times, dates at the edges of the calendar), are
driven through the API verdict, the desk page, the share page, the receipt
PDF and the result PDF. No surface answers 5xx, and each shows every value
as given: a text field exactly as signed, a date field as dd/mm/yyyy, by the
field's declared kind and never by the value's shape.

The result PDF is read back as an officer's upload is, with pypdfium2. A value
is looked for there when pypdfium2 can give it back in logical order: every
character has a glyph in the embedded DejaVu fonts (fpdf2 draws nothing for
one that has none, such as CJK or emoji), none is right-to-left, and it is
not made of zero-width glyphs only."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from typing import Any

import pypdfium2 as pdfium
import pytest
from fontTools.ttLib import TTFont
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from chalicelib.adapters.pdf_render import FONT_DIR
from chalicelib.domain import display
from chalicelib.domain.catalogue import SEED, DocType
from tests.functional.conftest import World
from tests.functional.pages import desk_check, form_ticket, post_form
from tests.support import BIRTH_FIELDS, HOLDER_ID

from .test_api import error_code, post
from .test_links import citizen, path_of
from .test_share_disclosure import ALL_TYPES, every_type_issuer

# Values an issuer may sign in a text field that a shape-guessing page would
# misread as dates, times or markup (the issue's list first).
LOOKS_LIKE_DATES = (
    "2026-13-45",
    "T00:00:00Z",
    "--",
    "0000-00-00",
    "2025-03-20",
    "12:00",
    "2026-11-01T08:00:00Z",
    "20/03/2025",
    "A-12-34-56",
    "Nguyễn Thị Thu Hà 12Z",  # 20 characters ending in Z
    "9999-12-31T23:59:59Z",
)
AWKWARD = (
    "<script>alert(1)</script>",
    "</dd><b>x</b>",
    "&amp; &lt; \"quoted\" 'single'",
    "{{ 7*7 }} {% raw %}",
    "Nguye\u0302\u0303n",  # decomposed: issued as its NFC form
    "\u0301\u0302 dấu rời",
    "مرحبا بالعالم",
    "שלום עולם",
    "\u202eabc\u202c",
    "👨\u200d👩\u200d👧 🇻🇳",
    "a\u200bb\u2028c",
    "Ａ１　全角",
)
VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợ"
    "ùủũúụừửữứựỳỷỹýỵ ĐƯƠ0123456789,./-"
)
# UTF-8 bytes of field values per document: with the holder, the header and a
# signature this stays well inside what one QR code holds.
BUDGET = 1600
MAX_VALUE = 512


def clean(value: str) -> str:
    """What issuance signs of a text value."""
    return unicodedata.normalize("NFC", value).strip()


def issuable(value: str) -> bool:
    """What issuance takes: 1 to 512 characters, something visible among them."""
    text = clean(value)
    visible = any(unicodedata.category(c) not in ("Cf", "Zs", "Zl", "Zp") for c in text)
    return 0 < len(text) <= MAX_VALUE and visible


def text_values(room: int) -> st.SearchStrategy[str]:
    """Text within ``room`` UTF-8 bytes: arbitrary, shaped, or both mixed."""
    arbitrary = st.text(
        st.characters(blacklist_categories=("Cc", "Cs")),
        min_size=1,
        max_size=max(1, min(MAX_VALUE, room // 4)),
    )
    prose = st.text(st.sampled_from(VIETNAMESE), min_size=1, max_size=max(1, room // 3))
    shaped = st.sampled_from(LOOKS_LIKE_DATES + AWKWARD)
    mixed = st.lists(st.one_of(shaped, arbitrary), min_size=2, max_size=3).map(" ".join)
    return st.one_of(shaped, arbitrary, prose, mixed).filter(issuable)


def date_values() -> st.SearchStrategy[str]:
    """Any calendar date, year 1 to 9999, edges included."""
    edges = st.sampled_from([dt.date.min, dt.date.max, dt.date(2024, 2, 29), dt.date(999, 12, 31)])
    return st.one_of(edges, st.dates()).map(lambda d: d.isoformat())


def draw_fields(data: Any, doc_type: DocType) -> dict[str, str]:
    fields: dict[str, str] = {}
    room = BUDGET
    for spec in doc_type.fields:
        if not spec.required and not data.draw(st.booleans(), label=f"{spec.code}?"):
            continue
        if spec.kind == "date":
            value = data.draw(date_values(), label=spec.code)
        elif spec.kind == "number":
            value = data.draw(st.from_regex(r"[0-9]{1,20}", fullmatch=True), label=spec.code)
        else:
            value = data.draw(text_values(room), label=spec.code)
        fields[spec.code] = value
        room = max(0, room - len(clean(value).encode()))
    return fields


def shown(doc_type: DocType, code: str, value: str) -> str:
    """How a reader sees ``value``: a date dd/mm/yyyy, anything else as signed."""
    spec = doc_type.field(code)
    assert spec is not None
    if spec.kind == "date":
        y, m, d = value.split("-")
        assert len(y) == 4
        return f"{d}/{m}/{y}"
    return clean(value)


def issue_api(world: World, doc_type: DocType, fields: dict[str, str]) -> Any:
    body = {
        "type": doc_type.code,
        "holder": {
            "id_number": HOLDER_ID,
            "full_name": "Nguyễn Thị Hồng Nhung",
            "dob": "2025-03-14",
        },
        "fields": fields,
    }
    return post(world, "/api/v1/documents", body, world.auth("issuer", ALL_TYPES))


@functools.cache
def advances() -> dict[int, int]:
    """Code point -> advance width, for those both embedded DejaVu faces draw."""
    widths = []
    for face in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        font = TTFont(FONT_DIR / face)
        hmtx = font["hmtx"]
        widths.append({cp: hmtx[glyph][0] for cp, glyph in font.getBestCmap().items()})
    regular, bold = widths
    return {cp: width for cp, width in regular.items() if cp in bold}


def readable_in_pdf(value: str) -> bool:
    """Whether pypdfium2 can give ``value`` back from the PDF in logical order:
    every character has a glyph, none is right-to-left (drawn, and so
    extracted, in visual order), and something has width. A value of zero-width
    glyphs only is drawn on a dotted circle (see the 512 combining marks test);
    a character with no glyph is drawn as U+FFFD with a note
    (test_receipt_pdf.test_result_pdf_never_drops_a_value_silently)."""
    widths = advances()
    if any(ord(c) not in widths for c in value):
        return False
    if any(unicodedata.category(c) == "Cf" for c in value):
        return False  # format characters (a soft hyphen, joiners) are not drawn
    if any(unicodedata.bidirectional(c) in ("R", "AL", "AN", "RLE", "RLO", "RLI") for c in value):
        return False
    return any(widths[ord(c)] > 0 for c in value if not c.isspace())


def as_extracted(value: str) -> str:
    """``value`` as pypdfium2 extracts it: compatibility forms (ligatures such as
    U+FB01) expanded, a zero-width glyph drawn again where an identical one
    already is given once, and no whitespace (lines are broken where they wrap)."""
    widths = advances()
    kept: list[str] = []
    stacked: set[str] = set()
    for c in value:
        if widths.get(ord(c), 1) == 0:
            if c in stacked:
                continue
            stacked.add(c)
        else:
            stacked = set()
        kept.append(c)
    return squeezed("".join(kept))


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def pdf_text(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    return "".join(page.get_textpage().get_text_range() for page in pdf)


def assert_fields_on_page(page: str, expected: dict[str, str], where: str) -> None:
    for code, value in expected.items():
        assert f'<dd class="field">{escape(value)}</dd>' in page, f"{where}: {code}={value!r}"


def assert_renders_everywhere(world: World, doc_type: DocType, fields: dict[str, str]) -> None:
    """Issue ``fields`` through the API and require every surface to show them."""
    issued = issue_api(world, doc_type, fields)
    assert issued.status_code == 201, issued.body
    assert_shown_everywhere(world, doc_type, fields, issued.json_body)


def assert_shown_everywhere(
    world: World, doc_type: DocType, fields: dict[str, str], doc: dict[str, Any]
) -> None:
    """Every surface shows the issued document ``doc`` with ``fields`` as given."""
    signed = {code: clean(value) for code, value in fields.items()}
    expected = {code: shown(doc_type, code, value) for code, value in fields.items()}

    # 1. The API verdict gives back every value as signed.
    verdict = post(world, "/api/v1/verify", {"qr_text": doc["qr_text"]})
    assert verdict.status_code == 200, verdict.body
    assert verdict.json_body["verdict"] == "VALID", verdict.json_body["reasons"]
    given_back = {f["code"]: f["value"] for f in verdict.json_body["document"]["fields"]}
    assert given_back == signed

    # 2. The desk page, the QR text pasted.
    desk = desk_check(world, doc["qr_text"])
    assert 'data-state="valid"' in desk
    assert_fields_on_page(desk, expected, "desk page")

    # 3. The share page of a link disclosing every field.
    link = post(
        world,
        f"/api/v1/me/documents/{doc['id']}/links",
        {"disclose": sorted(fields)},
        {"Authorization": f"Bearer {citizen(world)}"},
    )
    assert link.status_code == 201, link.body
    share = world.client.http.get(path_of(link.json_body["url"]))
    assert share.status_code == 200, share.body[-500:]
    assert_fields_on_page(share.body.decode(), expected, "share page")

    # 4. The receipt PDF, from the desk page's receipt form (a receipt records
    # the verdict, not the values: it must only be made).
    ticket = form_ticket(desk, "/receipt")
    receipt = post_form(world, "/receipt", {"ticket": ticket, "format": "pdf", "lang": "vi"})
    assert receipt.status_code == 200, receipt.body[-500:]
    assert receipt.body.startswith(b"%PDF")

    # 5. The result PDF, as the issuer downloads it.
    result = world.client.http.get(
        f"/api/v1/documents/{doc['id']}/result.pdf",
        headers={**world.auth("issuer", ALL_TYPES), "Accept": "application/pdf"},
    )
    assert result.status_code == 200, result.body[-500:]
    assert result.body.startswith(b"%PDF")
    text = squeezed(pdf_text(result.body))
    for code, value in expected.items():
        if readable_in_pdf(value):
            assert as_extracted(value) in text, f"result PDF: {code}={value!r}"


@pytest.mark.parametrize("world", ["local"], indirect=True)
@settings(
    max_examples=35,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_valid_document_renders_everywhere(world: World, data: Any) -> None:
    every_type_issuer(world)
    world.clock.advance(minutes=1)  # a fresh rate-limit window for each example
    doc_type = data.draw(st.sampled_from(SEED), label="type")
    fields = draw_fields(data, doc_type)
    issued = issue_api(world, doc_type, fields)
    if issued.status_code == 422 and error_code(issued) == "DOCUMENT_TOO_LARGE":
        event("too large for a QR code")
        assume(False)
    assert issued.status_code == 201, issued.body
    unread = [c for c, v in fields.items() if not readable_in_pdf(shown(doc_type, c, v))]
    event(f"values not read back from the result PDF: {len(unread)}")
    assert_shown_everywhere(world, doc_type, fields, issued.json_body)


BIRTH = next(t for t in SEED if t.code == "birth-registration")


@pytest.mark.parametrize("world", ["local"], indirect=True)
def test_a_value_of_512_combining_marks_renders_everywhere(world: World) -> None:
    """Issuance takes 512 combining marks (printable, no control character);
    the verdict and both pages show them, and the result PDF draws them on a
    dotted circle (U+25CC), as marks in isolation are shown."""
    every_type_issuer(world)
    fields = {**BIRTH_FIELDS, "registration_no": "\u0301" * 512}
    issued = issue_api(world, BIRTH, fields)
    assert issued.status_code == 201, issued.body
    assert_shown_everywhere(world, BIRTH, fields, issued.json_body)
    r = world.client.http.get(
        issued.json_body["pdf_url"],
        headers={**world.auth("issuer", ALL_TYPES), "Accept": "application/pdf"},
    )
    assert r.status_code == 200 and "\u25cc\u0301" in pdf_text(r.body)


@pytest.mark.parametrize("world", ["local"], indirect=True)
def test_a_value_of_513_characters_is_refused(world: World) -> None:
    every_type_issuer(world)
    r = issue_api(world, BIRTH, {**BIRTH_FIELDS, "registration_no": "\u0301" * 513})
    assert r.status_code == 422 and error_code(r) == "INVALID_FIELD_VALUE"


@pytest.mark.parametrize("world", ["local"], indirect=True)
@pytest.mark.parametrize("value", ["2026-13-45", "T00:00:00Z", "--", "0000-00-00"])
def test_a_text_field_that_looks_like_a_date_renders_as_given(world: World, value: str) -> None:
    every_type_issuer(world)
    assert_renders_everywhere(world, BIRTH, {**BIRTH_FIELDS, "registration_no": value})


@pytest.mark.parametrize("world", ["local"], indirect=True)
@pytest.mark.parametrize("value", ["2026-13-45", "T00:00:00Z", "--", "0000-00-00"])
def test_a_date_field_takes_only_calendar_dates(world: World, value: str) -> None:
    every_type_issuer(world)
    r = issue_api(world, BIRTH, {**BIRTH_FIELDS, "registration_date": value})
    assert r.status_code == 422 and error_code(r) == "INVALID_FIELD_VALUE"


@pytest.mark.parametrize("world", ["local"], indirect=True)
@pytest.mark.parametrize(
    ("value", "reads"), [("0001-01-01", "01/01/0001"), ("9999-12-31", "31/12/9999")]
)
def test_dates_at_the_edges_of_the_calendar(world: World, value: str, reads: str) -> None:
    every_type_issuer(world)
    assert display.show("date", value, "vi") == reads
    assert_renders_everywhere(world, BIRTH, {**BIRTH_FIELDS, "registration_date": value})


@pytest.mark.parametrize("world", ["local"], indirect=True)
@pytest.mark.parametrize("value", ["\xad", "\u200d\u200b", "\u2028", "\u202e \u200e"])
def test_a_value_nobody_can_see_is_refused(world: World, value: str) -> None:
    """A soft hyphen, joiners, separators or direction marks alone show
    nothing on any page or print: issuance refuses them."""
    every_type_issuer(world)
    r = issue_api(world, BIRTH, {**BIRTH_FIELDS, "registration_no": value})
    assert r.status_code == 422 and error_code(r) == "INVALID_FIELD_VALUE"
