"""Issuing: every check before anything is signed or stored; idempotent
retries; the issuer's own keys and types only."""

from __future__ import annotations

import dataclasses
import datetime as dt

from chalicelib.domain.idnumber import holder_ref
from tests.service.conftest import (
    ADMIN,
    ISSUER,
    LAN,
    MARITAL_FIELDS,
    NAM,
    OTHER_ISSUER,
    PEPPER,
    PUBLIC_URL,
    Docseal,
    active_key,
    birth,
    issue,
    refused,
)
from tests.support import BIRTH_FIELDS, HOLDER_ID


def test_an_issued_document_is_stored_sealed_verifies_and_is_audited(docseal: Docseal) -> None:
    issued = issue(docseal)

    stored = docseal.repos.documents.get_document(issued.id)
    assert stored == issued.record and not issued.replayed
    assert stored.status == "valid" and stored.issuer == ISSUER
    assert stored.kid == active_key(docseal)
    assert stored.holder_ref == holder_ref(HOLDER_ID, PEPPER)
    assert HOLDER_ID.encode() not in stored.sealed_qr  # the QR text is sealed at rest
    assert docseal.repos.documents.list_documents(stored.holder_ref) == [stored]
    assert issued.qr_text.startswith(PUBLIC_URL)

    verdict = docseal.verifier.verify(issued.qr_text)
    assert verdict.verdict == "VALID" and verdict.kid == stored.kid
    assert verdict.document is not None and verdict.document.fields == BIRTH_FIELDS
    (entry,) = [e for e in docseal.trail() if e.action == "document.issue"]
    assert (entry.actor, entry.target) == ("issuer:clerk", issued.id)
    assert entry.details == {"issuer": ISSUER, "type": "birth-registration", "kid": stored.kid}


def test_each_document_takes_the_next_index_of_its_status_list(docseal: Docseal) -> None:
    first, second = issue(docseal), issue(docseal)
    assert first.id != second.id
    assert (first.record.status_list, first.record.status_index) == (f"{ISSUER}/1", 0)
    assert (second.record.status_list, second.record.status_index) == (f"{ISSUER}/1", 1)


def test_a_type_with_a_validity_gets_it_by_default_and_an_expiry_date_overrides(
    docseal: Docseal,
) -> None:
    req = birth(type="marital-status", fields=MARITAL_FIELDS)  # valid 180 days
    default = docseal.issuing.issue(req, actor="issuer:clerk").record
    assert default.expires_at == default.issued_at + dt.timedelta(days=180)
    # the whole given day, Vietnam time
    until = docseal.issuing.issue(
        dataclasses.replace(req, expires=dt.date(2027, 1, 31)), actor="issuer:clerk"
    )
    assert until.record.expires_at == dt.datetime(2027, 1, 31, 17, tzinfo=dt.UTC)
    with refused("EXPIRY_IN_PAST"):
        docseal.issuing.issue(
            dataclasses.replace(req, expires=dt.date(2026, 10, 31)), actor="issuer:clerk"
        )


# Idempotency -----------------------------------------------------------------


def test_a_retry_with_the_same_idempotency_key_returns_the_same_document(
    docseal: Docseal,
) -> None:
    first = docseal.issuing.issue(birth(), idempotency_key="req-1", actor="issuer:clerk")
    again = docseal.issuing.issue(birth(), idempotency_key="req-1", actor="issuer:clerk")

    assert again.replayed and (again.id, again.qr_text) == (first.id, first.qr_text)
    assert docseal.repos.documents.list_documents(first.record.holder_ref) == [first.record]
    assert docseal.actions().count("document.issue") == 1


def test_the_same_idempotency_key_with_another_request_is_refused(docseal: Docseal) -> None:
    first = docseal.issuing.issue(birth(), idempotency_key="req-1", actor="issuer:clerk")
    changed = birth(fields={**BIRTH_FIELDS, "registration_no": "126/2025"})
    with refused("IDEMPOTENCY_KEY_REUSED"):
        docseal.issuing.issue(changed, idempotency_key="req-1", actor="issuer:clerk")
    assert docseal.repos.documents.list_documents(first.record.holder_ref) == [first.record]


def test_idempotency_keys_are_scoped_to_their_issuer(docseal: Docseal) -> None:
    ours = docseal.issuing.issue(birth(), idempotency_key="req-1", actor="issuer:clerk")
    theirs = docseal.issuing.issue(
        birth(issuer=OTHER_ISSUER), idempotency_key="req-1", actor="issuer:clerk"
    )
    assert not theirs.replayed and theirs.id != ours.id
    assert theirs.record.issuer == OTHER_ISSUER
    assert len(docseal.repos.documents.list_documents(ours.record.holder_ref)) == 2


# The issuer, its types and its keys --------------------------------------------


def test_an_issuer_signs_only_with_its_own_keys(docseal: Docseal) -> None:
    with refused("UNKNOWN_KEY"):
        issue(docseal, kid=active_key(docseal, OTHER_ISSUER))
    assert issue(docseal, kid=active_key(docseal)).record.kid == active_key(docseal)


