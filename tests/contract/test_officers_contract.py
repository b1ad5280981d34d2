"""The contract of verifying agencies and officer accounts, run against every
adapter (see conftest): creation is conditional (a code or a subject is
never overwritten), a change is a compare-and-set on the stored status, and
lists come in order."""

from __future__ import annotations

import dataclasses
import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest

from chalicelib.domain.officers import Agency, OfficerAccount
from chalicelib.errors import Conflict, NotFound
from chalicelib.ports import Repositories
from tests.support import T0

BACHMAI = Agency("BV-BACHMAI", "Bệnh viện Bạch Mai", T0)


def account(subject: str = "officer-1", agency: str = "BV-BACHMAI") -> OfficerAccount:
    return OfficerAccount(agency, subject, "Nguyễn Thị Hoa", T0, email="hoa@bachmai.vn")


def test_an_agency_round_trips_and_its_code_is_never_overwritten(storage: Repositories) -> None:
    agencies = storage.agencies
    assert agencies.get_agency("BV-BACHMAI") is None
    agencies.create_agency(BACHMAI)
    assert agencies.get_agency("BV-BACHMAI") == BACHMAI
    with pytest.raises(Conflict):
        agencies.create_agency(dataclasses.replace(BACHMAI, name="overwritten"))
    assert agencies.get_agency("BV-BACHMAI") == BACHMAI


def test_agencies_are_listed_by_code(storage: Repositories) -> None:
    for code in ("TH-DV", "BV-01", "BV-01-A"):
        storage.agencies.create_agency(Agency(code, f"Cơ quan {code}", T0))
    assert [a.code for a in storage.agencies.list_agencies()] == ["BV-01", "BV-01-A", "TH-DV"]


def test_an_account_round_trips_and_a_subject_has_one_account(storage: Repositories) -> None:
    officers = storage.officers
    assert officers.get_officer("officer-1") is None
    officers.create_officer(account())
    assert officers.get_officer("officer-1") == account()
    # the same subject, in another agency too
    for again in (account(), account(agency="BV-01")):
        with pytest.raises(Conflict):
            officers.create_officer(again)
    assert officers.list_officers() == [account()]


def test_an_account_without_email_or_times_reads_back_as_written(storage: Repositories) -> None:
    bare = OfficerAccount("BV-01", "auth0|5f1c2d#x", "Lê Văn Bình", T0)
    storage.officers.create_officer(bare)
    assert storage.officers.get_officer("auth0|5f1c2d#x") == bare


def test_a_change_is_a_compare_and_set_on_the_status(storage: Repositories) -> None:
    officers = storage.officers
    officers.create_officer(account())
    off = dataclasses.replace(account(), status="disabled", disabled_at=T0 + dt.timedelta(hours=1))
    officers.replace_officer(off, expected_status="active")
    assert officers.get_officer("officer-1") == off
    with pytest.raises(Conflict):  # disabling twice
        officers.replace_officer(off, expected_status="active")
    with pytest.raises(Conflict):  # the stored account is another agency's
        officers.replace_officer(
            dataclasses.replace(off, agency="BV-01", status="active"), expected_status="disabled"
        )
    assert officers.get_officer("officer-1") == off
    officers.replace_officer(account(), expected_status="disabled")
    assert officers.get_officer("officer-1") == account()


def test_changing_an_unknown_account_is_not_found_and_stores_nothing(
    storage: Repositories,
) -> None:
    with pytest.raises(NotFound):
        storage.officers.replace_officer(account("nobody"), expected_status="active")
    assert storage.officers.get_officer("nobody") is None


def test_of_parallel_disablings_one_wins(storage: Repositories) -> None:
    storage.officers.create_officer(account())

    def disable(minute: int) -> bool:
        off = dataclasses.replace(
            account(), status="disabled", disabled_at=T0 + dt.timedelta(minutes=minute)
        )
        try:
            storage.officers.replace_officer(off, expected_status="active")
        except Conflict:
            return False
        return True

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(disable, range(4)))
    assert outcomes.count(True) == 1


def test_accounts_are_listed_by_agency_and_subject(storage: Repositories) -> None:
    for agency, subject in (
        ("BV-01-A", "a"),
        ("TH-DV", "z"),
        ("BV-01", "officer-2"),
        ("BV-01", "officer-10"),
    ):
        storage.officers.create_officer(account(subject, agency))
    everyone = [(a.agency, a.subject) for a in storage.officers.list_officers()]
    assert everyone == [
        ("BV-01", "officer-10"),
        ("BV-01", "officer-2"),
        ("BV-01-A", "a"),
        ("TH-DV", "z"),
    ]
    # one agency's only: not those of an agency whose code starts with its own
    assert [a.subject for a in storage.officers.list_officers("BV-01")] == [
        "officer-10",
        "officer-2",
    ]
    assert storage.officers.list_officers("BV-02") == []
