"""Signing keys in memory; the lock makes "no other active key" and the
write one step."""

from __future__ import annotations

import threading

from chalicelib.domain.models import SigningKey, claims_active
from chalicelib.errors import Conflict, ErrorCode


class MemoryKeys:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: dict[str, SigningKey] = {}

    def create_key(self, key: SigningKey) -> None:
        with self._lock:
            if claims_active(key, None):
                self._refuse_second_active(key.issuer)
            if key.kid in self._keys:
                raise Conflict(f"key {key.kid} already exists")
            self._keys[key.kid] = key

    def replace_key(self, key: SigningKey, *, expected_status: str) -> None:
        with self._lock:
            if claims_active(key, expected_status):
                self._refuse_second_active(key.issuer)
            stored = self._keys.get(key.kid)
            if stored is None or stored.status != expected_status or stored.issuer != key.issuer:
                raise Conflict(f"key {key.kid} is no longer {expected_status}")
            self._keys[key.kid] = key

    def get_key(self, kid: str) -> SigningKey | None:
        with self._lock:
            return self._keys.get(kid)

    def list_keys(self, issuer: str | None = None) -> list[SigningKey]:
        with self._lock:
            keys = [k for k in self._keys.values() if issuer is None or k.issuer == issuer]
        return sorted(keys, key=lambda k: (k.issuer, k.kid))

    def _refuse_second_active(self, issuer: str) -> None:
        active = next(
            (k for k in self._keys.values() if k.issuer == issuer and k.status == "active"), None
        )
        if active is not None:
            raise Conflict(
                f"issuer {issuer} already has an active key ({active.kid})",
                code=ErrorCode.KEY_ALREADY_ACTIVE,
            )
