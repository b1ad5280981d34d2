"""One error hierarchy for docseal.

Every failure a caller can cause or meet is a ``DocsealError`` subclass with a
stable machine-readable ``code`` and the HTTP status the API answers with.
Only ``app.py`` and the CLI turn these into responses; nothing else may let a
bare ``ValueError``/``KeyError`` or a library exception reach a user.
"""

from __future__ import annotations

from typing import ClassVar


class DocsealError(Exception):
    code: str = "INTERNAL"
    http_status: int = 500

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def to_dict(self) -> dict[str, dict[str, str]]:
        return {"error": {"code": self.code, "message": self.message}}


class BadRequest(DocsealError):
    """The request itself is malformed (missing field, wrong type, bad JSON)."""

    code = "BAD_REQUEST"
    http_status = 400


class ValidationFailed(DocsealError):
    """The request is well-formed but its content breaks a rule; ``code`` says which."""

    code = "VALIDATION_FAILED"
    http_status = 422


class InvalidIdNumber(ValidationFailed):
    code = "INVALID_ID_NUMBER"


class IdentityNotIssuable(ValidationFailed):
    """The holder's identity record is unknown or not active."""

    code = "IDENTITY_UNKNOWN"


class OutOfScope(DocsealError):
    code = "TYPE_OUT_OF_SCOPE"
    http_status = 403


class NoActiveKey(DocsealError):
    code = "NO_ACTIVE_KEY"
    http_status = 409


class Unauthorized(DocsealError):
    code = "UNAUTHORIZED"
    http_status = 401


class Forbidden(DocsealError):
    code = "FORBIDDEN"
    http_status = 403


class NotFound(DocsealError):
    code = "NOT_FOUND"
    http_status = 404


class Conflict(DocsealError):
    code = "CONFLICT"
    http_status = 409


class PayloadTooLarge(DocsealError):
    code = "PAYLOAD_TOO_LARGE"
    http_status = 413


class Unavailable(DocsealError):
    """A backing service (store, key custody) failed; retrying may help."""

    code = "SERVICE_UNAVAILABLE"
    http_status = 503


class MalformedPayload(DocsealError):
    """A QR text or its signed payload cannot be parsed (raised inside the domain,
    turned into a verdict reason by the verifier, never into a 500)."""

    code = "MALFORMED"
    http_status = 422

    def __init__(self, message: str, *, reason: str = "MALFORMED") -> None:
        super().__init__(message, code=reason)
        self.reason = reason


class FileRefused(DocsealError):
    """An uploaded file cannot be read for codes; ``code`` is a file reason
    (docs/REASONS.md) and the answer carries its Vietnamese and English text."""

    http_status = 422
    STATUS: ClassVar[dict[str, int]] = {
        "UNSUPPORTED_FILE": 415,
        "FILE_TOO_LARGE": 413,
        "IMAGE_TOO_LARGE": 413,
        "CORRUPT_FILE": 422,
        "TOO_MANY_PAGES": 422,
        "DECODE_TIMEOUT": 422,
    }

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message, code=code)
        self.http_status = self.STATUS.get(code, 422)


class TooManyRequests(DocsealError):
    """A client went over its request budget; ``retry_after`` seconds to wait."""

    code = "RATE_LIMITED"
    http_status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)


class LinkUnavailable(NotFound):
    """A share link that is unknown, expired, revoked or used up: one answer for all."""

    code = "LINK_NOT_AVAILABLE"

    def __init__(self) -> None:
        super().__init__("this link is not available")
