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
    STATUS_UNAVAILABLE = "STATUS_UNAVAILABLE"
    # Reading a file: what was uploaded could not give a code to verify.
    NO_QR_FOUND = "NO_QR_FOUND"
    NOT_A_DOCSEAL_CODE = "NOT_A_DOCSEAL_CODE"
    UNSUPPORTED_FILE = "UNSUPPORTED_FILE"
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    IMAGE_TOO_LARGE = "IMAGE_TOO_LARGE"
    CORRUPT_FILE = "CORRUPT_FILE"
    TOO_MANY_PAGES = "TOO_MANY_PAGES"
    DECODE_TIMEOUT = "DECODE_TIMEOUT"


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
    Reason.STATUS_UNAVAILABLE: (
        "Dữ liệu tin cậy ngoại tuyến không có trạng thái của kết quả này: chưa rõ đã bị "
        "thu hồi hay chưa. Hãy cập nhật dữ liệu tin cậy.",
        "The offline trust data has no status for this result, so whether it was revoked "
        "is unknown. Update the trust data.",
    ),
    Reason.NO_QR_FOUND: (
        "Không tìm thấy mã QR trong tệp. Mã có thể quá nhỏ, bị mờ hoặc bị cắt mất: hãy chụp lại "
        "gần hơn, đủ sáng, giữ máy thẳng và để cả mã nằm trong khung hình.",
        "No QR code was found in the file. It may be too small, blurred or cut off: take the "
        "photo again closer, in good light, holding the phone straight with the whole code "
        "in frame.",
    ),
    Reason.NOT_A_DOCSEAL_CODE: (
        "Đây không phải kết quả điện tử docseal (mà là mã QR hoặc văn bản của hệ thống "
        "khác), nên không kiểm tra được bằng hệ thống này.",
        "This is not a docseal result (it is another system's QR code or text), so this "
        "system cannot check it.",
    ),
    Reason.UNSUPPORTED_FILE: (
        "Định dạng tệp không được hỗ trợ. Hãy gửi ảnh PNG, JPEG, WebP hoặc tệp PDF.",
        "This file format is not supported. Send a PNG, JPEG or WebP image or a PDF.",
    ),
    Reason.FILE_TOO_LARGE: (
        "Tệp quá lớn. Hãy gửi ảnh nhỏ hơn hoặc chụp riêng phần mã QR.",
        "The file is too large. Send a smaller image or a photo of just the QR code.",
    ),
    Reason.IMAGE_TOO_LARGE: (
        "Ảnh có quá nhiều điểm ảnh để xử lý an toàn. Hãy gửi ảnh có độ phân giải thấp hơn.",
        "The image has too many pixels to process safely. Send a lower-resolution image.",
    ),
    Reason.CORRUPT_FILE: (
        "Tệp bị hỏng hoặc không đọc được. Hãy gửi lại tệp gốc.",
        "The file is damaged or unreadable. Send the original file again.",
    ),
    Reason.TOO_MANY_PAGES: (
        "Tệp PDF có quá nhiều trang. Hãy gửi riêng trang có mã QR.",
        "The PDF has too many pages. Send only the page with the QR code.",
    ),
    Reason.DECODE_TIMEOUT: (
        "Đọc tệp mất quá nhiều thời gian. Hãy gửi ảnh rõ hơn hoặc chỉ chụp phần mã QR.",
        "Reading the file took too long. Send a clearer image or a photo of just the QR code.",
    ),
}

FILE_REASONS = frozenset(
    {
        Reason.NO_QR_FOUND,
        Reason.NOT_A_DOCSEAL_CODE,
        Reason.UNSUPPORTED_FILE,
        Reason.FILE_TOO_LARGE,
        Reason.IMAGE_TOO_LARGE,
        Reason.CORRUPT_FILE,
        Reason.TOO_MANY_PAGES,
        Reason.DECODE_TIMEOUT,
    }
)


def explain(reason: Reason) -> dict[str, str]:
    vi, en = EXPLANATIONS[reason]
    return {"code": reason.value, "vi": vi, "en": en}
