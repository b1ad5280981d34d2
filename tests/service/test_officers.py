"""Verifying agencies and officer accounts: administrators add, list,
disable and re-enable them, each change on the audit trail under its actor;
the officer directory names the agency of an active account only."""

from __future__ import annotations

import pytest

from chalicelib.services.officers import OfficerService
from tests.service.conftest import ADMIN, Docseal, refused

BACHMAI, BACHMAI_NAME = "BV-BACHMAI", "Bệnh viện Bạch Mai"
SUBJECT = "officer-demo"


@pytest.fixture
def officers(bare: Docseal) -> OfficerService:
    return OfficerService(bare.repos.agencies, bare.repos.officers, bare.clock, bare.audit)


@pytest.fixture
def bachmai(officers: OfficerService) -> OfficerService:
    """One agency with one active officer account."""
    officers.add_agency(BACHMAI, BACHMAI_NAME, actor=ADMIN)
    officers.add_officer(BACHMAI, SUBJECT, "Nguyễn Thị Hoa", "hoa@bachmai.vn", actor=ADMIN)
    return officers


def test_an_agency_is_added_listed_and_audited(bare: Docseal, officers: OfficerService) -> None:
    added = officers.add_agency(BACHMAI, "  Bệnh viện   Bạch Mai ", actor=ADMIN)
    assert (added.code, added.name, added.status) == (BACHMAI, BACHMAI_NAME, "active")
    assert added.created_at == bare.clock.now()
    assert officers.list_agencies() == [added]
    [entry] = bare.trail()
    assert (entry.actor, entry.action, entry.target) == (ADMIN, "agency.add", BACHMAI)


def test_an_officer_is_added_listed_and_audited_without_personal_data(
    bare: Docseal, bachmai: OfficerService
) -> None:
    [account] = bachmai.list_officers(BACHMAI)
    assert (account.agency, account.subject, account.name, account.email) == (
        BACHMAI,
        SUBJECT,
        "Nguyễn Thị Hoa",
        "hoa@bachmai.vn",
    )
    assert account.active() and account.disabled_at is None
    assert bachmai.list_officers() == [account]
    entry = bare.trail()[-1]
    assert (entry.actor, entry.action, entry.target) == (ADMIN, "officer.add", SUBJECT)
    assert entry.details == {"agency": BACHMAI}
    assert "Hoa" not in str(bare.trail()) and "bachmai.vn" not in str(bare.trail())


def test_the_directory_names_the_agency_of_an_active_account_only(
    bare: Docseal, bachmai: OfficerService
) -> None:
    assert bachmai.officer_agency(SUBJECT) == (BACHMAI, BACHMAI_NAME)
    assert bachmai.officer_agency("someone-else") is None
    assert bachmai.officer_agency("") is None
    assert bachmai.officer_agency("x" * 10_000) is None  # no account could have it

    bare.clock.advance(hours=2)
    off = bachmai.disable_officer(BACHMAI, SUBJECT, actor=ADMIN)
    assert (off.status, off.disabled_at) == ("disabled", bare.clock.now())
    assert bachmai.officer_agency(SUBJECT) is None  # the next request is refused

    on = bachmai.enable_officer(BACHMAI, SUBJECT, actor=ADMIN)
    assert (on.status, on.disabled_at) == ("active", None)
    assert bachmai.officer_agency(SUBJECT) == (BACHMAI, BACHMAI_NAME)
    assert bare.actions()[-2:] == ["officer.disable", "officer.enable"]
    assert bare.trail()[-1].details == {"agency": BACHMAI}


def test_disabling_twice_is_a_clear_error_and_records_once(
    bare: Docseal, bachmai: OfficerService
) -> None:
    first = bachmai.disable_officer(BACHMAI, SUBJECT, actor=ADMIN)
    bare.clock.advance(hours=1)
    with refused("OFFICER_ALREADY_DISABLED"):
        bachmai.disable_officer(BACHMAI, SUBJECT, actor=ADMIN)
    assert bachmai.list_officers(BACHMAI) == [first]  # the first time stays
    assert bare.actions().count("officer.disable") == 1
    bachmai.enable_officer(BACHMAI, SUBJECT, actor=ADMIN)
    with refused("OFFICER_ALREADY_ACTIVE"):
        bachmai.enable_officer(BACHMAI, SUBJECT, actor=ADMIN)


def test_an_account_is_changed_only_through_its_own_agency(bachmai: OfficerService) -> None:
    bachmai.add_agency("BV-01", "Bệnh viện Đa khoa Dịch Vọng", actor=ADMIN)
    with refused("UNKNOWN_OFFICER"):
        bachmai.disable_officer("BV-01", SUBJECT, actor=ADMIN)
    with refused("UNKNOWN_OFFICER"):
        bachmai.disable_officer(BACHMAI, "nobody", actor=ADMIN)
    with refused("UNKNOWN_OFFICER"):
        bachmai.disable_officer(BACHMAI, "not a subject\x00", actor=ADMIN)
    with refused("UNKNOWN_AGENCY"):
        bachmai.disable_officer("BV-02", SUBJECT, actor=ADMIN)
    assert bachmai.officer_agency(SUBJECT) == (BACHMAI, BACHMAI_NAME)


