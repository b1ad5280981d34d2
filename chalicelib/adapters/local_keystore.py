"""Local key custody: P-256 private keys as PKCS#8 PEM files, encrypted at
rest with a passphrase from the settings (PBES2, AES-256-CBC), one file per
key under ``DOCSEAL_HOME/keystore``. Decrypted keys are cached in memory for
the life of the process; they never leave this class.
"""

from __future__ import annotations

import os
import re
import secrets
import threading
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from chalicelib.domain.cose import der_to_raw
from chalicelib.errors import NotFound, Unavailable
from chalicelib.ports import CustodyKey

_REF = re.compile(r"k-[0-9a-f]{16}")


class LocalKeystore:
    name = "local"

    def __init__(self, folder: Path, passphrase: bytes) -> None:
        if not passphrase:
            raise ValueError("the keystore needs a passphrase")
        self.folder = folder
        self._passphrase = passphrase
        self._cache: dict[str, ec.EllipticCurvePrivateKey] = {}
        self._lock = threading.Lock()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)

    def _path(self, ref: str) -> Path:
        if not _REF.fullmatch(ref):
            raise NotFound(f"no key {ref!r} in the local keystore")
        return self.folder / f"{ref}.pem"

    def create_key(self, label: str) -> CustodyKey:
        private = ec.generate_private_key(ec.SECP256R1())
        ref = "k-" + secrets.token_hex(8)
        pem = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(self._passphrase),
        )
        try:
            fd = os.open(self._path(ref), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(pem)
                out.flush()
                os.fsync(out.fileno())
        except OSError as exc:
            raise Unavailable(f"the keystore cannot be written: {exc.strerror}") from exc
        with self._lock:
            self._cache[ref] = private
        return CustodyKey(ref=ref, public_key_der=_spki(private))

    def _load(self, ref: str) -> ec.EllipticCurvePrivateKey:
        with self._lock:
            cached = self._cache.get(ref)
        if cached is not None:
            return cached
        path = self._path(ref)
        try:
            pem = path.read_bytes()
        except FileNotFoundError as exc:
            raise NotFound(f"no key {ref!r} in the local keystore") from exc
        except OSError as exc:
            raise Unavailable(f"the keystore cannot be read: {exc.strerror}") from exc
        try:
            key = serialization.load_pem_private_key(pem, password=self._passphrase)
        except (ValueError, TypeError) as exc:
            raise Unavailable("the keystore passphrase does not open this key") from exc
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise Unavailable(f"key {ref!r} is not an ECDSA key")
        with self._lock:
            self._cache[ref] = key
        return key

    def sign(self, ref: str, message: bytes) -> bytes:
        der = self._load(ref).sign(message, ec.ECDSA(hashes.SHA256()))
        return der_to_raw(der)

    def public_key(self, ref: str) -> bytes:
        return _spki(self._load(ref))

    def adopt(self, ref: str) -> CustodyKey:
        return CustodyKey(ref=ref, public_key_der=self.public_key(ref))


def _spki(private: ec.EllipticCurvePrivateKey) -> bytes:
    return private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
