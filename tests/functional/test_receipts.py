"""Verification receipts: signed by docseal's own key, verifiable like any
result, carrying the check's facts and never the number the officer typed."""

from __future__ import annotations

import pytest

from chalicelib.domain.catalogue import RECEIPT_TYPE, SERVICE_ISSUER
from chalicelib.domain.principal import Principal
from chalicelib.errors import DocsealError, ValidationFailed
from tests.functional.conftest import OPERATOR, World, birth_request
from tests.support import HOLDER_ID

from .test_api import issue


def fields_of(world: World, receipt: str) -> dict[str, str]:
    verdict = world.container.verifier.verify(receipt)
    assert verdict.verdict == "VALID", verdict.reasons
    assert verdict.document is not None and verdict.document.type == RECEIPT_TYPE
    assert verdict.document.issuer == SERVICE_ISSUER
    return dict(verdict.document.fields)


def test_receipt_of_a_valid_check(world: World) -> None:
    doc = issue(world)
    checked = world.container.verifier.verify(doc["qr_text"], HOLDER_ID)
    receipt = world.container.receipts.issue(checked)
    assert receipt is not None and receipt.startswith("https://docseal.example.vn/v#DS1:")
    fields = fields_of(world, receipt)
    assert fields["document_id"] == doc["id"]
    assert fields["verdict"] == "VALID" and fields["holder_match"] == "MATCH"
    assert "reasons" not in fields and "agency" not in fields
    assert int(fields["trust_age_seconds"]) >= 0


def test_receipt_of_an_invalid_check_names_the_reasons(world: World) -> None:
    doc = issue(world)
    checked = world.container.verifier.verify(doc["qr_text"], "001090004567")
    fields = fields_of(world, world.container.receipts.issue(checked) or "")
    assert fields["verdict"] == "INVALID" and fields["reasons"] == "HOLDER_MISMATCH"
    assert fields["holder_match"] == "MISMATCH"
    assert "001090004567" not in str(fields)


def test_the_officers_agency_is_on_the_receipt(world: World) -> None:
    checked = world.container.verifier.verify(issue(world)["qr_text"])
    officer = Principal("o-1", "verifier", agency="BV-01", agency_name="Bệnh viện Bạch Mai")
    fields = fields_of(world, world.container.receipts.issue(checked, officer) or "")
    assert fields["agency"] == "Bệnh viện Bạch Mai (BV-01)"
    long_name = "Bệnh viện " + "Đa khoa " * 90  # a token may name an agency at any length
    officer = Principal("o-2", "verifier", agency="BV-02", agency_name=long_name)
    fields = fields_of(world, world.container.receipts.issue(checked, officer))
    assert fields["agency"].startswith("Bệnh viện Đa khoa") and len(fields["agency"]) <= 200
    citizen = Principal("c-1", "citizen", agency="BV-01")
    fields = fields_of(world, world.container.receipts.issue(checked, citizen) or "")
    assert "agency" not in fields


def test_no_receipt_without_a_readable_document_or_of_a_receipt(world: World) -> None:
    receipts = world.container.receipts
    with pytest.raises(ValidationFailed) as info:
        receipts.issue(world.container.verifier.verify("DS1:AAAA"))
    assert info.value.code == "NOTHING_TO_CITE"
    first = receipts.issue(world.container.verifier.verify(issue(world)["qr_text"]))
    with pytest.raises(ValidationFailed) as info:
        receipts.issue(world.container.verifier.verify(first))
    assert info.value.code == "NOTHING_TO_CITE"


def test_one_service_key_is_created_once(world: World) -> None:
    checked = world.container.verifier.verify(issue(world)["qr_text"])
    world.container.receipts.issue(checked)
    world.container.receipts.issue(checked)
    keys = world.container.storage.keys.list_keys(SERVICE_ISSUER)
    assert len(keys) == 1 and keys[0].status == "active"


def test_receipts_are_checked_before_rendering(world: World) -> None:
    receipts = world.container.receipts
    with pytest.raises(ValidationFailed) as info:
        receipts.open(issue(world)["qr_text"])  # a result, not a receipt
    assert info.value.code == "NOT_A_RECEIPT"
    with pytest.raises(DocsealError):
        receipts.open(12)


