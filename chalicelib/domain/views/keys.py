"""Signing keys: as ``GET /trust`` and the signed trust list publish them
(the public key, never its custody), and as the operator sees them (the
custody, not the public key)."""

from __future__ import annotations

import base64
from typing import Any

from chalicelib.domain.models import SigningKey
from chalicelib.domain.views.times import iso, iso_or_none


def _public_key(key: SigningKey) -> str:
    return base64.b64encode(key.public_key_der).decode()


def key_view(key: SigningKey) -> dict[str, Any]:
    """A key as ``GET /trust`` publishes it: its public key, never its custody."""
    return {
        "kid": key.kid,
        "issuer": key.issuer,
        "alg": "ES256",
        "public_key": _public_key(key),
        "status": key.status,
        "activated_at": iso(key.activated_at),
        "retired_at": iso_or_none(key.retired_at),
        "revoked_at": iso_or_none(key.revoked_at),
    }


def trust_list_key_view(key: SigningKey) -> dict[str, Any]:
    """A key inside the signed trust list: with the revocation's reason, without
    ``alg`` (the list's format fixes ES256). Offline verifiers parse this."""
    return {
        "kid": key.kid,
        "issuer": key.issuer,
        "public_key": _public_key(key),
        "status": key.status,
        "activated_at": iso(key.activated_at),
        "retired_at": iso_or_none(key.retired_at),
        "revoked_at": iso_or_none(key.revoked_at),
        "revocation_reason": key.revocation_reason,
    }


def operator_key_view(key: SigningKey) -> dict[str, Any]:
    """A key as the command line lists it for the operator: with its custody,
    without the public key (``key list``, ``rotate``, ``revoke``, ``trust root``)."""
    return {
        "kid": key.kid,
        "issuer": key.issuer,
        "status": key.status,
        "activated_at": iso(key.activated_at),
        "retired_at": iso_or_none(key.retired_at),
        "revoked_at": iso_or_none(key.revoked_at),
        "revocation_reason": key.revocation_reason or None,
        "custody": key.custody,
    }


def operator_new_key_view(key: SigningKey) -> dict[str, Any]:
    """A key ``docseal key create`` made."""
    return {"kid": key.kid, "issuer": key.issuer, "custody": key.custody, "status": key.status}


def new_key_view(key: SigningKey) -> dict[str, Any]:
    """A key the API's ``create-key`` or ``rotate-key`` made."""
    return {"kid": key.kid, "issuer": key.issuer, "status": key.status}


def revoked_key_view(key: SigningKey) -> dict[str, Any]:
    """A key the API's ``POST /admin/keys/{kid}/revoke`` revoked."""
    return {
        "kid": key.kid,
        "status": key.status,
        "revoked_at": iso_or_none(key.revoked_at),
        "reason": key.revocation_reason,
    }
