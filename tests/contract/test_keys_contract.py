"""The contract of signing keys (one active key per issuer), run against
every adapter (see conftest)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from chalicelib.errors import Conflict
from chalicelib.ports import KeyRepository, Repositories
from tests.builders import key
from tests.support import T0


@pytest.fixture
def keys(storage: Repositories) -> KeyRepository:
    return storage.keys


def test_key_round_trip_keeps_bytes_and_times(keys: KeyRepository) -> None:
    keys.create_key(key())
    got = keys.get_key("0011223344556677")
    assert got == key()
    assert got is not None and got.activated_at.tzinfo is not None
    with pytest.raises(Conflict):
        keys.create_key(key())


def test_list_keys_by_issuer(keys: KeyRepository) -> None:
    keys.create_key(dataclasses.replace(key("0000000000000001", "A"), status="retired"))
    keys.create_key(key("0000000000000002", "B"))
    keys.create_key(key("0000000000000003", "A"))
    assert [k.kid for k in keys.list_keys("A")] == ["0000000000000001", "0000000000000003"]
    assert len(keys.list_keys()) == 3
    assert keys.list_keys("nobody") == []


def test_replace_key_is_compare_and_set(keys: KeyRepository) -> None:
    keys.create_key(key())
    retired = dataclasses.replace(key(), status="retired", retired_at=T0 + dt.timedelta(days=1))
    keys.replace_key(retired, expected_status="active")
    assert keys.get_key(key().kid) == retired
    with pytest.raises(Conflict):
        keys.replace_key(dataclasses.replace(retired, status="revoked"), expected_status="active")
    assert keys.get_key(key().kid) == retired


def test_an_issuer_has_at_most_one_active_key(keys: KeyRepository) -> None:
    first = key("0000000000000001")
    keys.create_key(first)
    with pytest.raises(Conflict) as second:
        keys.create_key(key("0000000000000002"))
    assert second.value.code == "KEY_ALREADY_ACTIVE"
    assert keys.get_key("0000000000000002") is None  # the refused key left nothing
    assert keys.list_keys(first.issuer) == [first]
    keys.create_key(key("0000000000000003", "OTHER-ISSUER"))  # one each
    keys.create_key(dataclasses.replace(key("0000000000000004"), status="retired"))
    with pytest.raises(Conflict) as same_kid:
        keys.create_key(dataclasses.replace(first, issuer="THIRD-ISSUER"))
    assert same_kid.value.code != "KEY_ALREADY_ACTIVE"  # a kid is recorded once


@pytest.mark.parametrize("leaving", ["retired", "revoked"])
def test_a_key_leaving_active_frees_its_issuer(keys: KeyRepository, leaving: str) -> None:
    keys.create_key(key("0000000000000001"))
    gone = dataclasses.replace(key("0000000000000001"), status=leaving, retired_at=T0)
    keys.replace_key(gone, expected_status="active")
    keys.create_key(key("0000000000000002"))
    with pytest.raises(Conflict) as third:
        keys.create_key(key("0000000000000003"))
    assert third.value.code == "KEY_ALREADY_ACTIVE"
    keys.replace_key(dataclasses.replace(gone, status="revoked"), expected_status=leaving)
    with pytest.raises(Conflict) as fourth:
        keys.create_key(key("0000000000000004"))  # revoking a retired key frees nothing
    assert fourth.value.code == "KEY_ALREADY_ACTIVE"
    assert [k.kid for k in keys.list_keys(key().issuer) if k.status == "active"] == [
        "0000000000000002"
    ]


def test_a_key_made_active_again_is_held_to_the_rule(keys: KeyRepository) -> None:
    keys.create_key(key("0000000000000001"))
    retired = dataclasses.replace(key("0000000000000001"), status="retired", retired_at=T0)
    keys.replace_key(retired, expected_status="active")
    keys.create_key(key("0000000000000002"))
    with pytest.raises(Conflict) as again:
        keys.replace_key(key("0000000000000001"), expected_status="retired")
    assert again.value.code == "KEY_ALREADY_ACTIVE"
    assert keys.get_key("0000000000000001") == retired
    keys.replace_key(
        dataclasses.replace(key("0000000000000002"), status="retired", retired_at=T0),
        expected_status="active",
    )
    keys.replace_key(key("0000000000000001"), expected_status="retired")
    assert keys.get_key("0000000000000001") == key("0000000000000001")
    with pytest.raises(Conflict) as after:
        keys.create_key(key("0000000000000003"))
    assert after.value.code == "KEY_ALREADY_ACTIVE"


def test_replace_key_of_missing_key_conflicts(keys: KeyRepository) -> None:
    with pytest.raises(Conflict):
        keys.replace_key(key(), expected_status="active")


def test_a_recorded_kid_is_refused_whatever_its_status(keys: KeyRepository) -> None:
    keys.create_key(dataclasses.replace(key(), status="retired"))
    with pytest.raises(Conflict) as again:
        keys.create_key(dataclasses.replace(key(), status="retired"))
    assert again.value.code != "KEY_ALREADY_ACTIVE"  # no active key is involved
    assert keys.list_keys() == [dataclasses.replace(key(), status="retired")]
