"""Every adapter of a port runs the same contract suite.

Store: SQLite (a real file) and DynamoDB (moto). KeyCustody: the local
encrypted keystore and AWS KMS (moto, ECC_NIST_P256 / SIGN_VERIFY / RAW).
Blobs: a directory and S3 (moto, a bucket in the test region).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from chalicelib.adapters.dynamo_store import DynamoStore
from chalicelib.adapters.kms_custody import KmsCustody
from chalicelib.adapters.local_blobs import LocalBlobs
from chalicelib.adapters.local_keystore import LocalKeystore
from chalicelib.adapters.s3_blobs import S3Blobs
from chalicelib.adapters.sqlite_store import SqliteStore
from chalicelib.ports import Blobs, KeyCustody, Store

REGION = "ap-southeast-1"
BUCKET = "docseal-test-files"


@pytest.fixture(params=["sqlite", "dynamodb"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        yield SqliteStore(tmp_path / "docseal.sqlite3")
        return
    request.getfixturevalue("aws_env")
    client = boto3.client("dynamodb", region_name=REGION)
    DynamoStore.create_table(client, "docseal-test")
    yield DynamoStore("docseal-test", client)


@pytest.fixture(params=["local", "kms"])
def custody(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[KeyCustody]:
    if request.param == "local":
        yield LocalKeystore(tmp_path / "keystore", b"correct horse battery staple")
        return
    request.getfixturevalue("aws_env")
    yield KmsCustody(boto3.client("kms", region_name=REGION), alias_prefix="alias/docseal-test")


@pytest.fixture(params=["local", "s3"])
def blobs(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Blobs]:
    if request.param == "local":
        yield LocalBlobs(tmp_path / "files")
        return
    request.getfixturevalue("aws_env")
    client = boto3.client("s3", region_name=REGION)
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    yield S3Blobs(BUCKET, client)
