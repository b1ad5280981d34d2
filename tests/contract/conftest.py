"""Every adapter of a port runs the same contract suite.

Repositories: memory, SQLite (a real file) and DynamoDB (moto). KeyCustody: memory, the
local encrypted keystore and AWS KMS (moto, ECC_NIST_P256 / SIGN_VERIFY / RAW).
Blobs: memory, a directory and S3 (moto, a bucket in the test region).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from chalicelib.adapters.dynamodb import create_table, open_dynamodb
from chalicelib.adapters.kms_custody import KmsCustody
from chalicelib.adapters.local_blobs import LocalBlobs
from chalicelib.adapters.local_keystore import LocalKeystore
from chalicelib.adapters.memory import open_memory
from chalicelib.adapters.memory.blobs import MemoryBlobs
from chalicelib.adapters.memory.custody import MemoryCustody
from chalicelib.adapters.s3_blobs import S3Blobs
from chalicelib.adapters.sqlite import open_sqlite
from chalicelib.ports import Blobs, KeyCustody, Repositories

REGION = "ap-southeast-1"
BUCKET = "docseal-test-files"


@pytest.fixture(params=["memory", "sqlite", "dynamodb"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Repositories]:
    """Every repository of one backend, empty."""
    if request.param == "memory":
        yield open_memory()
        return
    if request.param == "sqlite":
        yield open_sqlite(tmp_path / "docseal.sqlite3")
        return
    request.getfixturevalue("aws_env")
    client = boto3.client("dynamodb", region_name=REGION)
    create_table(client, "docseal-test")
    yield open_dynamodb("docseal-test", client)


@pytest.fixture(params=["memory", "local", "kms"])
def custody(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[KeyCustody]:
    if request.param == "memory":
        yield MemoryCustody()
        return
    if request.param == "local":
        yield LocalKeystore(tmp_path / "keystore", b"correct horse battery staple")
        return
    request.getfixturevalue("aws_env")
    yield KmsCustody(boto3.client("kms", region_name=REGION), alias_prefix="alias/docseal-test")


@pytest.fixture(params=["memory", "local", "s3"])
def blobs(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Blobs]:
    if request.param == "memory":
        yield MemoryBlobs()
        return
    if request.param == "local":
        yield LocalBlobs(tmp_path / "files")
        return
    request.getfixturevalue("aws_env")
    client = boto3.client("s3", region_name=REGION)
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    yield S3Blobs(BUCKET, client)
