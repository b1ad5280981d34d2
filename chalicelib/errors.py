"""One error hierarchy for docseal.

Every failure a caller can cause or meet is a ``DocsealError`` subclass with a
stable machine-readable ``code`` and the HTTP status the API answers with.
Only ``app.py`` and the CLI turn these into responses; nothing else may let a
bare ``ValueError``/``KeyError`` or a library exception reach a user.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar


class ErrorCode(StrEnum):
    """Every code an error can carry: stable, documented in docs/REASONS.md
    (a test keeps the two in step). A ``StrEnum``, so a code is its own JSON."""

    AGENCY_EXISTS = "AGENCY_EXISTS"
    ALREADY_REVOKED = "ALREADY_REVOKED"
    BAD_FORM = "BAD_FORM"
    BAD_JSON = "BAD_JSON"
    BAD_REQUEST = "BAD_REQUEST"
    BAD_USAGE = "BAD_USAGE"
    CONFLICT = "CONFLICT"
    CORRUPT_FILE = "CORRUPT_FILE"
    CSRF_INVALID = "CSRF_INVALID"
    CSV_COLUMNS = "CSV_COLUMNS"
    CSV_MALFORMED = "CSV_MALFORMED"
    DECODE_TIMEOUT = "DECODE_TIMEOUT"
    DOCUMENT_NOT_FOUND = "DOCUMENT_NOT_FOUND"
    DOCUMENT_NOT_VALID = "DOCUMENT_NOT_VALID"
    DOCUMENT_TOO_LARGE = "DOCUMENT_TOO_LARGE"
    DUPLICATE_FIELD = "DUPLICATE_FIELD"
    DUPLICATE_ROW = "DUPLICATE_ROW"
    EXPIRY_IN_PAST = "EXPIRY_IN_PAST"
    FILE_NOT_UTF8 = "FILE_NOT_UTF8"
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    FILE_UNREADABLE = "FILE_UNREADABLE"
    FORBIDDEN = "FORBIDDEN"
    HOLDER_CHECKS_USED_UP = "HOLDER_CHECKS_USED_UP"
    HOLDER_DOB_MISMATCH = "HOLDER_DOB_MISMATCH"
    HOLDER_NAME_MISMATCH = "HOLDER_NAME_MISMATCH"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    IDENTITY_INACTIVE = "IDENTITY_INACTIVE"
    IDENTITY_UNKNOWN = "IDENTITY_UNKNOWN"
    ID_BIRTH_YEAR_MISMATCH = "ID_BIRTH_YEAR_MISMATCH"
    ID_CENTURY_MISMATCH = "ID_CENTURY_MISMATCH"
    ID_GENDER_MISMATCH = "ID_GENDER_MISMATCH"
    ID_TOKEN_INVALID = "ID_TOKEN_INVALID"
    ID_UNKNOWN_PROVINCE = "ID_UNKNOWN_PROVINCE"
    IMAGE_TOO_LARGE = "IMAGE_TOO_LARGE"
    IMPORT_EMPTY = "IMPORT_EMPTY"
    IMPORT_REJECTED = "IMPORT_REJECTED"
    INTERNAL = "INTERNAL"
    INVALID_AGENCY_CODE = "INVALID_AGENCY_CODE"
    INVALID_DATE = "INVALID_DATE"
    INVALID_DOB = "INVALID_DOB"
    INVALID_EFFECTIVE_TIME = "INVALID_EFFECTIVE_TIME"
    INVALID_EMAIL = "INVALID_EMAIL"
    INVALID_EXPIRY = "INVALID_EXPIRY"
    INVALID_FIELD_KIND = "INVALID_FIELD_KIND"
    INVALID_FIELD_VALUE = "INVALID_FIELD_VALUE"
    INVALID_GENDER = "INVALID_GENDER"
    INVALID_ID_NUMBER = "INVALID_ID_NUMBER"
    INVALID_ISSUER_CODE = "INVALID_ISSUER_CODE"
    INVALID_MAX_VIEWS = "INVALID_MAX_VIEWS"
    INVALID_NAME = "INVALID_NAME"
    INVALID_STATUS = "INVALID_STATUS"
    INVALID_SUBJECT = "INVALID_SUBJECT"
    INVALID_TYPE_CODE = "INVALID_TYPE_CODE"
    ISSUER_EXISTS = "ISSUER_EXISTS"
    ISSUER_SUSPENDED = "ISSUER_SUSPENDED"
    KEY_ALREADY_ACTIVE = "KEY_ALREADY_ACTIVE"
    KEY_ALREADY_REVOKED = "KEY_ALREADY_REVOKED"
    KEY_CHANGED = "KEY_CHANGED"
    KEY_NOT_USABLE = "KEY_NOT_USABLE"
    KEY_RETIRED = "KEY_RETIRED"
    KEY_REVOKED = "KEY_REVOKED"
    LINK_NOT_AVAILABLE = "LINK_NOT_AVAILABLE"
    LINK_NOT_FOUND = "LINK_NOT_FOUND"
    MALFORMED = "MALFORMED"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    MISSING_COLUMN = "MISSING_COLUMN"
    MISSING_FIELD = "MISSING_FIELD"
    MISSING_FILE = "MISSING_FILE"
    MISSING_HOLDER = "MISSING_HOLDER"
    MISSING_ISSUER = "MISSING_ISSUER"
    NOTHING_TO_CITE = "NOTHING_TO_CITE"
    NOT_ACCEPTABLE = "NOT_ACCEPTABLE"
    NOT_AN_ID_CARD_QR = "NOT_AN_ID_CARD_QR"
    NOT_A_DOCSEAL_CODE = "NOT_A_DOCSEAL_CODE"
    NOT_A_RECEIPT = "NOT_A_RECEIPT"
    NOT_FOUND = "NOT_FOUND"
    NO_ACTIVE_KEY = "NO_ACTIVE_KEY"
    NO_ROOT_KEY = "NO_ROOT_KEY"
    OFFICER_ALREADY_ACTIVE = "OFFICER_ALREADY_ACTIVE"
    OFFICER_ALREADY_DISABLED = "OFFICER_ALREADY_DISABLED"
    OFFICER_EXISTS = "OFFICER_EXISTS"
    OUT_UNWRITABLE = "OUT_UNWRITABLE"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    RATE_LIMITED = "RATE_LIMITED"
    RECEIPT_INVALID = "RECEIPT_INVALID"
    RESERVED_TYPE = "RESERVED_TYPE"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    SIGNIN_FAILED = "SIGNIN_FAILED"
    SIGNIN_REFUSED = "SIGNIN_REFUSED"
    SIGNIN_UNAVAILABLE = "SIGNIN_UNAVAILABLE"
    TICKET_EXPIRED = "TICKET_EXPIRED"
    TICKET_INVALID = "TICKET_INVALID"
    TOKEN_EXPIRED = "TOKEN_EXPIRED"
    TOKEN_INVALID = "TOKEN_INVALID"
    TOKEN_MISSING = "TOKEN_MISSING"
    TOO_MANY_PAGES = "TOO_MANY_PAGES"
    TOO_MANY_ROWS = "TOO_MANY_ROWS"
    TRUST_LIST_BAD_SIGNATURE = "TRUST_LIST_BAD_SIGNATURE"
    TRUST_LIST_EXPIRED = "TRUST_LIST_EXPIRED"
    TRUST_LIST_MALFORMED = "TRUST_LIST_MALFORMED"
    TRUST_LIST_UNKNOWN_ROOT = "TRUST_LIST_UNKNOWN_ROOT"
    TYPE_EXISTS = "TYPE_EXISTS"
    TYPE_OUT_OF_SCOPE = "TYPE_OUT_OF_SCOPE"
    UNAUTHORIZED = "UNAUTHORIZED"
    UNKNOWN_AGENCY = "UNKNOWN_AGENCY"
    UNKNOWN_FIELD = "UNKNOWN_FIELD"
    UNKNOWN_ISSUER = "UNKNOWN_ISSUER"
    UNKNOWN_KEY = "UNKNOWN_KEY"
    UNKNOWN_OFFICER = "UNKNOWN_OFFICER"
    UNKNOWN_TYPE = "UNKNOWN_TYPE"
    UNSUPPORTED_ALGORITHM = "UNSUPPORTED_ALGORITHM"
    UNSUPPORTED_CRITICAL_HEADER = "UNSUPPORTED_CRITICAL_HEADER"
    UNSUPPORTED_FILE = "UNSUPPORTED_FILE"
    UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
    UNSUPPORTED_VERSION = "UNSUPPORTED_VERSION"
    VALIDATION_FAILED = "VALIDATION_FAILED"
    WRONG_ROLE = "WRONG_ROLE"


class DocsealError(Exception):
    code: ErrorCode = ErrorCode.INTERNAL
    http_status: int = 500

    def __init__(self, message: str, *, code: ErrorCode | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def to_dict(self) -> dict[str, dict[str, str]]:
        return {"error": {"code": self.code, "message": self.message}}


class BadRequest(DocsealError):
    """The request itself is malformed (missing field, wrong type, bad JSON)."""

    code = ErrorCode.BAD_REQUEST
    http_status = 400


class ValidationFailed(DocsealError):
    """The request is well-formed but its content breaks a rule; ``code`` says which."""

    code = ErrorCode.VALIDATION_FAILED
    http_status = 422


class InvalidIdNumber(ValidationFailed):
    code = ErrorCode.INVALID_ID_NUMBER


class IdentityNotIssuable(ValidationFailed):
    """The holder's identity record is unknown or not active."""

    code = ErrorCode.IDENTITY_UNKNOWN


