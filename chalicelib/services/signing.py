"""Signing a document into QR text: shared by issuing agencies' results and
docseal's own verification receipts, so both verify the same way."""

from __future__ import annotations

import os

from chalicelib.domain import cose, qrtext
from chalicelib.domain.claims import SignedDocument
from chalicelib.domain.models import SigningKey
from chalicelib.errors import ErrorCode, ValidationFailed
from chalicelib.ports import KeyCustody


def sign_document(
    doc: SignedDocument, key: SigningKey, custody: KeyCustody, public_url: str
) -> str:
    protected = cose.protected_header(bytes.fromhex(key.kid))
    payload = doc.to_cbor()
    _check_fits(protected, payload)
    signature = custody.sign(key.custody_ref, cose.sig_structure(protected, payload))
    payload_text = qrtext.encode(cose.assemble(protected, payload, signature))
    return qrtext.with_url(payload_text, public_url)


def _check_fits(protected: bytes, payload: bytes) -> None:
    """Refuse, before anything is signed, a document every verifier would
    refuse or no QR code could hold: the COSE_Sign1 within the verifier's
    ``MAX_PAYLOAD_BYTES`` and its text within ``MAX_QR_PAYLOAD_CHARS`` (a
    random stand-in signature compresses as a real one does)."""
    probe = cose.assemble(protected, payload, os.urandom(64))
    if (
        len(probe) > qrtext.MAX_PAYLOAD_BYTES
        or len(qrtext.encode(probe)) > qrtext.MAX_QR_PAYLOAD_CHARS
    ):
        raise ValidationFailed(
            "the document is too large for a QR code: shorten its field values",
            code=ErrorCode.DOCUMENT_TOO_LARGE,
        )
