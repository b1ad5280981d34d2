"""AWS-specific behaviour of the DynamoDB repositories and KmsCustody, beyond
the contract suites: error translation (botocore Stubber on real clients), pagination,
the item layout, and the KMS key's spec, tags and alias (moto)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.stub import ANY, Stubber
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from chalicelib.adapters.dynamodb import create_table, open_dynamodb
from chalicelib.adapters.kms_custody import MAX_RAW_MESSAGE, KmsCustody
from chalicelib.domain import cose
from chalicelib.domain.models import DocumentRecord, SigningKey
from chalicelib.errors import BadRequest, Conflict, NotFound, Unavailable
from chalicelib.ports import Repositories
from tests import builders
from tests.builders import identity, issuer

REGION = "ap-southeast-1"
TABLE = "docseal-aws-test"
T0 = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)
HOLDER_REF = "f" * 64


@pytest.fixture
def aws(aws_env: None) -> None:
    """AWS under moto (``aws_env`` in tests/conftest.py)."""


@pytest.fixture
def ddb(aws: None) -> Any:
    client = boto3.client("dynamodb", region_name=REGION)
    create_table(client, TABLE)
    return client


@pytest.fixture
def kms(aws: None) -> Any:
    return boto3.client("kms", region_name=REGION)


def key(kid: str, issuer_code: str = "UBND-A") -> SigningKey:
    """A key held in KMS, of the issuer UBND-A unless said."""
    return builders.key(
        kid, issuer_code, custody="kms", custody_ref="1234abcd-12ab-34cd-56ef-1234567890ab"
    )


def document(doc_id: str = "a" * 26) -> DocumentRecord:
    """A document of UBND-A that never expires (its expiry is stored as NULL)."""
    return builders.document(doc_id, issuer="UBND-A", status_list="UBND-A/1", expires_at=None)


# DynamoDB: error translation (Stubber on a real client, no network)


@pytest.fixture
def stubbed_ddb(aws_credentials: None) -> Iterator[tuple[Repositories, Stubber]]:
    client = boto3.client("dynamodb", region_name=REGION)
    with Stubber(client) as stubber:
        yield open_dynamodb(TABLE, client, backoff_base=0.001), stubber
        stubber.assert_no_pending_responses()


def test_throttled_get_issuer_is_unavailable(stubbed_ddb: tuple[Repositories, Stubber]) -> None:
    storage, stubber = stubbed_ddb
    stubber.add_client_error(
        "get_item",
        service_error_code="ProvisionedThroughputExceededException",
        http_status_code=400,
        expected_params={
            "TableName": TABLE,
            "Key": {"pk": {"S": "ISSUER#UBND-A"}, "sk": {"S": "A"}},
            "ConsistentRead": True,
        },
    )
    with pytest.raises(Unavailable) as info:
        storage.issuers.get_issuer("UBND-A")
    assert isinstance(info.value.__cause__, ClientError)
    assert "ProvisionedThroughputExceededException" in info.value.message


def test_server_error_on_create_document_is_unavailable_not_conflict(
    stubbed_ddb: tuple[Repositories, Stubber],
) -> None:
    storage, stubber = stubbed_ddb
    stubber.add_client_error(
        "transact_write_items",  # the document and its holder index entry, together
        service_error_code="InternalServerError",
        http_status_code=500,
        expected_params={"TransactItems": ANY},
    )
    with pytest.raises(Unavailable) as info:
        storage.documents.create_document(document())
    assert not isinstance(info.value, Conflict)
    assert HOLDER_REF not in info.value.message
    assert "sealed" not in info.value.message


def test_condition_failure_on_create_document_is_conflict(
    stubbed_ddb: tuple[Repositories, Stubber],
) -> None:
    storage, stubber = stubbed_ddb
    stubber.add_client_error(
        "transact_write_items",
        service_error_code="TransactionCanceledException",
        modeled_fields={
            "CancellationReasons": [{"Code": "ConditionalCheckFailed"}, {"Code": "None"}]
        },
    )
    with pytest.raises(Conflict):
        storage.documents.create_document(document())


def test_cancelled_key_transaction_is_conflict_only_for_a_failed_condition(
    stubbed_ddb: tuple[Repositories, Stubber],
) -> None:
    storage, stubber = stubbed_ddb
    stubber.add_client_error(
        "transact_write_items",
        service_error_code="TransactionCanceledException",
        modeled_fields={
            "CancellationReasons": [{"Code": "ConditionalCheckFailed"}, {"Code": "None"}]
        },
    )
    stubber.add_client_error(
        "transact_write_items",
        service_error_code="TransactionCanceledException",
        modeled_fields={"CancellationReasons": [{"Code": "TransactionConflict"}, {"Code": "None"}]},
    )
    with pytest.raises(Conflict):
        storage.keys.replace_key(key("0000000000000001"), expected_status="active")
    with pytest.raises(Unavailable):
        storage.keys.replace_key(key("0000000000000001"), expected_status="active")


def test_unprocessed_identities_are_retried(stubbed_ddb: tuple[Repositories, Stubber]) -> None:
    storage, stubber = stubbed_ddb
    leftover = {
        TABLE: [
            {
                "PutRequest": {
                    "Item": {"pk": {"S": "ID#" + "0" * 64}, "sk": {"S": "A"}},
                }
            }
        ]
    }
    stubber.add_response("batch_write_item", {"UnprocessedItems": leftover}, {"RequestItems": ANY})
    stubber.add_response("batch_write_item", {"UnprocessedItems": {}}, {"RequestItems": leftover})
    storage.identities.put_identities([identity(0), identity(1)])


def test_identities_left_unprocessed_make_the_import_unavailable(
    stubbed_ddb: tuple[Repositories, Stubber],
) -> None:
    storage, stubber = stubbed_ddb
    leftover = {TABLE: [{"PutRequest": {"Item": {"pk": {"S": "ID#x"}, "sk": {"S": "A"}}}}]}
    for _ in range(6):  # the default bound on attempts
        stubber.add_response(
            "batch_write_item", {"UnprocessedItems": leftover}, {"RequestItems": ANY}
        )
    with pytest.raises(Unavailable, match="1 identity records unwritten"):
        storage.identities.put_identities([identity(0)])


def test_connection_failure_is_unavailable(aws_credentials: None) -> None:
    client = boto3.client(
        "dynamodb",
        region_name=REGION,
        endpoint_url="http://127.0.0.1:9",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=1),
    )
    with pytest.raises(Unavailable) as info:
        open_dynamodb(TABLE, client).documents.get_document("a" * 26)
    assert info.value.__cause__ is not None


# DynamoDB against moto


def test_list_keys_follows_pagination(ddb: Any) -> None:
    pages: list[int] = []
    ddb.meta.events.register(
        "after-call.dynamodb.Query", lambda parsed, **_: pages.append(len(parsed["Items"]))
    )
    storage = open_dynamodb(TABLE, ddb, page_size=25)
    kids = [f"{i:016x}" for i in range(120)]
    for kid in reversed(kids):  # retired: an issuer has one active key
        storage.keys.create_key(dataclasses.replace(key(kid, "UBND-A"), status="retired"))
    storage.keys.create_key(key("ffffffffffffffff", "UBND-B"))

    listed = storage.keys.list_keys("UBND-A")
    assert [k.kid for k in listed] == kids
    assert len(pages) >= 5

    everything = storage.keys.list_keys()
    assert [(k.issuer, k.kid) for k in everything] == [("UBND-A", kid) for kid in kids] + [
        ("UBND-B", "ffffffffffffffff")
    ]
    # The default (1 MB pages) returns them all as well.
    assert len(open_dynamodb(TABLE, ddb).keys.list_keys("UBND-A")) == 120


def test_list_issuers_follows_pagination(ddb: Any) -> None:
    storage = open_dynamodb(TABLE, ddb, page_size=7)
    codes = [f"UBND-{i:03d}" for i in range(30)]
    for code in reversed(codes):
        storage.issuers.create_issuer(issuer(code))
    assert [i.code for i in storage.issuers.list_issuers()] == codes


def test_list_keys_of_one_issuer_is_exact(ddb: Any) -> None:
    storage = open_dynamodb(TABLE, ddb)
    storage.keys.create_key(key("0000000000000001", "UBND-A"))
    storage.keys.create_key(key("0000000000000002", "UBND-A#X"))
    storage.keys.create_key(key("0000000000000003", "UBND-AB"))
    assert [k.kid for k in storage.keys.list_keys("UBND-A")] == ["0000000000000001"]
    assert [k.issuer for k in storage.keys.list_keys()] == ["UBND-A", "UBND-A#X", "UBND-AB"]


def test_replace_key_keeps_the_listing_in_step(ddb: Any) -> None:
    storage = open_dynamodb(TABLE, ddb)
    storage.keys.create_key(key("0000000000000001"))
    revoked = dataclasses.replace(
        key("0000000000000001"), status="revoked", revoked_at=T0, revocation_reason="leak"
    )
    storage.keys.replace_key(revoked, expected_status="active")
    assert storage.keys.list_keys("UBND-A") == [revoked]
    assert storage.keys.list_keys() == [revoked]
    moved = dataclasses.replace(revoked, issuer="UBND-B")
    with pytest.raises(Conflict):
        storage.keys.replace_key(moved, expected_status="revoked")
    assert storage.keys.list_keys() == [revoked]


def test_item_layout(ddb: Any) -> None:
    storage = open_dynamodb(TABLE, ddb)
    storage.keys.create_key(key("0011223344556677"))
    storage.documents.create_document(document())
    storage.identities.put_identities([identity(1)])
    storage.counters.next_counter("UBND-A/1")

    def raw(pk: str, sk: str = "A") -> dict[str, Any]:
        item: dict[str, Any] = ddb.get_item(
            TableName=TABLE, Key={"pk": {"S": pk}, "sk": {"S": sk}}, ConsistentRead=True
        )["Item"]
        return item

    main = raw("KEY#0011223344556677")
    assert main["entity"] == {"S": "key"}
    assert main["gsi1pk"] == {"S": "KEYS#UBND-A"} and main["gsi1sk"] == {"S": "0011223344556677"}
    assert main["public_key_der"] == {"B": key("0011223344556677").public_key_der}
    assert raw("KEYS", "UBND-A#0011223344556677")["entity"] == {"S": "key-index"}

    doc = raw("DOC#" + "a" * 26)
    assert doc["entity"] == {"S": "document"}
    assert doc["gsi1pk"] == {"S": "DOCS#KID#0011223344556677"}
    assert doc["gsi1sk"] == {"S": f"{T0.isoformat()}#{'a' * 26}"}
    assert doc["holder_ref"] == {"S": HOLDER_REF}
    assert doc["status_index"] == {"N": "7"}
    assert doc["expires_at"] == {"NULL": True}

    assert raw(f"ID#{1:064x}")["entity"] == {"S": "identity"}
    counter = raw("COUNTER#UBND-A/1")
    assert counter["entity"] == {"S": "counter"} and counter["value"] == {"N": "1"}

    by_kid = ddb.query(
        TableName=TABLE,
        IndexName="gsi1",
        KeyConditionExpression="gsi1pk = :p",
        ExpressionAttributeValues={":p": {"S": "DOCS#KID#0011223344556677"}},
    )["Items"]
    assert [i["id"]["S"] for i in by_kid] == ["a" * 26]


def test_identity_import_with_a_repeated_holder_keeps_the_last(ddb: Any) -> None:
    storage = open_dynamodb(TABLE, ddb)
    first = identity(3)
    last = dataclasses.replace(first, status="deceased")
    storage.identities.put_identities([first, *(identity(i) for i in range(30)), last])
    assert storage.identities.get_identity(first.holder_ref) == last


# KmsCustody


def test_kms_signature_verifies_with_the_public_key(kms: Any) -> None:
    custody = KmsCustody(kms, alias_prefix="alias/docseal-test")
    created = custody.create_key("UBND-A")
    public = serialization.load_der_public_key(custody.public_key(created.ref))
    assert isinstance(public, ec.EllipticCurvePublicKey)
    message = b"\x84jSignature1" + bytes(range(256)) * 15  # 3851 bytes
    signature = custody.sign(created.ref, message)
    assert len(signature) == 64
    assert cose.verify_raw_signature(public, signature, message)
    assert not cose.verify_raw_signature(public, signature, message[:-1])
    at_limit = b"x" * MAX_RAW_MESSAGE
    assert cose.verify_raw_signature(public, custody.sign(created.ref, at_limit), at_limit)


def test_kms_key_spec_tags_and_alias(kms: Any) -> None:
    custody = KmsCustody(kms, alias_prefix="alias/docseal-test")
    created = custody.create_key("UBND Hà Nội/01")
    meta = kms.describe_key(KeyId=created.ref)["KeyMetadata"]
    assert meta["KeySpec"] == "ECC_NIST_P256"
    assert meta["KeyUsage"] == "SIGN_VERIFY"
    tags = {t["TagKey"]: t["TagValue"] for t in kms.list_resource_tags(KeyId=created.ref)["Tags"]}
    assert tags["docseal"] == "signing"
    assert tags["docseal:label"] == "UBND Hà Nội/01"
    aliases = [
        a["AliasName"]
        for a in kms.list_aliases(KeyId=created.ref)["Aliases"]
        if a.get("TargetKeyId") == created.ref
    ]
    assert len(aliases) == 1
    assert re.fullmatch(r"alias/docseal-test/UBND-H-N-i-01-[0-9a-f]{8}", aliases[0])


def test_kms_message_over_4096_bytes_is_refused_before_calling(aws_credentials: None) -> None:
    client = boto3.client("kms", region_name=REGION)
    with Stubber(client):  # no responses queued: any call would fail the test
        custody = KmsCustody(client)
        with pytest.raises(BadRequest):
            custody.sign("some-key", b"x" * (MAX_RAW_MESSAGE + 1))
        with pytest.raises(BadRequest):
            custody.sign("some-key", b"")


def test_kms_throttling_is_unavailable(aws_credentials: None) -> None:
    client = boto3.client("kms", region_name=REGION)
    with Stubber(client) as stubber:
        stubber.add_client_error(
            "sign",
            service_error_code="ThrottlingException",
            http_status_code=400,
            expected_params={
                "KeyId": "some-key",
                "Message": b"message",
                "MessageType": "RAW",
                "SigningAlgorithm": "ECDSA_SHA_256",
            },
        )
        with pytest.raises(Unavailable) as info:
            KmsCustody(client).sign("some-key", b"message")
        assert isinstance(info.value.__cause__, ClientError)
        stubber.assert_no_pending_responses()


@pytest.mark.parametrize(
    "code", ["DisabledException", "KMSInvalidStateException", "InvalidKeyUsageException"]
)
def test_unusable_kms_key_is_unavailable(aws_credentials: None, code: str) -> None:
    client = boto3.client("kms", region_name=REGION)
    with Stubber(client) as stubber:
        stubber.add_client_error("sign", service_error_code=code)
        with pytest.raises(Unavailable):
            KmsCustody(client).sign("some-key", b"message")


def test_unknown_kms_key_is_not_found(kms: Any) -> None:
    custody = KmsCustody(kms)
    with pytest.raises(NotFound):
        custody.public_key("00000000-0000-0000-0000-000000000000")
    with pytest.raises(NotFound):
        custody.sign("00000000-0000-0000-0000-000000000000", b"x")


def test_public_keys_are_cached(kms: Any) -> None:
    custody = KmsCustody(kms)
    created = custody.create_key("UBND-A")
    with Stubber(kms):  # no responses queued: a KMS call would fail the test
        assert custody.public_key(created.ref) == created.public_key_der


def test_a_view_claim_is_one_conditional_update_and_no_read(ddb: Any) -> None:
    """DynamoDB, not this adapter, makes claims atomic: so a claim must be a
    single conditional UpdateItem, never a read followed by a write."""
    from chalicelib.domain.models import ShareLink

    storage = open_dynamodb(TABLE, ddb)
    storage.links.create_link(
        ShareLink(
            id="l" * 26,
            token_hash="ab" * 32,
            doc_id="a" * 26,
            holder_ref="f" * 64,
            created_at=T0,
            expires_at=T0 + dt.timedelta(days=7),
            disclose=(),
            recipient=None,
            max_views=1,
        )
    )
    calls: list[tuple[str, dict[str, Any]]] = []
    ddb.meta.events.register(
        "provide-client-params.dynamodb.*",
        lambda params, model, **_: calls.append((model.name, params)),
    )
    now = T0 + dt.timedelta(hours=1)
    assert storage.links.claim_view("l" * 26, now) is not None
    assert storage.links.claim_view("l" * 26, now) is None
    assert [name for name, _ in calls] == ["UpdateItem", "UpdateItem"]
    assert all("#views < #max" in params["ConditionExpression"] for _, params in calls)


def test_kms_adopts_a_key_by_alias_and_refuses_one_that_cannot_sign_es256(kms: Any) -> None:
    custody = KmsCustody(kms, alias_prefix="alias/docseal-test")
    made = kms.create_key(KeySpec="ECC_NIST_P256", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
    kms.create_alias(AliasName="alias/docseal-test/trust-root", TargetKeyId=made["KeyId"])
    adopted = custody.adopt("alias/docseal-test/trust-root")
    assert adopted.ref == made["KeyId"]
    assert adopted.public_key_der == bytes(kms.get_public_key(KeyId=made["KeyId"])["PublicKey"])
    for spec, usage in (("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT"), ("RSA_2048", "SIGN_VERIFY")):
        other = kms.create_key(KeySpec=spec, KeyUsage=usage)["KeyMetadata"]["KeyId"]
        with pytest.raises(BadRequest) as info:
            custody.adopt(other)
        assert info.value.code == "KEY_NOT_USABLE"
    kms.disable_key(KeyId=made["KeyId"])
    with pytest.raises(BadRequest) as info:
        custody.adopt(made["KeyId"])
    assert info.value.code == "KEY_NOT_USABLE"
    with pytest.raises(NotFound):
        custody.adopt("alias/docseal-test/none")
