"""What a verification checked, in the officer's words, and what to do next.

The verifier stops at the first failure of steps 1-4 (nothing after an
unreadable code or a bad signature can be trusted), so a check is
``passed``, ``failed`` or ``skipped``; the page lists all of them so the
officer sees what the verdict rests on.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from chalicelib.domain.reasons import Reason

State = Literal["passed", "failed", "skipped"]

_READ = frozenset(
    {
        Reason.MALFORMED,
        Reason.NOT_A_DOCSEAL_CODE,
        Reason.UNSUPPORTED_VERSION,
        Reason.UNSUPPORTED_ALGORITHM,
        Reason.UNSUPPORTED_CRITICAL_HEADER,
    }
)


class Check(NamedTuple):
    code: str
    vi: str
    en: str
    fails_on: frozenset[Reason]


CHECKS: tuple[Check, ...] = (
    Check(
        "readable",
        "Mã QR đọc được và đúng định dạng docseal",
        "The QR code is readable and in docseal's format",
        _READ,
    ),
    Check(
        "signature",
        "Chữ ký số đúng, bằng khóa của cơ quan cấp đã đăng ký",
        "The digital signature is correct, made with the issuer's registered key",
        frozenset({Reason.UNKNOWN_KEY, Reason.SIGNATURE_INVALID, Reason.ISSUER_MISMATCH}),
    ),
    Check(
        "key",
        "Khóa ký chưa bị thu hồi và còn hiệu lực khi ký",
        "The signing key is not revoked and was active when it signed",
        frozenset({Reason.KEY_REVOKED, Reason.KEY_NOT_ACTIVE_AT_ISSUANCE}),
    ),
    Check(
        "authorised",
        "Cơ quan cấp có thẩm quyền cấp loại giấy tờ này",
        "The issuing agency is authorised to issue this type of document",
        frozenset({Reason.ISSUER_OUT_OF_SCOPE, Reason.UNKNOWN_DOCUMENT_TYPE}),
    ),
    Check(
        "period",
        "Giấy tờ đang trong thời hạn có giá trị",
        "The document is within its period of validity",
        frozenset({Reason.NOT_YET_VALID, Reason.EXPIRED}),
    ),
    Check(
        "status",
        "Giấy tờ chưa bị thu hồi hoặc thay thế",
        "The document has not been revoked or replaced",
        frozenset({Reason.DOCUMENT_REVOKED, Reason.DOCUMENT_SUPERSEDED}),
    ),
    Check(
        "identity",
        "Người được cấp có trong dữ liệu định danh",
        "The holder is in the identity records",
        frozenset({Reason.IDENTITY_UNKNOWN, Reason.IDENTITY_INACTIVE}),
    ),
)

HOLDER_CHECK = Check(
    "holder",
    "Người xuất trình là người được cấp",
    "The person presenting it is the holder",
    frozenset({Reason.HOLDER_MISMATCH}),
)


def checklist(
    reasons: tuple[Reason, ...], holder_checked: bool, has_document: bool
) -> list[tuple[Check, State]]:
    """Every check with its state for one verdict."""
    stopped = not has_document  # steps 1-4 failed: the rest was never reached
    out: list[tuple[Check, State]] = []
    for check in (*CHECKS, HOLDER_CHECK) if holder_checked else CHECKS:
        failed = any(r in check.fails_on for r in reasons)
        if failed:
            out.append((check, "failed"))
        elif stopped and check.code != "readable":
            out.append((check, "skipped"))
        else:
            out.append((check, "passed"))
    return out


_REFUSE = (
    "Không tiếp nhận bản này. Đề nghị người xuất trình liên hệ cơ quan cấp để được cấp lại.",
    "Do not accept this copy. Ask the holder to contact the issuing agency for a new one.",
)
_RESCAN = (
    "Chụp lại mã QR rõ hơn (đủ sáng, không mờ, không bị cắt) hoặc tải lên tệp gốc.",
    "Take a clearer picture of the QR code (well lit, sharp, not cut off) or upload the original file.",
)

NEXT_STEPS: dict[Reason, tuple[str, str]] = {
    Reason.MALFORMED: _RESCAN,
    Reason.NO_QR_FOUND: _RESCAN,
    Reason.DECODE_TIMEOUT: _RESCAN,
    Reason.CORRUPT_FILE: _RESCAN,
    Reason.NOT_A_DOCSEAL_CODE: (
        "Mã này không phải của docseal. Đề nghị người xuất trình cung cấp kết quả có mã QR docseal.",
        "This code is not docseal's. Ask for the result that carries a docseal QR code.",
    ),
    Reason.UNSUPPORTED_VERSION: (
        "Cập nhật docseal rồi kiểm tra lại.",
        "Update docseal and check again.",
    ),
    Reason.UNKNOWN_KEY: (
        "Có thể dữ liệu tin cậy chưa cập nhật: thử lại sau ít phút; nếu vẫn vậy, không tiếp nhận.",
        "The trust data may be out of date: try again in a few minutes; if it persists, do not accept.",
    ),
    Reason.SIGNATURE_INVALID: (
        "Nội dung đã bị sửa đổi sau khi ký. Không tiếp nhận bản này.",
        "The content was changed after signing. Do not accept this copy.",
    ),
    Reason.EXPIRED: (
        "Giấy tờ đã hết hạn. Đề nghị người xuất trình xin cấp bản mới.",
        "The document has expired. Ask the holder to request a new one.",
    ),
    Reason.DOCUMENT_SUPERSEDED: (
        "Đã có bản mới thay thế. Đề nghị người xuất trình dùng bản mới nhất.",
        "A newer version replaces it. Ask the holder for the latest one.",
    ),
    Reason.HOLDER_MISMATCH: (
        "Người xuất trình không phải người được cấp. Chỉ tiếp nhận khi có giấy ủy quyền hợp lệ.",
        "The person presenting it is not the holder. Accept only with a valid authorisation.",
    ),
    Reason.FILE_TOO_LARGE: (
        "Tệp quá lớn. Chụp màn hình phần có mã QR rồi tải lên ảnh đó.",
        "The file is too large. Take a screenshot of the part with the QR code and upload that.",
    ),
    Reason.UNSUPPORTED_FILE: (
        "Tải lên ảnh PNG, JPEG, WebP hoặc tệp PDF.",
        "Upload a PNG, JPEG or WebP image or a PDF file.",
    ),
}


def next_step(reason: Reason) -> tuple[str, str]:
    return NEXT_STEPS.get(reason, _REFUSE)
