"""Issuers' signing keys: created in custody, rotated, revoked on compromise.
The two steps every key goes through are ``services.keys``'; this is the
use case around them, with every change on the audit trail under ``actor``."""

from __future__ import annotations

import dataclasses
import datetime as dt

from chalicelib.domain.models import DocumentRecord, SigningKey
from chalicelib.domain.views import iso
from chalicelib.errors import Conflict, ErrorCode, NotFound, ValidationFailed
from chalicelib.ports import (
    Clock,
    DocumentRepository,
    IssuerRepository,
    KeyCustody,
    KeyRepository,
)
from chalicelib.services.audit import AuditLog
from chalicelib.services.keys import make_key, retire_key
from chalicelib.services.trust import TrustService


class KeyringService:
    def __init__(
        self,
        issuers: IssuerRepository,
        keys: KeyRepository,
        documents: DocumentRepository,
        custody: KeyCustody,
        clock: Clock,
        trust: TrustService,
        audit: AuditLog,
    ) -> None:
        self._issuers = issuers
        self._keys = keys
        self._documents = documents
        self._custody = custody
        self._clock = clock
        self._trust = trust
        self._audit = audit

    def list_keys(self, issuer: str | None = None) -> list[SigningKey]:
        """Every signing key, or one issuer's, by issuer and kid."""
        return self._keys.list_keys(issuer)

    def key_documents(self, kid: str) -> list[DocumentRecord]:
        """The documents a key signed, oldest first: what a re-issue would touch."""
        if self._keys.get_key(kid) is None:
            raise NotFound(f"unknown key {kid!r}", code=ErrorCode.UNKNOWN_KEY)
        return self._documents.list_documents_by_key(kid)

    def create_key(self, issuer_code: str, *, actor: str) -> SigningKey:
        """The issuer's active key; ``Conflict`` (KEY_ALREADY_ACTIVE) if it has
        one. The store's conditional write decides under concurrent calls; the
        check first only spares a custody key in the usual case."""
        if self._issuers.get_issuer(issuer_code) is None:
            raise NotFound(f"unknown issuer {issuer_code!r}", code=ErrorCode.UNKNOWN_ISSUER)
        if any(k.status == "active" for k in self._keys.list_keys(issuer_code)):
            raise Conflict(
                f"issuer {issuer_code} already has an active key; rotate it instead",
                code=ErrorCode.KEY_ALREADY_ACTIVE,
            )
        key = make_key(self._keys, self._custody, issuer_code, self._clock.now())
        self._trust.invalidate()
        facts = {"issuer": issuer_code, "custody": key.custody}
        self._audit.record(actor, "key.create", key.kid, facts)
        return key

    def rotate_key(self, issuer_code: str, *, actor: str) -> SigningKey:
        """A new active key; the old one is retired: it signs nothing new and keeps
        verifying what it signed while active. Of two rotations at once, one wins
        and the other gets 409."""
        issuer = self._issuers.get_issuer(issuer_code)
        if issuer is None:
            raise NotFound(f"unknown issuer {issuer_code!r}", code=ErrorCode.UNKNOWN_ISSUER)
        if issuer.status != "active":
            raise Conflict(f"issuer {issuer_code} is suspended", code=ErrorCode.ISSUER_SUSPENDED)
        # every active key: a store from before the rule may hold two
        for active in [k for k in self._keys.list_keys(issuer_code) if k.status == "active"]:
            old = retire_key(self._keys, active, self._clock.now())
            self._trust.invalidate()
            self._audit.record(actor, "key.retire", old.kid, {"issuer": issuer_code})
        return self.create_key(issuer_code, actor=actor)

    def revoke_key(
        self, kid: str, reason: str, effective: dt.datetime | None = None, *, actor: str
    ) -> SigningKey:
        """Compromise: every document under the key verifies INVALID (KEY_REVOKED)
        from ``effective`` (default now, never in the future, never before the
        key existed), and the verdict says when and why."""
        key = self._keys.get_key(kid) if isinstance(kid, str) else None
        if key is None:
            raise NotFound(f"unknown key {kid!r}", code=ErrorCode.UNKNOWN_KEY)
        if key.status == "revoked":
            raise Conflict(f"key {kid} is already revoked", code=ErrorCode.KEY_ALREADY_REVOKED)
        why = " ".join((reason or "").split())
        if not why or len(why) > 200:
            raise ValidationFailed(
                "give a reason of 1 to 200 characters", code=ErrorCode.MISSING_FIELD
            )
        now = self._clock.now().replace(microsecond=0)
        when = (effective or now).astimezone(dt.UTC).replace(microsecond=0)
        if when > now:
            raise ValidationFailed(
                "a revocation cannot take effect in the future",
                code=ErrorCode.INVALID_EFFECTIVE_TIME,
            )
        if when < key.activated_at:
            raise ValidationFailed(
                "a revocation cannot take effect before the key existed",
                code=ErrorCode.INVALID_EFFECTIVE_TIME,
            )
        revoked = dataclasses.replace(key, status="revoked", revoked_at=when, revocation_reason=why)
        try:
            self._keys.replace_key(revoked, expected_status=key.status)
        except Conflict as exc:
            raise Conflict(
                f"key {kid} was changed meanwhile", code=ErrorCode.KEY_ALREADY_REVOKED
            ) from exc
        self._trust.invalidate()
        self._audit.record(actor, "key.revoke", kid, {"reason": why, "effective": iso(when)})
        return revoked
