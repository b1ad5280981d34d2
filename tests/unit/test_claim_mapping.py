"""How a provider's claims become a principal (domain/claim_mapping.py), and
where a page may send the reader after signing in (domain/navigation.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.claim_mapping import (
    DEFAULT_MAPPING,
    SigninRefused,
    parse_mapping,
    principal_from_claims,
)
from chalicelib.domain.idnumber import PROVINCE_CODES
from chalicelib.domain.navigation import safe_next
from chalicelib.errors import DocsealError, ErrorCode

valid_numbers = st.builds(
    lambda p, rest: p + rest,
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.text("0123456789", min_size=9, max_size=9),
)


@given(valid_numbers)
def test_a_subject_of_12_valid_digits_is_that_citizen(number: str) -> None:
    p = principal_from_claims({"sub": number}, DEFAULT_MAPPING)
    assert (p.role, p.holder_id, p.subject) == ("citizen", number, number)


@given(st.text(max_size=20).filter(lambda s: not (len(s) == 12 and s.isascii() and s.isdigit())))
def test_anything_but_12_digits_is_refused_never_half_signed_in(text: str) -> None:
    with pytest.raises(SigninRefused) as caught:
        principal_from_claims(
            {"sub": text or "x", "personal_id": text},
            parse_mapping('{"citizen": {"id_claim": "personal_id"}}'),
        )
    assert caught.value.code == ErrorCode.SIGNIN_REFUSED and caught.value.http_status == 403


def test_eleven_digits_and_an_unknown_province_are_refused() -> None:
    for number in ("00132501234", "999325012345", "００１３２５０１２３４５"):
        with pytest.raises(SigninRefused):
            principal_from_claims({"sub": number}, DEFAULT_MAPPING)


@given(st.lists(st.text(max_size=12), max_size=4), valid_numbers)
def test_an_officer_is_recognised_by_group_with_the_agency_claim(
    others: list[str], number: str
) -> None:
    claims = {"sub": number, "groups": [*others, "docseal-officer"], "agency": "TH-DV",
              "agency_name": "Trường TH Dịch Vọng"}  # fmt: skip
    p = principal_from_claims(claims, DEFAULT_MAPPING)
    assert (p.role, p.agency, p.agency_name, p.holder_id) == (
        "verifier", "TH-DV", "Trường TH Dịch Vọng", None,
    )  # fmt: skip


def test_an_officer_without_an_agency_is_refused() -> None:
    with pytest.raises(SigninRefused):
        principal_from_claims({"sub": "o", "groups": ["docseal-officer"]}, DEFAULT_MAPPING)


def test_an_administrator_by_group_or_by_a_configured_role_claim() -> None:
    assert (
        principal_from_claims({"sub": "a", "groups": "docseal-admin"}, DEFAULT_MAPPING).role
        == "admin"
    )
    keycloak = parse_mapping(
        '{"admin": {"claim": "realm_access.roles", "value": "admin"},'
        ' "officer": {"claim": "realm_access.roles", "value": "officer",'
        ' "agency_claim": "org.code"},'
        ' "citizen": {"id_claim": "cccd"}}'
    )
    nested = {"sub": "k", "realm_access": {"roles": ["admin"]}}
    assert principal_from_claims(nested, keycloak).role == "admin"
    officer = {"sub": "o", "realm_access": {"roles": ["officer"]}, "org": {"code": "BV-01"}}
    assert principal_from_claims(officer, keycloak).agency == "BV-01"
    citizen = {"sub": "opaque-uuid", "cccd": "001325012345"}
    assert principal_from_claims(citizen, keycloak).holder_id == "001325012345"


def test_directory_officers_take_the_directorys_agency_not_the_tokens() -> None:
    mapping = parse_mapping('{"officer": {"source": "directory"}}')
    claims = {"sub": "o", "groups": ["docseal-officer"], "agency": "FORGED"}
    p = principal_from_claims(claims, mapping, ("BV-01", "Bệnh viện"))
    assert (p.role, p.agency) == ("verifier", "BV-01")
    with pytest.raises(SigninRefused):  # not in the directory: not an officer
        principal_from_claims(claims, mapping, None)


@pytest.mark.parametrize(
    "text",
    ["[]", '{"nobody": {}}', '{"officer": {"source": "ldap"}}', '{"citizen": {"id_claim": ""}}',
     "{not json", '{"admin": {"claim": "groups"}}'],
)  # fmt: skip
def test_a_broken_mapping_stops_the_server_rather_than_letting_anyone_in(text: str) -> None:
    with pytest.raises(DocsealError) as caught:
        parse_mapping(text)
    assert caught.value.http_status == 503


@given(st.text(max_size=80))
def test_next_is_always_a_local_path(text: str) -> None:
    found = safe_next(text)
    assert found.startswith("/") and not found.startswith("//") and "\\" not in found
    assert found == text or found == "/"


@pytest.mark.parametrize(
    "evil",
    ["https://evil.example/", "//evil.example", "/\\evil.example", "\\\\evil",
     "javascript:alert(1)", "/\r\nSet-Cookie:x", "/\tevil", "evil.example", "", None, "/ok#f"],
)  # fmt: skip
def test_next_pointing_off_site_goes_home(evil: object) -> None:
    assert safe_next(evil) == "/"


def test_next_keeps_local_paths() -> None:
    assert safe_next("/me") == "/me" and safe_next("/s/abc?lang=en") == "/s/abc?lang=en"
