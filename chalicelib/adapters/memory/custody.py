"""Key custody in memory (``ports.KeyCustody``): real P-256 keys made with
``cryptography``, kept in a dict for the life of the process and never handed
out. Signatures are real ES256, so what is signed here verifies anywhere;
nothing is written to disk. For service tests and tools that need no files."""

from __future__ import annotations

import secrets
import threading

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from chalicelib.domain.cose import der_to_raw
from chalicelib.errors import NotFound
from chalicelib.ports import CustodyKey


class MemoryCustody:
    name = "memory"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: dict[str, ec.EllipticCurvePrivateKey] = {}

    def create_key(self, label: str) -> CustodyKey:
        private = ec.generate_private_key(ec.SECP256R1())
        ref = "k-" + secrets.token_hex(8)
        with self._lock:
            self._keys[ref] = private
        return CustodyKey(ref=ref, public_key_der=_spki(private))

    def adopt(self, ref: str) -> CustodyKey:
        return CustodyKey(ref=ref, public_key_der=self.public_key(ref))

    def sign(self, ref: str, message: bytes) -> bytes:
        return der_to_raw(self._key(ref).sign(message, ec.ECDSA(hashes.SHA256())))

    def public_key(self, ref: str) -> bytes:
        return _spki(self._key(ref))

    def _key(self, ref: str) -> ec.EllipticCurvePrivateKey:
        with self._lock:
            key = self._keys.get(ref)
        if key is None:
            raise NotFound(f"no key {ref!r} in memory custody")
        return key


def _spki(private: ec.EllipticCurvePrivateKey) -> bytes:
    return private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
