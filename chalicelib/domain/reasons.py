"""Verdict reason codes: a stable, documented enum (docs/REASONS.md).

Codes never change meaning and are never reused; new ones may be added.
Each carries a plain explanation in Vietnamese and English for the officer.
"""

from __future__ import annotations

import enum


class Reason(enum.StrEnum):
    MALFORMED = "MALFORMED"
    UNSUPPORTED_VERSION = "UNSUPPORTED_VERSION"
    UNSUPPORTED_ALGORITHM = "UNSUPPORTED_ALGORITHM"
    UNSUPPORTED_CRITICAL_HEADER = "UNSUPPORTED_CRITICAL_HEADER"
    UNKNOWN_KEY = "UNKNOWN_KEY"
    SIGNATURE_INVALID = "SIGNATURE_INVALID"
    ISSUER_MISMATCH = "ISSUER_MISMATCH"
    KEY_REVOKED = "KEY_REVOKED"
    KEY_NOT_ACTIVE_AT_ISSUANCE = "KEY_NOT_ACTIVE_AT_ISSUANCE"
    ISSUER_OUT_OF_SCOPE = "ISSUER_OUT_OF_SCOPE"
    UNKNOWN_DOCUMENT_TYPE = "UNKNOWN_DOCUMENT_TYPE"
    NOT_YET_VALID = "NOT_YET_VALID"
    EXPIRED = "EXPIRED"
    DOCUMENT_REVOKED = "DOCUMENT_REVOKED"
    DOCUMENT_SUPERSEDED = "DOCUMENT_SUPERSEDED"
    IDENTITY_UNKNOWN = "IDENTITY_UNKNOWN"
    IDENTITY_INACTIVE = "IDENTITY_INACTIVE"
    HOLDER_MISMATCH = "HOLDER_MISMATCH"


EXPLANATIONS: dict[Reason, tuple[str, str]] = {
    Reason.MALFORMED: (
        "Mã QR không đọc được thành kết quả docseal (bị hỏng, cắt xén hoặc sửa đổi).",
        "The QR code does not decode to a docseal result (damaged, cut or altered).",
    ),
    Reason.UNSUPPORTED_VERSION: (
        "Mã QR dùng phiên bản định dạng mà hệ thống này chưa hỗ trợ. Hãy cập nhật phần mềm.",
        "The QR code uses a format version this system does not support. Update the software.",
    ),
    Reason.UNSUPPORTED_ALGORITHM: (
        "Chữ ký dùng thuật toán không được chấp nhận (chỉ chấp nhận ES256).",
        "The signature uses an algorithm that is not accepted (only ES256 is).",
    ),
    Reason.UNSUPPORTED_CRITICAL_HEADER: (
        "Mã QR yêu cầu xử lý một tham số mà hệ thống không hiểu, nên không thể tin cậy.",
        "The code requires a parameter this system does not understand, so it cannot be trusted.",
    ),
    Reason.UNKNOWN_KEY: (
        "Khóa ký không có trong danh sách tin cậy. Cơ quan cấp chưa được đăng ký, "
        "hoặc dữ liệu tin cậy đã cũ: hãy cập nhật rồi kiểm tra lại.",
        "The signing key is not in the trust list. The issuer is not registered, "
        "or the trust data is old: refresh it and check again.",
    ),
    Reason.SIGNATURE_INVALID: (
        "Chữ ký số không khớp: nội dung đã bị sửa sau khi ký. Không chấp nhận.",
        "The digital signature does not match: the content was changed after signing. "
        "Do not accept.",
    ),
    Reason.ISSUER_MISMATCH: (
        "Kết quả ghi tên một cơ quan nhưng được ký bằng khóa của cơ quan khác. Không chấp nhận.",
        "The result names one issuer but was signed with another issuer's key. Do not accept.",
    ),
    Reason.KEY_REVOKED: (
        "Khóa ký của cơ quan cấp đã bị thu hồi. Đề nghị công dân xin cấp lại kết quả.",
        "The issuer's signing key has been revoked. Ask the citizen for a re-issued result.",
    ),
    Reason.KEY_NOT_ACTIVE_AT_ISSUANCE: (
        "Kết quả được ký khi khóa chưa hoặc không còn được phép ký. Không chấp nhận.",
        "The result was signed when the key was not (or no longer) allowed to sign. Do not accept.",
    ),
    Reason.ISSUER_OUT_OF_SCOPE: (
        "Cơ quan này không có thẩm quyền cấp loại giấy tờ này.",
        "This issuer is not authorised to issue this type of document.",
    ),
    Reason.UNKNOWN_DOCUMENT_TYPE: (
        "Loại giấy tờ không có trong danh mục.",
        "The document type is not in the catalogue.",
    ),
    Reason.NOT_YET_VALID: (
        "Kết quả chưa đến ngày có hiệu lực.",
        "The result is not valid yet.",
    ),
    Reason.EXPIRED: (
        "Kết quả đã hết hạn. Đề nghị công dân xin cấp kết quả mới.",
        "The result has expired. Ask the citizen for a new one.",
    ),
    Reason.DOCUMENT_REVOKED: (
        "Cơ quan cấp đã thu hồi kết quả này.",
        "The issuer has revoked this result.",
    ),
    Reason.DOCUMENT_SUPERSEDED: (
        "Kết quả này đã được thay thế bằng một bản cấp lại. Đề nghị xuất trình bản mới.",
        "This result was replaced by a re-issued one. Ask for the new one.",
    ),
    Reason.IDENTITY_UNKNOWN: (
        "Không tìm thấy người được cấp trong dữ liệu định danh.",
        "The holder is not found in the identity records.",
    ),
    Reason.IDENTITY_INACTIVE: (
        "Số định danh của người được cấp không còn hiệu lực (đã chết hoặc bị hủy).",
        "The holder's identity record is no longer active (deceased or revoked).",
    ),
    Reason.HOLDER_MISMATCH: (
        "Người xuất trình không phải là người được cấp kết quả này.",
        "The person presenting it is not the holder of this result.",
    ),
}


def explain(reason: Reason) -> dict[str, str]:
    vi, en = EXPLANATIONS[reason]
    return {"code": reason.value, "vi": vi, "en": en}
