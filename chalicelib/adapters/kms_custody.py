"""AWS KMS key custody: one asymmetric ECC_NIST_P256 / SIGN_VERIFY key per
docseal signing key. The private key never leaves KMS; ``sign`` sends the
message itself (``MessageType="RAW"``, at most 4096 bytes, KMS hashes it with
SHA-256) and turns KMS's DER ECDSA signature into COSE's raw ``r || s``.

The key ref is the KMS ``KeyId``. Each key is tagged ``docseal=signing`` and
``docseal:label=<label>`` and gets an alias
``{alias_prefix}/{label, sanitised}-{random}`` so operators can find it.
Public keys (SubjectPublicKeyInfo DER) are cached for the life of the process.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from chalicelib.domain.cose import der_to_raw
from chalicelib.errors import BadRequest, DocsealError, ErrorCode, NotFound, Unavailable
from chalicelib.ports import CustodyKey

MAX_RAW_MESSAGE = 4096  # KMS Sign with MessageType=RAW
_ALIAS_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
_UNUSABLE = frozenset({"InvalidKeyUsageException", "KMSInvalidStateException", "DisabledException"})


def _code(exc: ClientError | BotoCoreError) -> str:
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code", "")) or "error"
    return type(exc).__name__


def _failure(operation: str, ref: str, exc: ClientError | BotoCoreError) -> Exception:
    code = _code(exc)
    if code == "NotFoundException":
        return NotFound(f"no key {ref!r} in AWS KMS")
    if code in _UNUSABLE:
        return Unavailable(f"the KMS key {ref!r} cannot sign now ({code})")
    return Unavailable(f"AWS KMS failed ({operation}: {code})")


def _alias_part(label: str) -> str:
    cleaned = _ALIAS_UNSAFE.sub("-", label).strip("-_")[:64]
    return cleaned or "key"


def _check_p256(der: bytes) -> None:
    try:
        public = serialization.load_der_public_key(der)
    except ValueError as exc:
        raise Unavailable("AWS KMS returned an unreadable public key") from exc
    if not (
        isinstance(public, ec.EllipticCurvePublicKey) and isinstance(public.curve, ec.SECP256R1)
    ):
        raise Unavailable("AWS KMS returned a key that is not P-256")


class KmsCustody:
    name = "kms"

    def __init__(self, client: Any, alias_prefix: str = "alias/docseal") -> None:
        """``client`` is a boto3 KMS client."""
        self._client = client
        self.alias_prefix = alias_prefix.rstrip("/")
        self._public: dict[str, bytes] = {}

    def create_key(self, label: str) -> CustodyKey:
        try:
            created = self._client.create_key(
                KeySpec="ECC_NIST_P256",
                KeyUsage="SIGN_VERIFY",
                Description=f"docseal signing key ({label})"[:8192],
                Tags=[
                    {"TagKey": "docseal", "TagValue": "signing"},
                    {"TagKey": "docseal:label", "TagValue": label[:256]},
                ],
            )
            ref = str(created["KeyMetadata"]["KeyId"])
        except (ClientError, BotoCoreError) as exc:
            raise _failure("create_key", label, exc) from exc
        alias = f"{self.alias_prefix}/{_alias_part(label)}-{secrets.token_hex(4)}"
        try:
            self._client.create_alias(AliasName=alias, TargetKeyId=ref)
        except (ClientError, BotoCoreError) as exc:
            self._discard(ref, None)
            raise _failure("create_alias", ref, exc) from exc
        try:
            der = self._fetch_public_key(ref)
        except DocsealError:
            self._discard(ref, alias)
            raise
        return CustodyKey(ref=ref, public_key_der=der)

    def _discard(self, ref: str, alias: str | None) -> None:
        """Best effort: a key that could not be set up is scheduled for deletion."""
        calls: list[tuple[str, dict[str, Any]]] = []
        if alias is not None:
            calls.append(("delete_alias", {"AliasName": alias}))
        calls.append(("schedule_key_deletion", {"KeyId": ref, "PendingWindowInDays": 7}))
        for call, kwargs in calls:
            try:
                getattr(self._client, call)(**kwargs)
            except (ClientError, BotoCoreError):
                continue

    def _fetch_public_key(self, ref: str) -> bytes:
        try:
            response = self._client.get_public_key(KeyId=ref)
        except (ClientError, BotoCoreError) as exc:
            raise _failure("get_public_key", ref, exc) from exc
        der = bytes(response["PublicKey"])
        _check_p256(der)
        self._public[ref] = der
        return der

    def sign(self, ref: str, message: bytes) -> bytes:
        if not message or len(message) > MAX_RAW_MESSAGE:
            raise BadRequest(
                f"KMS signs messages of 1 to {MAX_RAW_MESSAGE} bytes, not {len(message)}"
            )
        try:
            response = self._client.sign(
                KeyId=ref,
                Message=message,
                MessageType="RAW",
                SigningAlgorithm="ECDSA_SHA_256",
            )
        except (ClientError, BotoCoreError) as exc:
            raise _failure("sign", ref, exc) from exc
        try:
            return der_to_raw(bytes(response["Signature"]))
        except (KeyError, ValueError) as exc:
            raise Unavailable("AWS KMS returned an unreadable signature") from exc

    def adopt(self, ref: str) -> CustodyKey:
        """``ref``: a key id, ARN or alias (``alias/docseal-api/trust-root``)."""
        try:
            meta = self._client.describe_key(KeyId=ref)["KeyMetadata"]
        except (ClientError, BotoCoreError) as exc:
            raise _failure("describe_key", ref, exc) from exc
        if (meta.get("KeySpec"), meta.get("KeyUsage")) != ("ECC_NIST_P256", "SIGN_VERIFY"):
            raise BadRequest(
                f"the KMS key {ref!r} is {meta.get('KeySpec')}/{meta.get('KeyUsage')}, "
                "not ECC_NIST_P256/SIGN_VERIFY",
                code=ErrorCode.KEY_NOT_USABLE,
            )
        if meta.get("KeyState") != "Enabled":
            raise BadRequest(
                f"the KMS key {ref!r} is {meta.get('KeyState')}", code=ErrorCode.KEY_NOT_USABLE
            )
        key_id = str(meta["KeyId"])
        return CustodyKey(ref=key_id, public_key_der=self._fetch_public_key(key_id))

    def public_key(self, ref: str) -> bytes:
        cached = self._public.get(ref)
        return cached if cached is not None else self._fetch_public_key(ref)
