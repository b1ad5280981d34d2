"""The rules of agencies and officer accounts (``domain/officers.py``), over
any text: each rule either keeps a value that meets it or refuses it with its
own code, never another exception."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain import officers as rules
from chalicelib.errors import BadRequest, ValidationFailed
from tests.support import T0

CODE_CHARS = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")


@given(st.text())
def test_an_agency_code_is_kept_exactly_or_refused_with_its_code(text: str) -> None:
    try:
        kept = rules.agency_code(text)
    except ValidationFailed as exc:
        assert exc.code == "INVALID_AGENCY_CODE"
        assert not rules.is_agency_code(text)
        return
    assert kept == text and rules.is_agency_code(text)
    assert 2 <= len(text) <= 64 and text.isascii() and text == text.upper()
    assert not text.startswith("-") and not text.endswith("-")


@given(st.text(CODE_CHARS, min_size=2, max_size=64))
def test_every_well_formed_code_is_an_agency_code(text: str) -> None:
    assert rules.is_agency_code(text) == (text[0] != "-" and text[-1] != "-")


@given(st.text(), st.integers(1, 300))
def test_a_name_is_clean_or_refused(text: str, limit: int) -> None:
    try:
        kept = rules.clean_name(text, "the name", limit)
    except ValidationFailed as exc:
        assert exc.code == "INVALID_NAME"
        return
    assert 1 <= len(kept) <= limit
    assert kept == unicodedata.normalize("NFC", kept) == kept.strip()
    assert "  " not in kept
    assert not any(unicodedata.category(c) in ("Cc", "Cs") for c in kept)
    assert rules.clean_name(kept, "the name", limit) == kept  # cleaning twice changes nothing


@given(st.text(st.characters(codec="utf-8", categories=["L", "M", "N"]), min_size=1, max_size=50))
def test_a_vietnamese_or_any_lettered_name_is_kept_in_nfc(text: str) -> None:
    kept = rules.clean_name(text, "the name", 200)
    assert kept == unicodedata.normalize("NFC", text)


@given(st.text())
def test_a_subject_is_kept_exactly_or_refused(text: str) -> None:
    try:
        kept = rules.subject(text)
    except ValidationFailed as exc:
        assert exc.code == "INVALID_SUBJECT" and not rules.is_subject(text)
        return
    assert kept == text and rules.is_subject(text)
    assert re.fullmatch(r"[!-~]{1,255}", text)


@given(st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=255))
def test_every_printable_ascii_subject_is_taken(text: str) -> None:
    assert rules.subject(text) == text


@given(st.text())
def test_an_email_is_trimmed_or_refused(text: str) -> None:
    try:
        kept = rules.email(text)
    except ValidationFailed as exc:
        assert exc.code == "INVALID_EMAIL"
        return
    assert kept == "" or (kept.count("@") == 1 and len(kept) <= rules.MAX_EMAIL)
    assert not any(c.isspace() for c in kept)


@given(st.emails())
def test_ordinary_addresses_are_taken(address: str) -> None:
    if len(address) <= rules.MAX_EMAIL and "." in address.split("@")[1]:
        assert rules.email(address) == address


@given(st.dictionaries(st.sampled_from(["subject", "name", "email", "x"]), st.from_type(object)))
def test_a_body_of_any_shape_is_read_or_refused_as_a_bad_request(body: dict[str, object]) -> None:
    try:
        new = rules.new_officer_body(body)
    except BadRequest:
        return
    assert isinstance(new.subject, str) and isinstance(new.name, str)
    assert isinstance(new.email, str)


def test_a_new_officer_is_active_and_checked_in_order() -> None:
    account = rules.new_officer("BV-01", "officer-demo", " Hoa ", "", T0)
    assert (account.status, account.name, account.created_at) == ("active", "Hoa", T0)
    with pytest.raises(ValidationFailed) as info:
        rules.new_officer("bad code", "bad subject", "", "x", T0)
    assert info.value.code == "INVALID_AGENCY_CODE"
    off = rules.disabled(account, T0)
    assert (off.status, off.disabled_at, rules.enabled(off)) == ("disabled", T0, account)
