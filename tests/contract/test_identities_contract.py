"""The contract of identity records, run against every adapter (see conftest)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from chalicelib.domain.models import IdentityRecord
from chalicelib.ports import IdentityRepository, Repositories


@pytest.fixture
def identities(storage: Repositories) -> IdentityRepository:
    return storage.identities


def test_identities_upsert(identities: IdentityRepository) -> None:
    record = IdentityRecord("e" * 64, "Trần Văn Nam", dt.date(1990, 5, 17), "male", "active")
    identities.put_identities([record])
    assert identities.get_identity("e" * 64) == record
    identities.put_identities([dataclasses.replace(record, status="deceased")])
    got = identities.get_identity("e" * 64)
    assert got is not None and got.status == "deceased"
    assert identities.get_identity("0" * 64) is None


def test_identity_import_in_bulk(identities: IdentityRepository) -> None:
    records = [
        IdentityRecord(f"{i:064x}", f"Người {i}", dt.date(2000, 1, 1), "female", "active")
        for i in range(60)
    ]
    identities.put_identities(records)
    assert identities.get_identity(f"{59:064x}") == records[59]
