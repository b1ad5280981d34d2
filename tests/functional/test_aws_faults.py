"""DynamoDB, S3 and KMS failing under a request, on the AWS adapters against the
moto server: the failures are injected into the real boto3 clients through
botocore's ``before-send`` hook in place of the HTTP exchange, so botocore
parses them and its standard-mode retries have their turn. The answer is 503 with Retry-After,
never VALID and never "not revoked"; nothing half-done is stored."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse

from tests.functional.conftest import World, birth_request

pytestmark = pytest.mark.parametrize("world", ["aws"], indirect=True)


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


class Outage:
    """Makes chosen operations of one boto3 client answer an AWS error in place
    of the HTTP exchange (botocore's ``before-send`` hook), so botocore parses
    it and retries it exactly as it would a real one."""

    def __init__(self, client: Any, status: int, body: str) -> None:
        self.status, self.body = status, body.encode()
        self.failing: Callable[[str, str], bool] = lambda op, body: False
        self.attempts = 0
        client.meta.events.register("before-send.*.*", self._before_send)

    def _before_send(self, request: Any, event_name: str, **_: Any) -> Any:
        body = request.body or b""
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
        if not self.failing(event_name.split(".")[-1], text):
            return None
        self.attempts += 1
        return AWSResponse(request.url, self.status, {}, _Raw(self.body))


def _doc_read(op: str, body: str) -> bool:
    """Reading a document's status (its item is keyed DOC#<id>)."""
    return op == "GetItem" and '"DOC#' in body


@pytest.fixture
def outages(world: World) -> Iterator[dict[str, Outage]]:
    c = world.container
    yield {
        "dynamodb": Outage(
            c.storage.documents.table.client,  # type: ignore[attr-defined]
            400,
            '{"__type": "com.amazonaws.dynamodb.v20120810#ThrottlingException",'
            ' "message": "Rate of requests exceeds the allowed throughput."}',
        ),
        "kms": Outage(
            c.custody._client,  # type: ignore[attr-defined]
            500,
            '{"__type": "KMSInternalException", "message": "injected"}',
        ),
        "s3": Outage(
            c.blobs._client,  # type: ignore[attr-defined]
            503,
            "<Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>",
        ),
    }


def _issue(world: World, key: str | None = None) -> Any:
    headers = {"Content-Type": "application/json", **world.auth()}
    if key:
        headers["Idempotency-Key"] = key
    return world.client.http.post(
        "/api/v1/documents", body=json.dumps(birth_request()), headers=headers
    )


def _verify(world: World, text: str) -> Any:
    return world.client.http.post(
        "/api/v1/verify",
        body=json.dumps({"qr_text": text}),
        headers={"Content-Type": "application/json"},
    )


def test_throttled_status_lookup_is_503_never_valid(
    world: World, outages: dict[str, Outage]
) -> None:
    issued = _issue(world).json_body
    outages["dynamodb"].failing = _doc_read
    r = _verify(world, issued["qr_text"])
    assert r.status_code == 503 and r.headers["Retry-After"]
    assert r.json_body["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert "VALID" not in json.dumps(r.json_body)
    assert outages["dynamodb"].attempts == 3  # botocore retried before giving up
    outages["dynamodb"].failing = lambda op, body: False
    assert _verify(world, issued["qr_text"]).json_body["verdict"] == "VALID"


def test_kms_down_during_issuance_stores_nothing_and_the_retry_makes_one(
    world: World, outages: dict[str, Outage]
) -> None:
    outages["kms"].failing = lambda op, body: op == "Sign"
    r = _issue(world, key="lambda-retry-1")
    assert r.status_code == 503 and r.headers["Retry-After"]
    assert world.stored("document") == 0
    outages["kms"].failing = lambda op, body: False
    first = _issue(world, key="lambda-retry-1")
    again = _issue(world, key="lambda-retry-1")  # a Lambda retry of the same request
    assert first.status_code == 201 and again.json_body["id"] == first.json_body["id"]
    assert world.stored("document") == 1


def test_kms_down_does_not_touch_verification(world: World, outages: dict[str, Outage]) -> None:
    issued = _issue(world).json_body
    outages["kms"].failing = lambda op, body: True
    r = _verify(world, issued["qr_text"])
    assert r.status_code == 200 and r.json_body["verdict"] == "VALID"
    assert outages["kms"].attempts == 0  # public keys come from the store, not KMS


def test_s3_down_when_a_pdf_is_asked_for_is_503_then_served(
    world: World, outages: dict[str, Outage]
) -> None:
    doc_id = _issue(world).json_body["id"]
    outages["s3"].failing = lambda op, body: True
    path = f"/api/v1/documents/{doc_id}/result.pdf"
    headers = {**world.auth(), "Accept": "application/pdf"}
    r = world.client.http.get(path, headers=headers)
    assert r.status_code == 503 and r.headers["Retry-After"]
    assert r.json_body["error"]["code"] == "SERVICE_UNAVAILABLE"
    outages["s3"].failing = lambda op, body: False
    again = world.client.http.get(path, headers=headers)
    assert again.status_code == 200 and again.body.startswith(b"%PDF")
    stored = world.container.blobs.get(f"pdf/{doc_id}.pdf")
    assert stored == again.body
