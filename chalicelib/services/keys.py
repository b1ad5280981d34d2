"""The two steps every signing key goes through, for issuers' keys and the
trust list's root keys alike: made in custody and recorded, and retired.
Both are conditional writes: of N creations of an owner's active key at once
exactly one is recorded, and of two retirements at once one wins."""

from __future__ import annotations

import dataclasses
import datetime as dt

from chalicelib.domain import cose
from chalicelib.domain.models import SigningKey
from chalicelib.errors import Conflict, ErrorCode
from chalicelib.ports import KeyCustody, KeyRepository


def make_key(
    keys: KeyRepository,
    custody: KeyCustody,
    owner: str,
    now: dt.datetime,
    existing: str | None = None,
) -> SigningKey:
    """A new active key for ``owner``, made in custody and stored; or, with
    ``existing``, a key custody already holds (made by the deployment template).

    ``Conflict`` (KEY_ALREADY_ACTIVE) if ``owner`` has an active key by the
    time it is stored: the store decides, whatever the caller saw before. The
    key then made in custody stays there, unused and named in no record (key
    custody has no deletion), so callers check first to spare that in the
    usual case."""
    created = custody.adopt(existing) if existing else custody.create_key(owner)
    key = SigningKey(
        kid=cose.kid_for(created.public_key_der).hex(),
        issuer=owner,
        public_key_der=created.public_key_der,
        status="active",
        activated_at=now.replace(microsecond=0),
        custody=custody.name,
        custody_ref=created.ref,
    )
    try:
        keys.create_key(key)
    except Conflict as exc:
        if exc.code != ErrorCode.KEY_ALREADY_ACTIVE:
            raise
        raise Conflict(
            f"{owner} already has an active key; rotate it instead",
            code=ErrorCode.KEY_ALREADY_ACTIVE,
        ) from exc
    return key


def retire_key(keys: KeyRepository, key: SigningKey, now: dt.datetime) -> SigningKey:
    """Retire an active key; ``Conflict`` (KEY_CHANGED) if it changed meanwhile."""
    retired = dataclasses.replace(key, status="retired", retired_at=now.replace(microsecond=0))
    try:
        keys.replace_key(retired, expected_status="active")
    except Conflict as exc:
        raise Conflict(
            f"key {key.kid} was changed meanwhile; list keys and retry", code=ErrorCode.KEY_CHANGED
        ) from exc
    return retired
