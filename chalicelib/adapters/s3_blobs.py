"""The AWS file store (``ports.Blobs``): one object per key in the stage's
bucket (``DOCSEAL_BUCKET``; see ``infra/docseal.yaml``, which blocks public
access, encrypts by default and expires ``pdf/`` objects).

Keys are checked by ``domain.blobkeys``, the same check as the local adapter.
Every object is written with its content type and ``ServerSideEncryption``
``AES256`` (explicit, so an object stays encrypted whatever the bucket's
default becomes). A missing object (``NoSuchKey``, or a 404) reads as None.
Every other failure becomes ``Unavailable``; the message names the operation
and AWS error code, never the key or the object's bytes.

Note that S3 answers a missing object with 404 only to a caller allowed
``s3:ListBucket`` on the bucket; without it the answer is 403 AccessDenied,
which this adapter reports as ``Unavailable``, not as absent.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.domain.blobkeys import check_key
from chalicelib.errors import Unavailable

_ABSENT = frozenset({"NoSuchKey", "404", "NotFound"})


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _status(exc: ClientError) -> int | None:
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return status if isinstance(status, int) else None


def _unavailable(operation: str, exc: Exception) -> Unavailable:
    code = _code(exc) if isinstance(exc, ClientError) else type(exc).__name__
    return Unavailable(f"the S3 file store failed ({operation}: {code or 'error'})")


class S3Blobs:
    def __init__(self, bucket: str, client: Any) -> None:
        """``client`` is a boto3 S3 client; ``bucket`` the bucket's name."""
        self.bucket = bucket
        self._client = client

    def _bucket(self) -> str:
        if not self.bucket:
            raise Unavailable("docseal is not configured: set DOCSEAL_BUCKET")
        return self.bucket

    def get(self, key: str) -> bytes | None:
        key = check_key(key)
        bucket = self._bucket()
        try:
            response = self._client.get_object(Bucket=bucket, Key=key)
        except ClientError as exc:
            if _code(exc) in _ABSENT or _status(exc) == 404:
                return None
            raise _unavailable("get_object", exc) from exc
        except BotoCoreError as exc:
            raise _unavailable("get_object", exc) from exc
        stream = response["Body"]
        try:
            body: bytes = stream.read()
        except BotoCoreError as exc:  # the connection dropped mid-body
            raise _unavailable("get_object", exc) from exc
        finally:
            stream.close()
        return body

    def put(self, key: str, body: bytes, content_type: str) -> None:
        key = check_key(key)
        bucket = self._bucket()
        try:
            self._client.put_object(
                Bucket=bucket,
                Key=key,
                Body=body,
                ContentType=content_type,
                ServerSideEncryption="AES256",
            )
        except (ClientError, BotoCoreError) as exc:
            raise _unavailable("put_object", exc) from exc
