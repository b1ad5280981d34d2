"""The forms the pages and ``POST /api/v1/verify`` read (``chalicelib.forms``).

A form a real encoder builds (urllib3's, as a browser would send it) comes
back field for field and file for file; no body, however broken, raises
anything but a ``DocsealError``; and the edges keep their codes and statuses:
``BAD_FORM`` 400, ``MISSING_FILE`` 400, ``FILE_TOO_LARGE`` 413.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest
from chalice.app import Request
from hypothesis import given, settings
from hypothesis import strategies as st
from urllib3 import encode_multipart_formdata

from chalicelib.errors import DocsealError
from chalicelib.forms import (
    FORM_OVERHEAD,
    MAX_FORM_FIELD,
    Form,
    parse_multipart,
    read_form,
    uploaded_file,
)

LIMIT = 4096
CT = "multipart/form-data; boundary=BB"


def request(body: bytes | str | None, content_type: str | None = CT) -> Request:
    """The request Chalice hands a view: bytes come base64-encoded, as API
    Gateway sends a binary type; a str body comes as it is."""
    return Request(
        {
            "multiValueQueryStringParameters": None,
            "headers": {} if content_type is None else {"content-type": content_type},
            "pathParameters": None,
            "requestContext": {"httpMethod": "POST", "resourcePath": "/"},
            "body": base64.b64encode(body).decode() if isinstance(body, bytes) else body,
            "isBase64Encoded": isinstance(body, bytes),
            "stageVariables": None,
        }
    )


def part(disposition: str, value: bytes, *headers: str) -> bytes:
    lines = [f"Content-Disposition: form-data; {disposition}", *headers]
    return (
        b"--BB\r\n" + "".join(f"{line}\r\n" for line in lines).encode() + b"\r\n" + value + b"\r\n"
    )


def body(*parts: bytes) -> bytes:
    return b"".join(parts) + b"--BB--\r\n"


def refused(read: Any, req: Request, limit: int = LIMIT) -> tuple[str, int]:
    with pytest.raises(DocsealError) as info:
        read(req, limit)
    return info.value.code, info.value.http_status


# What a browser can put in a name: it escapes '"', CR and LF itself (as %22,
# %0D, %0A, which the server never undoes), and the backslash is an escape.
NAMES = st.text(st.characters(codec="utf-8", exclude_characters='"\r\n\\'), max_size=24)
FILES = st.tuples(NAMES, st.binary(max_size=300))
PARTS = st.lists(st.tuples(NAMES, st.one_of(st.text(max_size=120), FILES)), max_size=8)


def encoded(parts: list[tuple[str, str | tuple[str, bytes]]]) -> tuple[bytes, str]:
    fields = [
        (name, value if isinstance(value, str) else (*value, "application/octet-stream"))
        for name, value in parts
    ]
    return encode_multipart_formdata(fields)


def expected(parts: list[tuple[str, str | tuple[str, bytes]]]) -> Form:
    """The first text part of each name, and the first file part of each name
    that carries a chosen file (a file input left empty has neither a file
    name nor bytes)."""
    fields: dict[str, str] = {}
    files: dict[str, bytes] = {}
    for name, value in parts:
        if isinstance(value, str):
            fields.setdefault(name, value[:MAX_FORM_FIELD])
        elif value[0].strip() or value[1]:
            files.setdefault(name, value[1])
    return Form(fields, files)


@settings(max_examples=300)
@given(PARTS)
def test_an_encoded_form_comes_back_as_it_was_sent(parts: Any) -> None:
    raw, content_type = encoded(parts)
    assert read_form(request(raw, content_type), LIMIT) == expected(parts)


@settings(max_examples=100)
@given(PARTS)
def test_an_upload_is_its_file_field_or_its_first_file(parts: Any) -> None:
    raw, content_type = encoded(parts)
    form = expected(parts)
    if not form.files:
        assert refused(uploaded_file, request(raw, content_type)) == ("MISSING_FILE", 400)
        return
    data, fields = uploaded_file(request(raw, content_type), LIMIT)
    assert data == (form.files.get("file") or next(iter(form.files.values())))
    assert fields == {k: v[:256] for k, v in form.fields.items()}


CONTENT_TYPES = st.one_of(
    st.sampled_from(
        [
            CT,
            'multipart/form-data; boundary="BB"',
            "multipart/form-data",
            "multipart/form-data; boundary=",
            "application/x-www-form-urlencoded",
            "image/png",
            "text/plain",
        ]
    ),
    st.text(max_size=80).map(lambda params: f"multipart/form-data; {params}"),
    st.text(max_size=40),
    st.none(),
)


def read_anyhow(raw: bytes | str, content_type: str | None) -> None:
    for read in (read_form, uploaded_file):
        try:
            read(request(raw, content_type), LIMIT)
        except DocsealError:
            pass


@settings(max_examples=400)
@given(st.one_of(st.binary(max_size=600), st.text(max_size=300)), CONTENT_TYPES)
def test_any_body_is_a_form_or_a_docseal_error(raw: bytes | str, content_type: str | None) -> None:
    read_anyhow(raw, content_type)


@settings(max_examples=400)
@given(
    PARTS,
    st.lists(
        st.tuples(st.integers(0, 10**6), st.sampled_from("ids"), st.binary(min_size=1, max_size=4)),
        min_size=1,
        max_size=4,
    ),
)
def test_a_damaged_form_is_a_form_or_a_docseal_error(parts: Any, edits: Any) -> None:
    raw, content_type = encoded(parts)
    damaged = bytearray(raw)
    for position, edit, chunk in edits:
        at = position % (len(damaged) + 1)
        if edit == "i":
            damaged[at:at] = chunk
        elif edit == "d":
            del damaged[at : at + len(chunk)]
        else:
            damaged[at : at + len(chunk)] = chunk
    read_anyhow(bytes(damaged), content_type)


@settings(max_examples=100)
@given(st.sampled_from(["a", "é", "€", "𝄞"]), st.integers(-8, 8), st.binary(max_size=12))
def test_a_long_field_reads_as_its_first_characters(char: str, shift: int, tail: bytes) -> None:
    # the parser keeps only 4 * MAX_FORM_FIELD bytes of a field: still every
    # character of the first MAX_FORM_FIELD, whatever bytes follow the cut
    value = (char * (4 * MAX_FORM_FIELD // len(char.encode()) + shift)).encode() + tail
    form = parse_multipart(body(part('name="q"', value)), CT, 10 * MAX_FORM_FIELD)
    assert form.fields["q"] == value.decode("utf-8", "replace")[:MAX_FORM_FIELD]


def test_the_size_limit_holds_while_parsing() -> None:
    # the parser refuses as the bytes arrive: the damaged end is never reached
    at_limit = part('name="file"; filename="a.png"', b"\0" * (LIMIT + FORM_OVERHEAD))
    assert parse_multipart(body(at_limit), CT, LIMIT).files["file"] == b"\0" * (
        LIMIT + FORM_OVERHEAD
    )
    over = part('name="file"; filename="a.png"', b"\0" * (LIMIT + FORM_OVERHEAD + 1))
    with pytest.raises(DocsealError) as info:
        parse_multipart(over + b"--BB\r\nbroken", CT, LIMIT)
    assert (info.value.code, info.value.http_status) == ("FILE_TOO_LARGE", 413)
    one_long_field = body(part('name="q"', b"x" * 100_000))  # only MAX_FORM_FIELD is kept
    assert parse_multipart(one_long_field, CT, 1_000_000).fields["q"] == "x" * MAX_FORM_FIELD
    with pytest.raises(DocsealError) as info:  # beyond what a form may carry beside a file
        parse_multipart(one_long_field, CT, 0)
    assert info.value.code == "FILE_TOO_LARGE"
    fields = b"".join(part(f'name="f{i}"', b"x" * 30_000) for i in range(4))
    with pytest.raises(DocsealError) as info:
        parse_multipart(body(fields), CT, 0)
    assert info.value.code == "FILE_TOO_LARGE"


def test_a_body_over_the_limit_is_refused_before_it_is_read() -> None:
    big = b"\0" * (LIMIT + FORM_OVERHEAD + 1)
    for content_type in (CT, "application/x-www-form-urlencoded", "text/plain"):
        assert refused(read_form, request(big, content_type)) == ("FILE_TOO_LARGE", 413)
    for content_type in (CT, "image/png"):
        assert refused(uploaded_file, request(big, content_type)) == ("FILE_TOO_LARGE", 413)
    raw = b"\x89PNG" + b"\0" * (LIMIT + FORM_OVERHEAD - 4)
    assert uploaded_file(request(raw, "image/png"), LIMIT) == (raw, {})


@pytest.mark.parametrize(
    ("raw", "content_type"),
    [
        (body(part('name="a"', b"v")), "multipart/form-data"),  # no boundary
        (body(part('name="a"', b"v")), "multipart/form-data; boundary="),
        (b"hello world", CT),
        (part('name="a"', b"v"), CT),  # no closing delimiter: cut short
        (body(part('name="a"', b"v")).replace(b"\r\n", b"\n"), CT),  # bare LF line ends
        (b"junk\r\n" + body(part('name="a"', b"v")), CT),  # a preamble
        (body(part('name="a"', b"v", "Bogus")), CT),  # a header line with no colon
        (body(part('name="a"', b"v")), "multipart/form-data; boundary=€"),
        (body(part('name="a"', b"v")), "text/plain"),
        (body(part('name="a"', b"v")), None),
        (b"a=\xff", "application/x-www-form-urlencoded"),
        ("&".join(f"k{i}=v" for i in range(33)).encode(), "application/x-www-form-urlencoded"),
    ],
)
def test_a_malformed_form_is_bad_form(raw: bytes, content_type: str | None) -> None:
    assert refused(read_form, request(raw, content_type)) == ("BAD_FORM", 400)


def test_what_a_browser_sends_at_the_edges() -> None:
    form = read_form(
        request(
            body(
                part('name="file"; filename=""', b"", "Content-Type: application/octet-stream"),
                part('name="card"; filename="card.png"', b""),
                part('name="scan"; filename="a.pdf"', b"%PDF-1"),
                part('name="scan"; filename="b.pdf"', b"%PDF-2"),
                part('name="tên"', "Nguyễn".encode()),
                part('name="holder_id"', b"001\xff"),
                part('name="holder_id"', b"second"),
                part("name=bare", b"unquoted"),
                part('name="nested"', b"--C--", "Content-Type: multipart/mixed; boundary=C"),
                part("", b"no name"),
            )
        ),
        LIMIT,
    )
    assert form.files == {"card": b"", "scan": b"%PDF-1"}  # the empty input is no file
    assert form.fields == {"tên": "Nguyễn", "holder_id": "001\ufffd", "bare": "unquoted"}
    assert read_form(request(b"", CT), LIMIT) == Form({}, {})
    assert read_form(request(None, CT), LIMIT) == Form({}, {})
    assert read_form(request(b"--BB--\r\n", CT), LIMIT) == Form({}, {})


def test_an_upload_without_a_file_is_missing_file() -> None:
    only_text = request(body(part("name=other", b"v")), CT)
    assert refused(uploaded_file, only_text) == ("MISSING_FILE", 400)
    empty_input = request(body(part('name="file"; filename=""', b"")), CT)
    assert refused(uploaded_file, empty_input) == ("MISSING_FILE", 400)
    two = body(
        part('name="photo"; filename="a.jpg"', b"first"),
        part('name="file"; filename="b.jpg"', b"chosen"),
        part('name="note"', b"x" * 300),
    )
    assert uploaded_file(request(two, CT), LIMIT) == (b"chosen", {"note": "x" * 256})


def test_an_urlencoded_form_reads_as_it_always_did() -> None:
    raw = b"a=1&a=2&blank=&q=DS1%3AA+B&t%C3%AAn=Nguy%E1%BB%85n"
    form = read_form(request(raw, "application/x-www-form-urlencoded; charset=utf-8"), LIMIT)
    assert form == Form({"a": "2", "q": "DS1:A B", "tên": "Nguyễn"}, {})  # the last wins
    long = b"q=" + b"x" * (MAX_FORM_FIELD + 10)
    assert read_form(request(long, "application/x-www-form-urlencoded"), LIMIT).fields == {
        "q": "x" * MAX_FORM_FIELD
    }
    text = request("qr_text=DS1%3AAAAA", "application/x-www-form-urlencoded")  # a str body
    assert read_form(text, LIMIT).fields == {"qr_text": "DS1:AAAA"}


def test_a_form_field_is_never_cut_into_a_shorter_readable_text() -> None:
    """The desk's text box reads as the API does: a field is kept whole up
    to one character past the longest text the reading accepts."""
    from chalicelib.domain import qrtext

    assert MAX_FORM_FIELD == qrtext.MAX_INPUT_CHARS + 1
