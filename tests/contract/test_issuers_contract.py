"""The contract of issuers, run against every adapter (see conftest)."""

from __future__ import annotations

import dataclasses

import pytest

from chalicelib.errors import Conflict
from chalicelib.ports import IssuerRepository, Repositories
from tests.builders import issuer


@pytest.fixture
def issuers(storage: Repositories) -> IssuerRepository:
    return storage.issuers


def test_issuer_round_trip_and_create_is_conditional(issuers: IssuerRepository) -> None:
    assert issuers.get_issuer("UBND-DICHVONGHAU") is None
    issuers.create_issuer(issuer())
    assert issuers.get_issuer("UBND-DICHVONGHAU") == issuer()
    with pytest.raises(Conflict):
        issuers.create_issuer(dataclasses.replace(issuer(), name_en="overwritten"))
    assert issuers.get_issuer("UBND-DICHVONGHAU") == issuer()


def test_save_issuer_updates_and_list_is_ordered(issuers: IssuerRepository) -> None:
    issuers.create_issuer(issuer("B-ISSUER"))
    issuers.create_issuer(issuer("A-ISSUER"))
    issuers.save_issuer(dataclasses.replace(issuer("B-ISSUER"), status="suspended"))
    listed = issuers.list_issuers()
    assert [i.code for i in listed] == ["A-ISSUER", "B-ISSUER"]
    assert listed[1].status == "suspended"
