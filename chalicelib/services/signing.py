"""Signing a document into QR text: shared by issuing agencies' results and
docseal's own verification receipts, so both verify the same way."""

from __future__ import annotations

from chalicelib.domain import cose, qrtext
from chalicelib.domain.claims import SignedDocument
from chalicelib.domain.models import SigningKey
from chalicelib.ports import KeyCustody


def sign_document(
    doc: SignedDocument, key: SigningKey, custody: KeyCustody, public_url: str
) -> str:
    protected = cose.protected_header(bytes.fromhex(key.kid))
    payload = doc.to_cbor()
    signature = custody.sign(key.custody_ref, cose.sig_structure(protected, payload))
    payload_text = qrtext.encode(cose.assemble(protected, payload, signature))
    return qrtext.with_url(payload_text, public_url)