class OutOfScope(DocsealError):
    code = ErrorCode.TYPE_OUT_OF_SCOPE
    http_status = 403


class NoActiveKey(DocsealError):
    code = ErrorCode.NO_ACTIVE_KEY
    http_status = 409


class Unauthorized(DocsealError):
    code = ErrorCode.UNAUTHORIZED
    http_status = 401


class Forbidden(DocsealError):
    code = ErrorCode.FORBIDDEN
    http_status = 403


class NotFound(DocsealError):
    code = ErrorCode.NOT_FOUND
    http_status = 404


class Conflict(DocsealError):
    code = ErrorCode.CONFLICT
    http_status = 409


class PayloadTooLarge(DocsealError):
    code = ErrorCode.PAYLOAD_TOO_LARGE
    http_status = 413


class Unavailable(DocsealError):
    """A backing service (store, key custody) failed; retrying may help."""

    code = ErrorCode.SERVICE_UNAVAILABLE
    http_status = 503


class MalformedPayload(DocsealError):
    """A QR text or its signed payload cannot be parsed (raised inside the domain,
    turned into a verdict reason by the verifier, never into a 500)."""

    code = ErrorCode.MALFORMED
    http_status = 422

    def __init__(self, message: str, *, reason: ErrorCode = ErrorCode.MALFORMED) -> None:
        super().__init__(message, code=reason)
        self.reason = reason


class FileRefused(DocsealError):
    """An uploaded file cannot be read for codes; ``code`` is a file reason
    (docs/REASONS.md) and the answer carries its Vietnamese and English text."""

    http_status = 422
    STATUS: ClassVar[dict[ErrorCode, int]] = {
        ErrorCode.UNSUPPORTED_FILE: 415,
        ErrorCode.FILE_TOO_LARGE: 413,
        ErrorCode.IMAGE_TOO_LARGE: 413,
        ErrorCode.CORRUPT_FILE: 422,
        ErrorCode.TOO_MANY_PAGES: 422,
        ErrorCode.DECODE_TIMEOUT: 422,
    }

    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message, code=code)
        self.http_status = self.STATUS.get(code, 422)


class TooManyRequests(DocsealError):
    """A client went over its request budget; ``retry_after`` seconds to wait."""

    code = ErrorCode.RATE_LIMITED
    http_status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)


class LinkUnavailable(NotFound):
    """A share link that is unknown, expired, revoked or used up: one answer for all."""

    code = ErrorCode.LINK_NOT_AVAILABLE

    def __init__(self) -> None:
        super().__init__("this link is not available")
