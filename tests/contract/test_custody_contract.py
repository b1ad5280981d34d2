"""The KeyCustody contract, run against every adapter (see conftest)."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from chalicelib.domain import cose
from chalicelib.errors import DocsealError
from chalicelib.ports import KeyCustody


def test_created_key_is_p256_and_signs_raw_es256(custody: KeyCustody) -> None:
    created = custody.create_key("UBND-TEST")
    public = serialization.load_der_public_key(created.public_key_der)
    assert isinstance(public, ec.EllipticCurvePublicKey)
    assert isinstance(public.curve, ec.SECP256R1)
    message = b"Sig_structure bytes \xe1\xba\xa1"
    signature = custody.sign(created.ref, message)
    assert len(signature) == 64
    assert cose.verify_raw_signature(public, signature, message)
    assert not cose.verify_raw_signature(public, signature, message + b"!")


def test_public_key_is_stable_and_keys_are_distinct(custody: KeyCustody) -> None:
    a = custody.create_key("A")
    b = custody.create_key("B")
    assert custody.public_key(a.ref) == a.public_key_der
    assert a.ref != b.ref
    assert a.public_key_der != b.public_key_der


def test_unknown_key_is_a_docseal_error(custody: KeyCustody) -> None:
    with pytest.raises(DocsealError) as info:
        custody.sign("k-0000000000000000", b"x")
    assert info.value.http_status in (404, 503)


def test_a_key_already_in_custody_is_adopted_with_its_public_key(custody: KeyCustody) -> None:
    made = custody.create_key("TRUST-ROOT")
    adopted = custody.adopt(made.ref)
    assert adopted == made
    message = b"trust list"
    public = serialization.load_der_public_key(adopted.public_key_der)
    assert isinstance(public, ec.EllipticCurvePublicKey)
    assert cose.verify_raw_signature(public, custody.sign(adopted.ref, message), message)


def test_adopting_an_unknown_key_is_not_found(custody: KeyCustody) -> None:
    from chalicelib.errors import NotFound

    with pytest.raises(NotFound):
        custody.adopt("k-0000000000000000")
