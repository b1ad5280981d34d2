"""Demo data: three issuers, their keys, six people, one result of each type,
and a verifying agency with one officer account.

Seeding is idempotent: what exists already is kept, so ``docseal demo`` can
run at every ``make run`` without piling up duplicates (issuance uses fixed
idempotency keys).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from chalicelib.errors import Conflict
from chalicelib.services.identities import IdentityImport
from chalicelib.services.issuers import IssuerService
from chalicelib.services.issuing import Issued, IssueRequest, IssueService
from chalicelib.services.keyring import KeyringService
from chalicelib.services.officers import OfficerService

ISSUERS = (
    (
        "UBND-DICHVONGHAU",
        "Ủy ban nhân dân phường Dịch Vọng Hậu",
        "People's Committee of Dich Vong Hau Ward",
        ("birth-registration", "marriage-registration", "marital-status", "death-registration"),
        "Hà Nội",
    ),
    (
        "CA-DICHVONGHAU",
        "Công an phường Dịch Vọng Hậu",
        "Dich Vong Hau Ward Police",
        ("residence-confirmation",),
        "Hà Nội",
    ),
    (
        "STP-HANOI",
        "Sở Tư pháp thành phố Hà Nội",
        "Hanoi Department of Justice",
        ("criminal-record",),
        "Hà Nội",
    ),
)

# The verifying agency of the demo and its officer's account: the local
# OpenID Connect provider signs this officer in as the subject ``officer-demo``
# (with ``"officer": {"source": "directory"}`` in the claim mapping, the
# account names the agency).
AGENCY = ("BV-01", "Bệnh viện Đa khoa Dịch Vọng")
OFFICER = ("officer-demo", "Phạm Thu Hằng")

# id_number, full_name, dob, gender, status. Numbers follow the real structure
# (001 = Hà Nội, century/gender digit, year of birth) with made-up final digits.
PEOPLE = (
    ("001325012345", "Nguyễn Thị Hồng Nhung", "2025-03-14", "female", "active"),
    ("001090004567", "Trần Văn Nam", "1990-05-17", "male", "active"),
    ("001192007890", "Lê Thị Mai", "1992-11-02", "female", "active"),
    ("079085001122", "Phạm Quốc Huy", "1985-07-09", "male", "active"),
    ("001145003344", "Đỗ Thị Lan", "1945-01-20", "female", "deceased"),
    ("036088005566", "Hoàng Minh Tuấn", "1988-12-30", "male", "active"),
)


@dataclasses.dataclass(frozen=True)
class DemoDocument:
    name: str
    issuer: str
    request: IssueRequest


def _person(number: str) -> tuple[str, str, dt.date]:
    row = next(p for p in PEOPLE if p[0] == number)
    return row[0], row[1], dt.date.fromisoformat(row[2])


def _request(issuer: str, doc_type: str, number: str, fields: dict[str, str]) -> IssueRequest:
    holder_id, name, dob = _person(number)
    return IssueRequest(issuer, doc_type, holder_id, name, dob, fields)


DOCUMENTS = (
    DemoDocument(
        "birth-registration",
        "UBND-DICHVONGHAU",
        _request(
            "UBND-DICHVONGHAU",
            "birth-registration",
            "001325012345",
            {
                "birth_place": "Bệnh viện Phụ sản Hà Nội",
                "registration_date": "2025-03-20",
                "registration_no": "125/2025",
                "father_name": "Nguyễn Văn Hùng",
                "mother_name": "Lê Thị Mai",
                "registrar": "Nguyễn Thị Thu Hà",
            },
        ),
    ),
    DemoDocument(
        "marital-status",
        "UBND-DICHVONGHAU",
        _request(
            "UBND-DICHVONGHAU",
            "marital-status",
            "001090004567",
            {
                "marital_status": "Chưa đăng ký kết hôn với ai",
                "residence": "Số 12 ngõ 68 Cầu Giấy, phường Dịch Vọng Hậu, Hà Nội",
                "purpose": "Đăng ký kết hôn",
                "registration_no": "342/2026/XNTTHN",
                "registrar": "Nguyễn Thị Thu Hà",
            },
        ),
    ),
    DemoDocument(
        "residence-confirmation",
        "CA-DICHVONGHAU",
        _request(
            "CA-DICHVONGHAU",
            "residence-confirmation",
            "079085001122",
            {
                "permanent_address": "Số 5 phố Trần Thái Tông, phường Dịch Vọng Hậu, Hà Nội",
                "household_head": "Phạm Quốc Huy",
                "confirmation_no": "1123/XN-CA",
                "confirmed_by": "Thiếu tá Vũ Đức Anh",
            },
        ),
    ),
    DemoDocument(
        "criminal-record",
        "STP-HANOI",
        _request(
            "STP-HANOI",
            "criminal-record",
            "036088005566",
            {
                "form": "Phiếu số 1",
                "record": "Không có án tích",
                "purpose": "Bổ sung hồ sơ xin việc",
                "record_no": "8812/STP-LLTP",
                "issued_by": "Trần Thị Bích Ngọc",
            },
        ),
    ),
)


def seed(
    issuers: IssuerService,
    keyring: KeyringService,
    identities: IdentityImport,
    issuing: IssueService,
    *,
    actor: str,
    officers: OfficerService | None = None,
) -> list[tuple[DemoDocument, Issued]]:
    """Seed as ``actor`` (the operator running ``docseal demo``); with
    ``officers``, the demo agency and its officer's account too."""
    if officers is not None:
        seed_officers(officers, actor=actor)
    for code, name_vi, name_en, types, area in ISSUERS:
        try:
            issuers.add_issuer(code, name_vi, name_en, types, area, actor=actor)
        except Conflict:
            pass
        try:
            keyring.create_key(code, actor=actor)
        except Conflict:
            pass  # already has an active key
    identities.import_identities(
        (
            {"id_number": p[0], "full_name": p[1], "dob": p[2], "gender": p[3], "status": p[4]}
            for p in PEOPLE
        ),
        actor=actor,
    )
    return [
        (d, issuing.issue(d.request, idempotency_key=f"demo-{d.name}", actor=actor))
        for d in DOCUMENTS
    ]


def seed_officers(officers: OfficerService, *, actor: str) -> None:
    """The demo agency and its officer's account, unless they exist."""
    code, name = AGENCY
    try:
        officers.add_agency(code, name, actor=actor)
    except Conflict:
        pass
    subject, officer_name = OFFICER
    try:
        officers.add_officer(code, subject, officer_name, actor=actor)
    except Conflict:
        pass  # kept as it is, disabled or not
