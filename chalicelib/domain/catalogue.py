"""The document-type catalogue.

Labels live here, not in the signed payload (as the EU Digital COVID
Certificate keeps its labels in its schema): the payload carries short field
codes, the verifier shows the labels of its catalogue in Vietnamese or
English. The seed below holds the types of DOMAIN.md.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any, Literal, get_args

# How a field's value is read and shown (``chalicelib.domain.display``): the
# catalogue declares it, nothing guesses it from a value's shape.
#   text     any printable text, shown as given
#   number   ASCII digits, shown as given
#   date     an ISO 8601 calendar date YYYY-MM-DD, shown dd/mm/yyyy
# docseal's receipt also uses kinds of its own: an instant (RFC 3339, UTC),
# a document type, an issuer, a verdict, a holder match and reason codes,
# each shown in words from the catalogue, never as a code.
FieldKind = Literal[
    "text", "number", "date", "instant", "doc_type", "issuer", "verdict", "holder_match", "reasons"
]
FIELD_KINDS: tuple[FieldKind, ...] = get_args(FieldKind)
DEFINABLE_KINDS: tuple[FieldKind, ...] = ("text", "number", "date")  # an administrator's types


@dataclasses.dataclass(frozen=True)
class FieldSpec:
    code: str
    label_vi: str
    label_en: str
    required: bool = True
    kind: FieldKind = "text"


@dataclasses.dataclass(frozen=True)
class DocType:
    code: str
    name_vi: str
    name_en: str
    fields: tuple[FieldSpec, ...]
    default_validity_days: int | None = None
    # A result about a person checks that person's identity record when verified;
    # a receipt records a past check and does not.
    checks_identity: bool = True
    # What an administrator cites for accepting this type electronically (the
    # legal basis); empty unless one is set: docseal invents none.
    note_vi: str = ""
    note_en: str = ""

    def field(self, code: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.code == code), None)

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name_vi": self.name_vi,
            "name_en": self.name_en,
            "default_validity_days": self.default_validity_days,
            "fields": [dataclasses.asdict(f) for f in self.fields],
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> DocType:
        days = d.get("default_validity_days")
        return cls(
            code=str(d["code"]),
            name_vi=str(d["name_vi"]),
            name_en=str(d["name_en"]),
            fields=tuple(
                FieldSpec(
                    str(f["code"]),
                    str(f["label_vi"]),
                    str(f["label_en"]),
                    bool(f.get("required", True)),
                    _kind(f.get("kind")),
                )
                for f in d["fields"]
            ),
            default_validity_days=None if days is None else int(days),
        )


def _kind(value: object) -> FieldKind:
    """A kind read from stored or signed data; one this version does not know
    (a newer trust list) is shown as text, which is always safe."""
    return next((k for k in FIELD_KINDS if k == value), "text")


F = FieldSpec

SEED: tuple[DocType, ...] = (
    DocType(
        "birth-registration",
        "Trích lục khai sinh",
        "Birth registration extract",
        (
            F("birth_place", "Nơi sinh", "Place of birth"),
            F("registration_date", "Ngày đăng ký", "Registration date", kind="date"),
            F("registration_no", "Số đăng ký", "Registration number"),
            F("father_name", "Họ tên cha", "Father's full name", required=False),
            F("mother_name", "Họ tên mẹ", "Mother's full name", required=False),
            F("registrar", "Người ký", "Registrar"),
        ),
    ),
    DocType(
        "marriage-registration",
        "Trích lục kết hôn",
        "Marriage registration extract",
        (
            F("spouse_name", "Họ tên vợ/chồng", "Spouse's full name"),
            F("spouse_id_masked", "Số định danh vợ/chồng (4 số cuối)", "Spouse ID (last 4)"),
            F("registration_date", "Ngày đăng ký", "Registration date", kind="date"),
            F("registration_no", "Số đăng ký", "Registration number"),
            F("registrar", "Người ký", "Registrar"),
        ),
    ),
    DocType(
        "marital-status",
        "Giấy xác nhận tình trạng hôn nhân",
        "Certificate of marital status",
        (
            F("marital_status", "Tình trạng hôn nhân", "Marital status"),
            F("residence", "Nơi cư trú", "Place of residence"),
            F("purpose", "Mục đích sử dụng", "Purpose of use"),
            F("registration_no", "Số", "Number"),
            F("registrar", "Người ký", "Registrar"),
        ),
        default_validity_days=180,
    ),
    DocType(
        "death-registration",
        "Trích lục khai tử",
        "Death registration extract",
        (
            F("deceased_name", "Họ tên người chết", "Deceased's full name"),
            F("date_of_death", "Ngày chết", "Date of death", kind="date"),
            F("place_of_death", "Nơi chết", "Place of death"),
            F("registration_date", "Ngày đăng ký", "Registration date", kind="date"),
            F("registration_no", "Số đăng ký", "Registration number"),
            F("registrar", "Người ký", "Registrar"),
        ),
    ),
    DocType(
        "residence-confirmation",
        "Xác nhận thông tin về cư trú",
        "Confirmation of residence information",
        (
            F("permanent_address", "Nơi thường trú", "Permanent residence"),
            F("current_address", "Nơi ở hiện tại", "Current residence", required=False),
            F("household_head", "Chủ hộ", "Head of household", required=False),
            F("confirmation_no", "Số xác nhận", "Confirmation number"),
            F("confirmed_by", "Người xác nhận", "Confirmed by"),
        ),
        default_validity_days=180,
    ),
    DocType(
        "criminal-record",
        "Phiếu lý lịch tư pháp",
        "Criminal record certificate",
        (
            F("form", "Loại phiếu", "Form (1 or 2)"),
            F("record", "Tình trạng án tích", "Criminal record"),
            F("purpose", "Mục đích sử dụng", "Purpose of use", required=False),
            F("record_no", "Số phiếu", "Certificate number"),
            F("issued_by", "Người ký", "Signed by"),
        ),
    ),
)

# docseal's own document: the receipt an agency files instead of a stamped copy,
# signed by the service issuer below and by no other.
RECEIPT_TYPE = "verification-receipt"
SERVICE_ISSUER = "DOCSEAL"
# The trust list's root keys live among signing keys under this reserved code;
# they sign trust lists, never documents.
ROOT_ISSUER = "TRUST-ROOT"
RECEIPT = DocType(
    RECEIPT_TYPE,
    "Biên nhận kiểm tra kết quả điện tử",
    "Verification receipt",
    (
        F("document_id", "Mã giấy tờ đã kiểm tra", "Document checked"),
        F("document_type", "Loại giấy tờ", "Document type", kind="doc_type"),
        F("document_issuer", "Cơ quan cấp giấy tờ", "Issuing agency", kind="issuer"),
        F("verdict", "Kết luận", "Verdict", kind="verdict"),
        F("reasons", "Lý do", "Reasons", required=False, kind="reasons"),
        F("checked_at", "Thời điểm kiểm tra", "Checked at", kind="instant"),
        F("trust_as_of", "Dữ liệu tin cậy cập nhật lúc", "Trust data as of", kind="instant"),
        F(
            "trust_age_seconds",
            "Tuổi dữ liệu tin cậy (giây)",
            "Trust data age (seconds)",
            kind="number",
        ),
        F("holder_match", "Đối chiếu người xuất trình", "Holder match", kind="holder_match"),
        F("agency", "Cơ quan kiểm tra", "Verifying agency", required=False),
    ),
    checks_identity=False,
)

CATALOGUE: dict[str, DocType] = {t.code: t for t in (*SEED, RECEIPT)}


TYPE_CODE = re.compile(r"[a-z][a-z0-9-]{2,63}")
FIELD_CODE = re.compile(r"[a-z][a-z0-9_]{0,39}")
MAX_TYPE_FIELDS = 32