def test_only_docseal_may_issue_receipts(world: World) -> None:
    with pytest.raises(ValidationFailed) as info:
        world.container.issuers.add_issuer("FAKE-01", "Giả", "Fake", [RECEIPT_TYPE], actor=OPERATOR)
    assert info.value.code == "RESERVED_TYPE"
    response = world.client.http.post(
        "/api/v1/documents",
        body=__import__("json").dumps(birth_request(type=RECEIPT_TYPE)),
        headers={"Content-Type": "application/json", **world.auth()},
    )
    assert response.status_code in (403, 422)


def test_receipt_route_returns_pdf_and_json(world: World) -> None:
    from urllib.parse import urlencode

    from tests.functional.pages import FORM, desk_check, form_ticket

    ticket = form_ticket(desk_check(world, issue(world)["qr_text"]), "/receipt")
    r = world.client.http.post(
        "/receipt", body=urlencode({"ticket": ticket, "format": "pdf"}), headers=FORM
    )
    assert r.status_code == 200, r.body[-700:]
    assert r.body.startswith(b"%PDF")
    assert "attachment" in r.headers["Content-Disposition"]
    r = world.client.http.post(
        "/receipt", body=urlencode({"ticket": ticket, "format": "json"}), headers=FORM
    )
    assert r.json_body["verdict"] == "VALID"
    fields = fields_of(world, r.json_body["qr_text"])
    assert fields["holder_match"] == "NOT_CHECKED"
    for bad in ("<script>", ticket[:-4] + "AAAA", "", "x" * 20000):
        r = world.client.http.post(
            "/receipt", body=urlencode({"ticket": bad, "format": "json"}), headers=FORM
        )
        assert r.status_code == 400 and b"<script>" not in r.body
        assert b"TICKET_INVALID" in r.body and r.headers["Content-Type"].startswith("text/html")


def test_an_admins_acceptance_note_is_shown_with_the_type(world: World) -> None:
    doc = issue(world)
    before = world.container.verifier.verify(doc["qr_text"]).to_dict()
    assert before["document"]["acceptance_note"] is None  # nothing invented by default
    world.container.doctypes.set_type_note(
        "birth-registration",
        "Căn cứ: Nghị định 45/2020/NĐ-CP",
        "Basis: Decree 45/2020",
        actor=OPERATOR,
    )
    after = world.container.verifier.verify(doc["qr_text"]).to_dict()
    assert after["document"]["acceptance_note"] == {
        "vi": "Căn cứ: Nghị định 45/2020/NĐ-CP",
        "en": "Basis: Decree 45/2020",
    }
    with pytest.raises(ValidationFailed):
        world.container.doctypes.set_type_note("no-such-type", "x", actor=OPERATOR)
    with pytest.raises(ValidationFailed):
        world.container.doctypes.set_type_note("birth-registration", "x" * 501, actor=OPERATOR)
    world.container.doctypes.set_type_note("birth-registration", "", actor=OPERATOR)
    cleared = world.container.verifier.verify(doc["qr_text"]).to_dict()
    assert cleared["document"]["acceptance_note"] is None


class _DownCustody:
    """Key custody that is down (KMS unreachable): a fake, not a mock."""

    name = "down"

    def sign(self, ref: str, message: bytes) -> bytes:
        from chalicelib.errors import Unavailable

        raise Unavailable("key custody is unreachable")

    def create_key(self, issuer: str) -> object:
        from chalicelib.errors import Unavailable

        raise Unavailable("key custody is unreachable")


def test_the_page_keeps_its_verdict_when_receipts_cannot_be_signed(world: World) -> None:
    from chalicelib.services.receipts import ReceiptService

    c = world.container
    checked = c.verifier.verify(issue(world)["qr_text"])
    down = ReceiptService(
        c.storage.keys,
        c.storage.counters,
        _DownCustody(),
        c.issuers,
        c.keyring,
        c.verifier,
        c.clock,
        "https://docseal.example.vn",
    )  # type: ignore[arg-type]
    with pytest.raises(DocsealError) as info:
        down.issue(checked)
    assert info.value.http_status == 503
