"""Every refused issuance has its own code and stores nothing (real SQLite, and
DynamoDB and KMS on a moto server)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from chalicelib.errors import DocsealError
from chalicelib.services.issuing import IssueRequest
from tests.functional.conftest import ISSUER, OPERATOR, World
from tests.support import BIRTH_FIELDS, HOLDER_ID

GOOD = IssueRequest(
    issuer=ISSUER,
    type="birth-registration",
    holder_id=HOLDER_ID,
    holder_name="Nguyễn Thị Hồng Nhung",
    holder_dob=dt.date(2025, 3, 14),
    fields=dict(BIRTH_FIELDS),
)


def rows(world: World, table: str) -> int:
    return world.stored({"documents": "document", "idempotency": "idempotency"}[table])


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"holder_id": "00132501234"}, "INVALID_ID_NUMBER"),
        ({"holder_id": "0013250123456"}, "INVALID_ID_NUMBER"),
        ({"holder_id": "٠٠١٣٢٥٠١٢٣٤٥"}, "INVALID_ID_NUMBER"),
        ({"holder_id": "００１３２５０１２３４５"}, "INVALID_ID_NUMBER"),
        ({"holder_id": "003325012345"}, "ID_UNKNOWN_PROVINCE"),
        ({"holder_id": "001525012345"}, "ID_CENTURY_MISMATCH"),
        ({"holder_id": "001324012345"}, "ID_BIRTH_YEAR_MISMATCH"),
        ({"holder_id": "001325099999"}, "IDENTITY_UNKNOWN"),
        (
            {
                "holder_id": "001145003344",
                "holder_name": "Đỗ Thị Lan",
                "holder_dob": dt.date(1945, 1, 20),
            },
            "IDENTITY_INACTIVE",
        ),
        ({"holder_name": "Nguyễn Thị Hồng"}, "HOLDER_NAME_MISMATCH"),
        ({"holder_dob": dt.date(2025, 3, 15)}, "HOLDER_DOB_MISMATCH"),
        ({"holder_dob": dt.date(2099, 1, 1)}, "INVALID_DOB"),
        ({"type": "criminal-record"}, "TYPE_OUT_OF_SCOPE"),
        ({"type": "no-such-type"}, "UNKNOWN_TYPE"),
        ({"issuer": "NO-SUCH-ISSUER"}, "UNKNOWN_ISSUER"),
        ({"fields": {**BIRTH_FIELDS, "registrar": "   "}}, "INVALID_FIELD_VALUE"),
        ({"fields": {**BIRTH_FIELDS, "registrar": "x" * 513}}, "INVALID_FIELD_VALUE"),
        ({"fields": {**BIRTH_FIELDS, "registrar": "a\x00b"}}, "INVALID_FIELD_VALUE"),
        ({"kid": "0000000000000000"}, "UNKNOWN_KEY"),
    ],
)
def test_refused_with_its_code_and_nothing_stored(
    world: World, changes: dict[str, object], code: str
) -> None:
    with pytest.raises(DocsealError) as info:
        world.container.issuing.issue(dataclasses.replace(GOOD, **changes), actor="issuer:clerk")
    assert info.value.code == code
    assert rows(world, "documents") == 0
    assert rows(world, "idempotency") == 0


def _rotate_out(world: World, status: str) -> str:
    keys = world.container.storage.keys
    (key,) = keys.list_keys(ISSUER)
    keys.replace_key(
        dataclasses.replace(key, status=status, retired_at=world.clock.now()),
        expected_status="active",
    )
    return key.kid


@pytest.mark.parametrize("status", ["retired", "revoked"])
def test_retired_or_revoked_key_is_refused(world: World, status: str) -> None:
    kid = _rotate_out(world, status)
    for request in (GOOD, dataclasses.replace(GOOD, kid=kid)):
        with pytest.raises(DocsealError) as info:
            world.container.issuing.issue(request, actor="issuer:clerk")
        assert info.value.code == f"KEY_{status.upper()}"
    assert rows(world, "documents") == 0


def test_issuer_without_any_key(world: World) -> None:
    world.container.issuers.add_issuer(
        "STP-HANOI", "Sở Tư pháp Hà Nội", "", ["criminal-record"], actor=OPERATOR
    )
    request = dataclasses.replace(
        GOOD,
        issuer="STP-HANOI",
        type="criminal-record",
        fields={"form": "1", "record": "Không có án tích", "record_no": "1", "issued_by": "A"},
    )
    with pytest.raises(DocsealError) as info:
        world.container.issuing.issue(request, actor="issuer:clerk")
    assert info.value.code == "NO_ACTIVE_KEY"


def test_stored_document_holds_no_raw_id_number(world: World) -> None:
    issued = world.container.issuing.issue(GOOD, actor="issuer:clerk")
    assert rows(world, "documents") == 1
    raw = world.raw_storage()
    assert HOLDER_ID.encode() not in raw
    assert issued.qr_text.split("#")[1].encode() not in raw
    assert world.container.issuing.qr_text(issued.record) == issued.qr_text


def test_retry_after_a_custody_failure_completes_the_same_document(world: World) -> None:
    custody = world.container.custody
    real_sign = custody.sign
    calls = {"n": 0}

    def flaky(ref: str, message: bytes) -> bytes:
        calls["n"] += 1
        if calls["n"] == 1:
            from chalicelib.errors import Unavailable

            raise Unavailable("key custody is down")
        return real_sign(ref, message)

    custody.sign = flaky  # type: ignore[method-assign]
    with pytest.raises(DocsealError):
        world.container.issuing.issue(GOOD, idempotency_key="k1", actor="issuer:clerk")
    assert rows(world, "documents") == 0
    first = world.container.issuing.issue(GOOD, idempotency_key="k1", actor="issuer:clerk")
    again = world.container.issuing.issue(GOOD, idempotency_key="k1", actor="issuer:clerk")
    assert again.id == first.id and again.replayed
    assert rows(world, "documents") == 1