def test_a_retired_or_revoked_key_signs_nothing_new(docseal: Docseal) -> None:
    old = active_key(docseal)
    docseal.keyring.rotate_key(ISSUER, actor=ADMIN)
    with refused("KEY_RETIRED"):
        issue(docseal, kid=old)
    assert issue(docseal).record.kid == active_key(docseal)  # the new key, by default
    docseal.keyring.revoke_key(old, "laptop stolen", actor=ADMIN)
    with refused("KEY_REVOKED"):
        issue(docseal, kid=old)


def test_an_issuer_without_a_key_or_out_of_its_scope_issues_nothing(docseal: Docseal) -> None:
    docseal.issuers.add_issuer(
        "UBND-MOI", "Ủy ban nhân dân phường Mới", "", ["birth-registration"], actor=ADMIN
    )
    with refused("NO_ACTIVE_KEY"):
        issue(docseal, issuer="UBND-MOI")
    with refused("TYPE_OUT_OF_SCOPE"):
        issue(docseal, issuer=OTHER_ISSUER, type="marital-status", fields=MARITAL_FIELDS)
    with refused("UNKNOWN_ISSUER"):
        issue(docseal, issuer="UBND-KHONGCO")
    docseal.issuers.set_issuer_status(ISSUER, "suspended", actor=ADMIN)
    with refused("ISSUER_SUSPENDED"):
        issue(docseal)
    assert "document.issue" not in docseal.actions()


# The content -------------------------------------------------------------------


def test_a_document_too_large_for_a_qr_code_is_refused_before_signing(docseal: Docseal) -> None:
    # text that does not compress: every character different, three bytes each
    dense = {
        code: "".join(chr(0x4E00 + (i * 7919 + n * 131) % 20000) for i in range(500))
        for n, code in enumerate(("birth_place", "registration_no", "registrar"))
    }
    with refused("DOCUMENT_TOO_LARGE"):
        issue(docseal, fields={**BIRTH_FIELDS, **dense})
    assert docseal.repos.documents.list_documents(holder_ref(HOLDER_ID, PEPPER)) == []
    assert "document.issue" not in docseal.actions()


def test_fields_are_checked_against_the_catalogue(docseal: Docseal) -> None:
    with refused("UNKNOWN_TYPE"):
        issue(docseal, type="no-such-type")
    with refused("UNKNOWN_FIELD"):
        issue(docseal, fields={**BIRTH_FIELDS, "eye_colour": "nâu"})
    missing = {k: v for k, v in BIRTH_FIELDS.items() if k != "registrar"}
    with refused("MISSING_FIELD"):
        issue(docseal, fields=missing)
    with refused("INVALID_FIELD_VALUE"):
        issue(docseal, fields={**BIRTH_FIELDS, "registration_date": "20/03/2025"})
    with refused("INVALID_FIELD_VALUE"):
        issue(docseal, fields={**BIRTH_FIELDS, "registrar": "\u200b"})  # nothing visible
    spaced = issue(docseal, fields={**BIRTH_FIELDS, "registrar": "  Nguye\u0302\u0303n Hà "})
    verdict = docseal.verifier.verify(spaced.qr_text)
    assert verdict.document is not None
    assert verdict.document.fields["registrar"] == "Nguyễn Hà"  # NFC, stripped


# The holder ----------------------------------------------------------------------


def test_the_holder_must_have_an_active_identity_record_that_agrees(docseal: Docseal) -> None:
    with refused("IDENTITY_UNKNOWN"):
        issue(docseal, holder_id="001325099999")
    with refused("IDENTITY_INACTIVE"):
        issue(docseal, holder_id=LAN, holder_name="Đỗ Thị Lan", holder_dob=dt.date(1945, 1, 20))
    with refused("HOLDER_DOB_MISMATCH"):
        issue(docseal, holder_dob=dt.date(2025, 3, 15))
    with refused("HOLDER_NAME_MISMATCH"):
        issue(docseal, holder_name="Nguyễn Thị Hồng")
    with refused("ID_BIRTH_YEAR_MISMATCH"):
        issue(docseal, holder_dob=dt.date(2024, 3, 14))
    with refused("INVALID_DOB"):
        issue(docseal, holder_dob=dt.date(2026, 11, 2))
    assert docseal.repos.documents.list_documents(holder_ref(HOLDER_ID, PEPPER)) == []


def test_the_name_is_compared_without_case_or_spacing(docseal: Docseal) -> None:
    issued = issue(
        docseal,
        holder_id=NAM,
        holder_name="  trần   VĂN nam ",
        holder_dob=dt.date(1990, 5, 17),
    )
    verdict = docseal.verifier.verify(issued.qr_text, NAM)
    assert verdict.verdict == "VALID" and verdict.holder_match is True
    assert verdict.document is not None and verdict.document.holder.full_name == "trần   VĂN nam"
