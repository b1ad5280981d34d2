"""A share link discloses only what the citizen chose, tested as an attacker
would: for random documents of every type and random subsets of disclosed
fields, fetch every page, form target, download and redirect reachable from
the link, decode each answer every way a browser or curl could (HTML
entities, percent-encoding, Base64 and Base32 runs, zlib streams of PDFs, the
QR codes drawn in them) and require that no undisclosed value, no 12-digit ID
number and no ``DS1:`` text appears anywhere."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import html
import re
import zlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.domain.catalogue import SEED, DocType
from chalicelib.services.issuing import IssueRequest
from tests.functional.conftest import OPERATOR, World
from tests.functional.pages import FORM, post_form
from tests.support import HOLDER_ID

from .test_links import citizen

ALL_TYPES = "ISSUER-ALL"
_FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.DOTALL)
_ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')
_INPUT = re.compile(r"<(?:input|button)\b[^>]*>")


def every_type_issuer(world: World) -> None:
    c = world.container
    if c.storage.issuers.get_issuer(ALL_TYPES) is None:
        c.issuers.add_issuer(
            ALL_TYPES, "Sở Tư pháp thử", "Test", [t.code for t in SEED], "", actor=OPERATOR
        )
        c.keyring.create_key(ALL_TYPES, actor=OPERATOR)


def issue_doc(world: World, doc_type: DocType, fields: dict[str, str]) -> str:
    issued = world.container.issuing.issue(
        IssueRequest(
            issuer=ALL_TYPES,
            type=doc_type.code,
            holder_id=HOLDER_ID,
            holder_name="Nguyễn Thị Hồng Nhung",
            holder_dob=dt.date(2025, 3, 14),
            fields=fields,
        ),
        actor="issuer:clerk",
    )
    return issued.id


def marker_value(doc_type: DocType, code: str, marker: str, i: int) -> str:
    """A value found nowhere else: a marked text, or a date of its own."""
    spec = doc_type.field(code)
    assert spec is not None
    if spec.kind == "date":
        return f"{2010 + i:04d}-{1 + i % 9:02d}-{10 + i:02d}"
    return f"giá trị {marker}{i} của {code}"


def forms_of(doc_type: DocType, code: str, value: str) -> list[str]:
    """How a value can appear: as signed, and a date also as shown."""
    spec = doc_type.field(code)
    if spec is not None and spec.kind == "date":
        y, m, d = value.split("-")
        return [value, f"{d}/{m}/{y}"]
    return [value]


def assert_receipt_codes_disclose_nothing(world: World, pdf: bytes, hidden: list[str]) -> None:
    """The QR code drawn in a receipt is a docseal code of its own: decode it
    and require that what it signs is a receipt holding nothing hidden."""
    codes = [c.text for c in world.container.scanner.scan(pdf).codes if c.text]
    assert codes, "the receipt's QR code is on its page"
    for text in codes:
        checked = world.container.verifier.verify(text)
        assert checked.document is not None and checked.document.type == "verification-receipt"
        signed = repr(checked.document)
        for value in hidden:
            assert value not in signed
        assert not re.search(r"(?<!\d)\d{12}(?!\d)", signed)


def _pdf_string(match: re.Match[str]) -> str:
    """A PDF hex string (ISO 32000-1 §7.3.4.3), decoded: UTF-16BE after a BOM."""
    raw = bytes.fromhex(match.group(1) + "0" * (len(match.group(1)) % 2))
    return (
        raw[2:].decode("utf-16-be", "replace") if raw[:2] == b"\xfe\xff" else raw.decode("latin-1")
    )


def variants(body: bytes) -> Iterator[str]:
    """An answer as text, and every decoding of it that could reveal something.
    A PDF's hex strings are read as the text they encode (their hex digits
    are an encoding, not numbers)."""
    text = body.decode("utf-8", "replace")
    if body.startswith(b"%PDF"):
        text = re.sub(r"<([0-9A-Fa-f]{4,})>", _pdf_string, text)
    yield text
    yield html.unescape(text)
    yield unquote(unquote(html.unescape(text)))
    for run in re.findall(rb"[A-Za-z0-9+/_-]{16,}={0,2}", body):
        for decode in (base64.b64decode, base64.urlsafe_b64decode):
            try:
                yield decode(run + b"=" * (-len(run) % 4)).decode("utf-8", "replace")
            except (binascii.Error, ValueError):
                pass
    for run in re.findall(rb"[A-Z2-7]{16,}", body):
        try:
            raw = base64.b32decode(run + b"=" * (-len(run) % 8))
        except binascii.Error:
            continue
        yield raw.decode("utf-8", "replace")
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", body, re.DOTALL):
        try:
            yield zlib.decompress(stream).decode("latin-1")
        except zlib.error:
            pass


def assert_discloses_nothing(body: bytes, hidden: list[str], where: str) -> None:
    for text in variants(body):
        for value in hidden:
            assert value not in text, f"{where} discloses an undisclosed field"
        assert not re.search(r"(?<!\d)\d{12}(?!\d)", text), f"{where} shows a 12-digit number"
        assert "DS1:" not in text.upper(), f"{where} carries a docseal QR text"


def reachable(world: World, token: str, holder: str) -> Iterator[tuple[str, Any]]:
    """Every answer a browser could reach from the link: the page in both
    languages, each form on each page submitted (with a number typed, and
    with each of its buttons), redirects followed, and downloads."""
    http = world.client.http
    seen: set[str] = set()
    queue: list[tuple[str, str, dict[str, str]]] = [
        ("GET", f"/s/{token}", {}),
        ("GET", f"/s/{token}?lang=en", {}),
        ("POST", f"/s/{token}", {"holder_id": holder, "lang": "vi"}),
        ("POST", f"/s/{token}", {"holder_id": "079203001234", "lang": "en"}),
    ]
    while queue and len(seen) < 40:
        method, path, fields = queue.pop(0)
        key = f"{method} {path} {sorted(fields.items())}"
        if key in seen:
            continue
        seen.add(key)
        if method == "GET":
            r = http.get(path)
        else:
            r = http.post(path, body=urlencode(fields), headers=FORM)
        yield key, r
        if r.status_code in (301, 302, 303, 307, 308):
            queue.append(("GET", r.headers["Location"], {}))
        if not r.headers.get("Content-Type", "").startswith("text/html"):
            continue
        page = r.body.decode()
        for form in _FORM.findall(page):
            attrs = dict(_ATTR.findall(form[: form.index(">")]))
            action = html.unescape(attrs.get("action", path))
            if not action.startswith(("/s/", "/receipt", "/")) or action.startswith("/signout"):
                continue
            hidden: dict[str, str] = {}
            buttons: list[tuple[str, str]] = []
            for tag in _INPUT.findall(form):
                a = dict(_ATTR.findall(tag))
                if tag.startswith("<button") and "name" in a:
                    buttons.append((a["name"], a.get("value", "")))
                elif a.get("type") == "hidden" and "name" in a:
                    hidden[a["name"]] = html.unescape(a.get("value", ""))
            for extra in buttons or [("", "")]:
                chosen = {**hidden, **({extra[0]: extra[1]} if extra[0] else {})}
                queue.append(("POST", action, chosen))
                if "holder_id" in form:
                    queue.append(("POST", action, {**chosen, "holder_id": holder}))


@pytest.mark.parametrize("world", ["local"], indirect=True)
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_nothing_undisclosed_is_reachable_from_a_link(world: World, data: Any) -> None:
    every_type_issuer(world)
    world.clock.advance(minutes=1)  # a fresh rate-limit window for each example
    doc_type = data.draw(st.sampled_from(SEED), label="type")
    codes = [f.code for f in doc_type.fields]
    optional = [f.code for f in doc_type.fields if not f.required]
    present = [f.code for f in doc_type.fields if f.required]
    if optional:
        present += data.draw(st.lists(st.sampled_from(optional), unique=True), label="optional")
    marker = data.draw(st.from_regex(r"[A-Z]{3}[0-9]{3}", fullmatch=True), label="marker")
    fields = {code: marker_value(doc_type, code, marker, i) for i, code in enumerate(codes)}
    fields = {code: value for code, value in fields.items() if code in present}
    doc_id = issue_doc(world, doc_type, fields)
    disclose = data.draw(st.lists(st.sampled_from(sorted(fields)), unique=True), label="disclose")
    r = world.client.http.post(
        f"/api/v1/me/documents/{doc_id}/links",
        body=__import__("json").dumps({"disclose": disclose}),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {citizen(world)}"},
    )
    assert r.status_code == 201, r.body
    token = r.json_body["url"].rsplit("/", 1)[1]
    hidden = [f for c, v in fields.items() if c not in disclose for f in forms_of(doc_type, c, v)]
    shown = [forms_of(doc_type, c, v)[-1] for c, v in fields.items() if c in disclose]
    answers = list(reachable(world, token, HOLDER_ID))
    kinds = {a[0].split(" ")[1].split("?")[0] for a in answers}
    assert {f"/s/{token}", "/receipt"} <= kinds  # the page and its receipt were reached
    for where, answer in answers:
        assert answer.status_code < 500, where
        assert_discloses_nothing(answer.body, hidden, where)
    first = answers[0][1].body.decode()
    for value in shown:
        assert html.escape(value, quote=False) in first  # what was chosen is shown
    receipts = [a for w, a in answers if w.startswith("POST /receipt")]
    assert receipts and all(a.body.startswith(b"%PDF") for a in receipts)
    assert all(a.status_code == 200 for a in receipts)
    assert_receipt_codes_disclose_nothing(world, receipts[0].body, hidden)


@pytest.mark.parametrize("world", ["local"], indirect=True)
def test_a_share_receipt_names_the_holder_masked_and_verifies(world: World) -> None:
    """The receipt of a share view is a docseal result of its own: it verifies,
    and its signed content holds only the masked ID number."""
    from tests.functional.pages import form_ticket

    from .test_api import issue

    doc = issue(world)
    url = world.client.http.post(
        f"/api/v1/me/documents/{doc['id']}/links",
        body='{"disclose": ["birth_place"]}',
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {citizen(world)}"},
    ).json_body["url"]
    page = post_form(world, url.split("vn", 1)[1], {"holder_id": HOLDER_ID}).body.decode()
    assert 'data-state="valid"' in page and "KHỚP" in page
    ticket = form_ticket(page, "/receipt")
    refused = post_form(world, "/receipt", {"ticket": ticket, "format": "json"})
    assert refused.body.startswith(b"%PDF")  # a share view's receipt is a PDF, never its QR text
    receipt = world.container.receipts.issue(
        world.container.links.revisit(
            world.container.tickets.open(ticket, "share")["l"], HOLDER_ID
        ).verdict,
        masked=True,
    )
    checked = world.container.verifier.verify(receipt)
    assert checked.verdict == "VALID" and checked.document is not None
    assert checked.document.holder.id_number == "**********45"
    assert dict(checked.document.fields)["holder_match"] == "MATCH"


@pytest.mark.parametrize("world", ["local"], indirect=True)
def test_a_share_page_ignores_what_it_did_not_issue(world: World) -> None:
    """A QR text or a receipt posted to a share page shows nothing of them;
    a ticket of another link or of the desk is refused."""
    from tests.functional.pages import desk_check, form_ticket

    from .test_api import issue

    doc = issue(world)
    other = issue(world, fields={**dict(doc_fields()), "registration_no": "XYZ-OTHER-1"})
    links = [
        world.client.http.post(
            f"/api/v1/me/documents/{d['id']}/links",
            body='{"disclose": ["birth_place"]}',
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {citizen(world)}",
            },
        ).json_body["url"]
        for d in (doc, other)
    ]
    path = links[0].split("vn", 1)[1]
    page = post_form(world, path, {"qr_text": other["qr_text"], "receipt": other["qr_text"]})
    assert page.status_code == 200 and "XYZ-OTHER-1" not in page.body.decode()
    assert_discloses_nothing(page.body, ["XYZ-OTHER-1", "125/2025"], "share page")
    foreign = form_ticket(
        post_form(world, links[1].split("vn", 1)[1], {"holder_id": HOLDER_ID}).body.decode(),
        "/receipt",
    )
    desk = form_ticket(desk_check(world, other["qr_text"]), "/receipt")
    for ticket in (foreign, desk, "not-a-ticket"):
        r = post_form(world, path, {"ticket": ticket})
        assert r.status_code == 400 and b"TICKET_INVALID" in r.body
        assert_discloses_nothing(r.body, ["XYZ-OTHER-1", "125/2025"], "refusal")
    # the share page's own ticket cannot open the desk's receipt of the document either
    own = form_ticket(post_form(world, path, {"holder_id": HOLDER_ID}).body.decode(), "/receipt")
    r = post_form(world, "/", {"ticket": own})
    assert r.status_code == 400 and b"TICKET_INVALID" in r.body


def doc_fields() -> dict[str, str]:
    from tests.support import BIRTH_FIELDS

    return dict(BIRTH_FIELDS)
