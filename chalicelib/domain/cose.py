"""COSE_Sign1 (RFC 9052) restricted to what docseal format 1 allows.

Only ES256 (ECDSA P-256 with SHA-256), signature as raw ``r || s`` (64 bytes),
``alg`` and ``kid`` in the protected header, no ``crit`` entries (docseal
understands none, so any is unknown). CBOR is decoded with hard limits: size,
nesting depth, no indefinite lengths, no duplicate map keys, no trailing bytes.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from typing import Any, NamedTuple

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from chalicelib.errors import ErrorCode, MalformedPayload

COSE_SIGN1_TAG = 18
HDR_ALG = 1
HDR_CRIT = 2
HDR_KID = 4
ALG_ES256 = -7
MAX_CBOR_BYTES = 4096
MAX_DEPTH = 8
_ES256 = ec.ECDSA(hashes.SHA256())
P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def kid_for(public_key_der: bytes) -> bytes:
    """Key id: the first 8 bytes of SHA-256 over the SubjectPublicKeyInfo DER."""
    return hashlib.sha256(public_key_der).digest()[:8]


def _reject_tag(tag: cbor2.CBORTag, _immutable: bool) -> object:
    if tag.tag == COSE_SIGN1_TAG:
        return tag
    raise MalformedPayload(f"CBOR tag {tag.tag} is not allowed here")


def loads_strict(data: bytes) -> Any:
    """Decode one CBOR item with docseal's limits; anything else is MALFORMED."""
    if len(data) > MAX_CBOR_BYTES:
        raise MalformedPayload("the CBOR data is larger than the size limit")
    stream = io.BytesIO(data)
    try:
        decoder = cbor2.CBORDecoder(
            stream,
            tag_hook=_reject_tag,
            max_depth=MAX_DEPTH,
            allow_indefinite=False,
            allow_duplicate_keys=False,
            semantic_decoders=_SEMANTIC_DECODERS,
        )
        item = decoder.decode()
    except MalformedPayload:
        raise
    except (cbor2.CBORError, ValueError, TypeError, OverflowError, RecursionError, EOFError) as exc:
        raise MalformedPayload(f"the CBOR data is invalid: {type(exc).__name__}") from exc
    if stream.tell() != len(data):
        raise MalformedPayload("bytes follow the CBOR data")
    return item


def _no_semantic(_value: object, _immutable: bool) -> object:
    raise MalformedPayload("CBOR semantic tags are not allowed in a docseal payload")


# Tags cbor2 would otherwise interpret (dates, bignums, shared references, sets...).
_SEMANTIC_TAGS = (
    *(0, 1, 2, 3, 4, 5, 25, 28, 29, 30, 35, 36, 37, 100),
    *(256, 258, 260, 261, 1004, 55799),
)
_SEMANTIC_DECODERS = dict.fromkeys(_SEMANTIC_TAGS, _no_semantic)


class Sign1(NamedTuple):
    protected: bytes
    protected_map: dict[Any, Any]
    unprotected: dict[Any, Any]
    payload: bytes
    signature: bytes

    @property
    def kid(self) -> bytes:
        kid = self.protected_map.get(HDR_KID)
        assert isinstance(kid, bytes)  # checked by parse()
        return kid

    def to_be_signed(self) -> bytes:
        return sig_structure(self.protected, self.payload)


def sig_structure(protected: bytes, payload: bytes) -> bytes:
    """Sig_structure for COSE_Sign1 with empty external AAD (RFC 9052 §4.4)."""
    return cbor2.dumps(["Signature1", protected, b"", payload])


_DOCSEAL_PROTECTED = b"\xa2\x01\x26\x04\x48"  # map(2) 1: -7, 4: bytes(8)


def protected_header(kid: bytes) -> bytes:
    return cbor2.dumps({HDR_ALG: ALG_ES256, HDR_KID: kid})