def test_duplicates_are_refused_and_nothing_is_overwritten(
    bare: Docseal, bachmai: OfficerService
) -> None:
    before = len(bare.trail())
    with refused("AGENCY_EXISTS"):
        bachmai.add_agency(BACHMAI, "Tên khác", actor=ADMIN)
    bachmai.add_agency("BV-01", "Bệnh viện Đa khoa Dịch Vọng", actor=ADMIN)
    with refused("OFFICER_EXISTS"):  # a subject has one account, in any agency
        bachmai.add_officer("BV-01", SUBJECT, "Người khác", actor=ADMIN)
    bachmai.disable_officer(BACHMAI, SUBJECT, actor=ADMIN)
    with refused("OFFICER_EXISTS"):  # disabled accounts too
        bachmai.add_officer(BACHMAI, SUBJECT, "Nguyễn Thị Hoa", actor=ADMIN)
    assert bachmai.list_agencies()[1].name == BACHMAI_NAME
    assert [a.agency for a in bachmai.list_officers()] == [BACHMAI]
    assert bare.actions()[before:] == ["agency.add", "officer.disable"]


@pytest.mark.parametrize(
    ("code", "name", "error"),
    [
        ("bv-bachmai", BACHMAI_NAME, "INVALID_AGENCY_CODE"),
        ("BV BACHMAI", BACHMAI_NAME, "INVALID_AGENCY_CODE"),
        ("-BV", BACHMAI_NAME, "INVALID_AGENCY_CODE"),
        ("B", BACHMAI_NAME, "INVALID_AGENCY_CODE"),
        ("BV-" + "X" * 62, BACHMAI_NAME, "INVALID_AGENCY_CODE"),
        ("BV\x00", BACHMAI_NAME, "INVALID_AGENCY_CODE"),
        ("BỆNH-VIỆN", BACHMAI_NAME, "INVALID_AGENCY_CODE"),
        (BACHMAI, "", "INVALID_NAME"),
        (BACHMAI, "   ", "INVALID_NAME"),
        (BACHMAI, "\u200b\u00ad", "INVALID_NAME"),
        (BACHMAI, "Bệnh viện\x00Bạch Mai", "INVALID_NAME"),
        (BACHMAI, "Bệnh viện\nBạch Mai", "INVALID_NAME"),
        (BACHMAI, "B" * 201, "INVALID_NAME"),
    ],
)
def test_a_bad_agency_is_refused_and_not_stored(
    bare: Docseal, officers: OfficerService, code: str, name: str, error: str
) -> None:
    with refused(error):
        officers.add_agency(code, name, actor=ADMIN)
    assert officers.list_agencies() == [] and bare.trail() == []


@pytest.mark.parametrize(
    ("subject", "name", "email", "error"),
    [
        ("", "Hoa", "", "INVALID_SUBJECT"),
        ("officer 1", "Hoa", "", "INVALID_SUBJECT"),
        (" officer-1", "Hoa", "", "INVALID_SUBJECT"),
        ("officer\x00", "Hoa", "", "INVALID_SUBJECT"),
        ("cán-bộ", "Hoa", "", "INVALID_SUBJECT"),
        ("x" * 256, "Hoa", "", "INVALID_SUBJECT"),
        ("officer-1", "", "", "INVALID_NAME"),
        ("officer-1", "H" * 129, "", "INVALID_NAME"),
        ("officer-1", "Hoa\x00", "", "INVALID_NAME"),
        ("officer-1", "Hoa", "hoa", "INVALID_EMAIL"),
        ("officer-1", "Hoa", "hoa@bachmai", "INVALID_EMAIL"),
        ("officer-1", "Hoa", "hoa @bachmai.vn", "INVALID_EMAIL"),
        ("officer-1", "Hoa", "hoa@@bachmai.vn", "INVALID_EMAIL"),
        ("officer-1", "Hoa", "hoa\x00@bachmai.vn", "INVALID_EMAIL"),
        ("officer-1", "Hoa", "h" * 250 + "@b.vn", "INVALID_EMAIL"),
    ],
)
def test_a_bad_officer_is_refused_and_not_stored(
    bare: Docseal, officers: OfficerService, subject: str, name: str, email: str, error: str
) -> None:
    officers.add_agency(BACHMAI, BACHMAI_NAME, actor=ADMIN)
    with refused(error):
        officers.add_officer(BACHMAI, subject, name, email, actor=ADMIN)
    assert officers.list_officers() == [] and bare.actions() == ["agency.add"]


def test_an_unknown_agency_is_not_found_wherever_it_is_named(officers: OfficerService) -> None:
    for code in ("BV-02", "bv-02", "", "../x"):
        with refused("UNKNOWN_AGENCY"):
            officers.add_officer(code, SUBJECT, "Hoa", actor=ADMIN)
        with refused("UNKNOWN_AGENCY"):
            officers.list_officers(code)
        with refused("UNKNOWN_AGENCY"):
            officers.enable_officer(code, SUBJECT, actor=ADMIN)
    assert officers.list_officers() == []


def test_an_email_is_optional_and_kept_trimmed(officers: OfficerService) -> None:
    officers.add_agency(BACHMAI, BACHMAI_NAME, actor=ADMIN)
    plain = officers.add_officer(BACHMAI, "a", "Hoa", actor=ADMIN)
    mailed = officers.add_officer(BACHMAI, "b", "Lan", "  lan@bachmai.vn ", actor=ADMIN)
    assert (plain.email, mailed.email) == ("", "lan@bachmai.vn")
