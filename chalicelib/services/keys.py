"""The two steps every signing key goes through, for issuers' keys and the
trust list's root keys alike: made in custody and recorded, and retired
by a conditional write (of two retirements at once, one wins)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from chalicelib.domain import cose
from chalicelib.domain.models import SigningKey
from chalicelib.errors import Conflict
from chalicelib.ports import KeyCustody, Store


def make_key(
    store: Store, custody: KeyCustody, owner: str, now: dt.datetime, existing: str | None = None
) -> SigningKey:
    """A new active key for ``owner``, made in custody and stored; or, with
    ``existing``, a key custody already holds (made by the deployment template)."""
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
    store.create_key(key)
    return key


def retire_key(store: Store, key: SigningKey, now: dt.datetime) -> SigningKey:
    """Retire an active key; ``Conflict`` (KEY_CHANGED) if it changed meanwhile."""
    retired = dataclasses.replace(key, status="retired", retired_at=now.replace(microsecond=0))
    try:
        store.replace_key(retired, expected_status="active")
    except Conflict as exc:
        raise Conflict(
            f"key {key.kid} was changed meanwhile; list keys and retry", code="KEY_CHANGED"
        ) from exc
    return retired
