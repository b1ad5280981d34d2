"""Encryption at rest of stored QR texts.

A QR text carries the holder's ID number, which must never sit raw in a
table. The store keeps it sealed with AES-256-GCM under a key derived (HKDF)
from the settings' payload secret, bound to the document id.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from chalicelib.errors import Unavailable

_VERSION = b"\x01"


class Sealer:
    def __init__(self, secret: bytes) -> None:
        key = HKDF(hashes.SHA256(), 32, salt=None, info=b"docseal sealed qr v1").derive(secret)
        self._aead = AESGCM(key)

    def seal(self, doc_id: str, text: str) -> bytes:
        nonce = os.urandom(12)
        return _VERSION + nonce + self._aead.encrypt(nonce, text.encode(), doc_id.encode())

    def open(self, doc_id: str, sealed: bytes) -> str:
        if sealed[:1] != _VERSION or len(sealed) < 29:
            raise Unavailable("a stored document is in an unknown format")
        try:
            return self._aead.decrypt(sealed[1:13], sealed[13:], doc_id.encode()).decode()
        except InvalidTag as exc:
            raise Unavailable("a stored document cannot be opened with this secret") from exc
