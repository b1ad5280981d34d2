"""The issuers of the trust framework: who may sign which document types.

Every change is recorded on the audit trail under the ``actor`` the door
names: the signed-in principal on the API and the pages, the operator on
the CLI (``chalicelib.domain.audit.actor_of``)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping

from chalicelib.domain.catalogue import RECEIPT_TYPE, ROOT_ISSUER, SERVICE_ISSUER, DocType
from chalicelib.domain.models import Issuer
from chalicelib.errors import Conflict, ErrorCode, NotFound, ValidationFailed
from chalicelib.ports import IssuerRepository
from chalicelib.services.audit import AuditLog
from chalicelib.services.trust import TrustService

ISSUER_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{1,63}")


class IssuerService:
    def __init__(self, issuers: IssuerRepository, trust: TrustService, audit: AuditLog) -> None:
        self._issuers = issuers
        self._trust = trust
        self._audit = audit

    def list_issuers(self) -> list[Issuer]:
        """Every issuer, by code."""
        return self._issuers.list_issuers()

    def add_issuer(
        self,
        code: str,
        name_vi: str,
        name_en: str,
        types: Iterable[str],
        area: str = "",
        *,
        actor: str,
    ) -> Issuer:
        if not ISSUER_CODE.fullmatch(code):
            raise ValidationFailed(
                "an issuer code is 2-64 characters A-Z, 0-9 and '-'",
                code=ErrorCode.INVALID_ISSUER_CODE,
            )
        allowed = self._allowed_types(code, types)
        if code == ROOT_ISSUER:
            raise ValidationFailed(f"{ROOT_ISSUER} is reserved", code=ErrorCode.RESERVED_TYPE)
        if not name_vi.strip():
            raise ValidationFailed("the issuer needs a name", code=ErrorCode.INVALID_NAME)
        issuer = Issuer(code, name_vi.strip(), (name_en or name_vi).strip(), allowed, area)
        try:
            self._issuers.create_issuer(issuer)
        except Conflict as exc:
            raise Conflict(f"issuer {code} already exists", code=ErrorCode.ISSUER_EXISTS) from exc
        self._trust.invalidate()
        self._audit.record(actor, "issuer.add", code, {"types": ",".join(sorted(allowed))})
        return issuer

    def update_issuer(
        self,
        code: str,
        *,
        name_vi: str | None = None,
        name_en: str | None = None,
        area: str | None = None,
        types: Iterable[str] | None = None,
        actor: str,
    ) -> Issuer:
        """Change names, area or the allowed document types. Narrowing the
        types affects verdicts at once: a document of a type the issuer may no
        longer issue verifies ISSUER_OUT_OF_SCOPE."""
        issuer = self._issuers.get_issuer(code)
        if issuer is None:
            raise NotFound(f"unknown issuer {code!r}", code=ErrorCode.UNKNOWN_ISSUER)
        changed = issuer
        if name_vi is not None:
            if not name_vi.strip():
                raise ValidationFailed("the issuer needs a name", code=ErrorCode.INVALID_NAME)
            changed = dataclasses.replace(changed, name_vi=name_vi.strip())
        if name_en is not None:
            changed = dataclasses.replace(changed, name_en=name_en.strip() or changed.name_vi)
        if area is not None:
            changed = dataclasses.replace(changed, area=area.strip())
        if types is not None:
            changed = dataclasses.replace(changed, allowed_types=self._allowed_types(code, types))
        self._issuers.save_issuer(changed)
        self._trust.invalidate()
        facts = {"types": ",".join(sorted(changed.allowed_types))}
        self._audit.record(actor, "issuer.update", code, facts)
        return changed

    def set_issuer_status(self, issuer_code: str, status: str, *, actor: str) -> Issuer:
        """Suspend (no new issuance; existing documents keep verifying unless
        their key is revoked) or reinstate an issuer."""
        if status not in ("active", "suspended"):
            raise ValidationFailed("status is active or suspended", code=ErrorCode.INVALID_STATUS)
        issuer = self._issuers.get_issuer(issuer_code)
        if issuer is None:
            raise NotFound(f"unknown issuer {issuer_code!r}", code=ErrorCode.UNKNOWN_ISSUER)
        changed = dataclasses.replace(issuer, status=status)  # type: ignore[arg-type]
        self._issuers.save_issuer(changed)
        self._trust.invalidate()
        action = "issuer.suspend" if status == "suspended" else "issuer.reinstate"
        self._audit.record(actor, action, issuer_code)
        return changed

    def _types(self) -> Mapping[str, DocType]:
        return self._trust.snapshot().doc_types

    def _allowed_types(self, code: str, types: Iterable[str]) -> frozenset[str]:
        """The types an issuer may issue: known ones, at least one, and the
        receipt type for docseal itself only."""
        allowed = frozenset(types)
        unknown = sorted(allowed - self._types().keys())
        if unknown or not allowed:
            raise ValidationFailed(
                f"unknown document types: {', '.join(unknown) or '(none given)'}",
                code=ErrorCode.UNKNOWN_TYPE,
            )
        if RECEIPT_TYPE in allowed and code != SERVICE_ISSUER:
            raise ValidationFailed(
                f"only docseal itself ({SERVICE_ISSUER}) signs {RECEIPT_TYPE}",
                code=ErrorCode.RESERVED_TYPE,
            )
        return allowed