def assemble(protected: bytes, payload: bytes, raw_signature: bytes) -> bytes:
    return cbor2.dumps(cbor2.CBORTag(COSE_SIGN1_TAG, [protected, {}, payload, raw_signature]))


def parse(data: bytes) -> Sign1:
    """Parse COSE_Sign1 and enforce docseal's header rules (steps 1-4 of verify)."""
    # 1. One CBOR item: an array of four, optionally under tag 18.
    item = loads_strict(data)
    if isinstance(item, cbor2.CBORTag):
        if item.tag != COSE_SIGN1_TAG:
            raise MalformedPayload("the payload is not a COSE_Sign1 structure")
        item = item.value
    if not isinstance(item, list | tuple) or len(item) != 4:
        raise MalformedPayload("COSE_Sign1 must be an array of four items")
    protected, unprotected, payload, signature = item
    if not isinstance(protected, bytes) or not isinstance(unprotected, Mapping):
        raise MalformedPayload("COSE_Sign1 headers have the wrong types")
    if not isinstance(payload, bytes) or not isinstance(signature, bytes):
        raise MalformedPayload("COSE_Sign1 payload and signature must be byte strings")
    # 2. The protected header is a map (the empty byte string means an empty map).
    #    docseal's own encoding, {1: -7, 4: <8-byte kid>}, is recognised by its bytes.
    if len(protected) == 13 and protected.startswith(_DOCSEAL_PROTECTED):
        protected_map: Any = {HDR_ALG: ALG_ES256, HDR_KID: protected[5:]}
    else:
        protected_map = loads_strict(protected) if protected else {}
    if not isinstance(protected_map, Mapping):
        raise MalformedPayload("the protected header is not a map")
    # 3. alg: ES256, protected only.
    if HDR_ALG in unprotected:
        raise MalformedPayload(
            "the algorithm must be in the protected header", reason=ErrorCode.UNSUPPORTED_ALGORITHM
        )
    if protected_map.get(HDR_ALG) != ALG_ES256:
        raise MalformedPayload(
            "only ES256 signatures are accepted", reason=ErrorCode.UNSUPPORTED_ALGORITHM
        )
    if HDR_CRIT in protected_map or HDR_CRIT in unprotected:
        raise MalformedPayload(
            "the header lists critical parameters docseal does not understand",
            reason=ErrorCode.UNSUPPORTED_CRITICAL_HEADER,
        )
    # 4. kid: 8 bytes, protected only.
    kid = protected_map.get(HDR_KID)
    if kid is None:
        raise MalformedPayload("the key id must be in the protected header")
    if not isinstance(kid, bytes) or len(kid) != 8:
        raise MalformedPayload("the key id must be 8 bytes")
    return Sign1(protected, dict(protected_map), dict(unprotected), payload, signature)


def load_public_key(public_key_der: bytes) -> ec.EllipticCurvePublicKey:
    key = serialization.load_der_public_key(public_key_der)
    if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, ec.SECP256R1):
        raise MalformedPayload("the key is not an ECDSA P-256 public key")
    return key


def verify_raw_signature(
    public_key: ec.EllipticCurvePublicKey, raw_signature: bytes, message: bytes
) -> bool:
    """ES256 check of a raw ``r || s`` signature; the check the verifier uses."""
    if len(raw_signature) != 64:
        return False
    r = int.from_bytes(raw_signature[:32], "big")
    s = int.from_bytes(raw_signature[32:], "big")
    if not (0 < r < P256_ORDER and 0 < s < P256_ORDER):
        return False
    try:
        public_key.verify(encode_dss_signature(r, s), message, _ES256)
    except InvalidSignature:
        return False
    return True


def der_to_raw(der_signature: bytes) -> bytes:
    """ECDSA DER (what KMS and OpenSSL return) -> raw ``r || s``, 32 bytes each."""
    r, s = decode_dss_signature(der_signature)
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")
