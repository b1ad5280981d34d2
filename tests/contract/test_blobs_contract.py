"""The Blobs contract, run against every adapter (see conftest), then each
adapter's own failures: a backing service that is down is ``Unavailable``
(503 with Retry-After at the API), never a missing file and never a library
exception."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from botocore.stub import Stubber

from chalicelib.adapters.local_blobs import LocalBlobs
from chalicelib.adapters.s3_blobs import S3Blobs
from chalicelib.errors import BadRequest, Unavailable
from chalicelib.ports import Blobs
from tests.contract.conftest import BUCKET, REGION

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n\x00\xff binary \r\n trailer\n%%EOF\n"
KEY = "pdf/d-0123456789abcdef.pdf"

BAD_KEYS = [
    "",
    "/pdf/a.pdf",  # absolute
    "pdf/a.pdf/",  # trailing slash
    "pdf//a.pdf",  # empty segment
    "../escape.pdf",
    "pdf/../../escape.pdf",
    "pdf/..",
    "pdf/a..pdf",  # ".." anywhere
    "./pdf/a.pdf",
    "pdf/./a.pdf",
    "pdf\\a.pdf",
    "pdf/a b.pdf",
    "pdf/a.pdf\x00",
    "pdf/tài-liệu.pdf",
    "pdf/a.pdf?versionId=1",
    "x" * 513,
]


# The contract


def test_an_absent_key_reads_as_none(blobs: Blobs) -> None:
    assert blobs.get(KEY) is None
    assert blobs.get("never/written/anywhere.bin") is None


@pytest.mark.parametrize(
    "body", [PDF, b"", bytes(range(256)) * 4096], ids=["pdf", "empty", "one-mib"]
)
def test_put_then_get_returns_the_exact_bytes(blobs: Blobs, body: bytes) -> None:
    blobs.put(KEY, body, "application/pdf")
    assert blobs.get(KEY) == body


def test_put_replaces_what_was_stored(blobs: Blobs) -> None:
    blobs.put(KEY, PDF, "application/pdf")
    blobs.put(KEY, b"%PDF-1.7 second rendering", "application/pdf")
    assert blobs.get(KEY) == b"%PDF-1.7 second rendering"


def test_keys_are_distinct(blobs: Blobs) -> None:
    blobs.put("pdf/a.pdf", b"a", "application/pdf")
    blobs.put("pdf/b.pdf", b"b", "application/pdf")
    blobs.put("other/a.pdf", b"other", "application/pdf")
    blobs.put("a.pdf", b"top", "application/pdf")
    assert [blobs.get(k) for k in ("pdf/a.pdf", "pdf/b.pdf", "other/a.pdf", "a.pdf")] == [
        b"a",
        b"b",
        b"other",
        b"top",
    ]


@pytest.mark.parametrize("key", BAD_KEYS, ids=repr)
def test_a_bad_key_is_a_bad_request_for_reading_and_writing(blobs: Blobs, key: str) -> None:
    with pytest.raises(BadRequest):
        blobs.get(key)
    with pytest.raises(BadRequest):
        blobs.put(key, PDF, "application/pdf")


def test_a_refused_key_writes_nothing(blobs: Blobs, tmp_path: Path) -> None:
    before = sorted(tmp_path.rglob("*"))
    for key in BAD_KEYS:
        with pytest.raises(BadRequest):
            blobs.put(key, PDF, "application/pdf")
    assert sorted(tmp_path.rglob("*")) == before
    assert blobs.get("escape.pdf") is None


# The S3 adapter: what it stores, and its failures


@pytest.fixture
def s3(aws_env: None) -> Iterator[S3Blobs]:
    client = boto3.client("s3", region_name=REGION)
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    yield S3Blobs(BUCKET, client)


def test_s3_objects_carry_their_content_type_and_are_encrypted(s3: S3Blobs) -> None:
    s3.put(KEY, PDF, "application/pdf")
    head = boto3.client("s3", region_name=REGION).head_object(Bucket=BUCKET, Key=KEY)
    assert head["ContentType"] == "application/pdf"
    assert head["ServerSideEncryption"] == "AES256"
    assert head["ContentLength"] == len(PDF)


def test_s3_without_a_bucket_name_is_unavailable_not_a_library_error(aws_env: None) -> None:
    blobs = S3Blobs("", boto3.client("s3", region_name=REGION))
    with pytest.raises(Unavailable, match="DOCSEAL_BUCKET"):
        blobs.get(KEY)
    with pytest.raises(Unavailable, match="DOCSEAL_BUCKET"):
        blobs.put(KEY, PDF, "application/pdf")


@pytest.mark.parametrize("operation", ["get_object", "put_object"])
def test_s3_slowing_down_is_unavailable_naming_the_operation_not_the_key(
    aws_env: None, operation: str
) -> None:
    client = boto3.client("s3", region_name=REGION)
    secret_key = "pdf/holder-nguyen-thi-hong-nhung.pdf"
    with Stubber(client) as stubber:
        stubber.add_client_error(
            operation,
            service_error_code="SlowDown",
            service_message="Please reduce your request rate.",
            http_status_code=503,
        )
        blobs = S3Blobs(BUCKET, client)
        with pytest.raises(Unavailable) as info:
            if operation == "get_object":
                blobs.get(secret_key)
            else:
                blobs.put(secret_key, PDF, "application/pdf")
        stubber.assert_no_pending_responses()
    assert info.value.http_status == 503 and info.value.code == "SERVICE_UNAVAILABLE"
    assert operation in info.value.message and "SlowDown" in info.value.message
    assert "nguyen" not in info.value.message and "pdf/" not in info.value.message
    assert isinstance(info.value.__cause__, ClientError)


def test_s3_access_denied_is_unavailable_not_absent(aws_env: None) -> None:
    client = boto3.client("s3", region_name=REGION)
    with Stubber(client) as stubber:
        stubber.add_client_error("get_object", "AccessDenied", http_status_code=403)
        with pytest.raises(Unavailable, match="AccessDenied"):
            S3Blobs(BUCKET, client).get(KEY)


def test_s3_unreachable_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = boto3.client(
        "s3",
        region_name=REGION,
        endpoint_url="http://127.0.0.1:9",  # discard port: nothing listens
        config=Config(connect_timeout=1, read_timeout=1, retries={"total_max_attempts": 1}),
    )
    blobs = S3Blobs(BUCKET, client)
    with pytest.raises(Unavailable) as info:
        blobs.get(KEY)
    assert isinstance(info.value.__cause__, BotoCoreError)
    with pytest.raises(Unavailable):
        blobs.put(KEY, PDF, "application/pdf")


# The local adapter: atomic writes, and its failures


def test_local_writes_leave_no_temporary_files(tmp_path: Path) -> None:
    blobs = LocalBlobs(tmp_path / "files")
    blobs.put(KEY, PDF, "application/pdf")
    blobs.put(KEY, b"%PDF again", "application/pdf")
    assert [p.name for p in (tmp_path / "files" / "pdf").iterdir()] == [Path(KEY).name]


def test_local_root_that_is_a_file_is_unavailable(tmp_path: Path) -> None:
    root = tmp_path / "files"
    root.write_bytes(b"not a directory")
    blobs = LocalBlobs(root)
    with pytest.raises(Unavailable) as info:
        blobs.get(KEY)
    assert info.value.http_status == 503 and "read" in info.value.message
    assert KEY not in info.value.message and str(tmp_path) not in info.value.message
    with pytest.raises(Unavailable) as info:
        blobs.put(KEY, PDF, "application/pdf")
    assert "write" in info.value.message and str(tmp_path) not in info.value.message
    assert root.read_bytes() == b"not a directory"


def test_local_failed_replace_is_unavailable_and_cleans_up(tmp_path: Path) -> None:
    blobs = LocalBlobs(tmp_path / "files")
    blobs.put("pdf/a.pdf", PDF, "application/pdf")
    with pytest.raises(Unavailable):
        blobs.put("pdf", PDF, "application/pdf")  # "pdf" is a directory here
    assert sorted(p.name for p in (tmp_path / "files").iterdir()) == ["pdf"]
    assert blobs.get("pdf/a.pdf") == PDF
