"""Backing services failing under a request: the answer is 503 with
Retry-After, never VALID and never "not revoked", and nothing half-done is
stored. The failures come from fakes wrapping the real SQLite repositories,
keystore and file store (they raise what the AWS adapters raise for throttling or an
outage), not from mocks of the code under test."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chalice.test import Client

from app import app
from chalicelib import bootstrap
from chalicelib.config import Settings
from chalicelib.domain.intake import IntakeLimits
from chalicelib.errors import Unavailable
from tests.functional.conftest import ISSUER, OPERATOR, PEOPLE, birth_request
from tests.support import HOLDER_ID, T0, FixedClock


class Faulty:
    """Delegates to the real object; the methods named in ``failing`` raise
    Unavailable, as a throttled DynamoDB or an unreachable KMS does. With
    ``switch``, that other Faulty's ``failing`` decides (one set of failing
    methods for every repository of a storage)."""

    def __init__(self, real: Any, switch: Faulty | None = None) -> None:
        self._real = real
        self._switch = switch or self
        self.failing: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._real, name)
        if name in self._switch.failing and callable(attribute):

            def down(*args: Any, **kwargs: Any) -> Any:
                raise Unavailable(f"{name} failed (injected)")

            return down
        return attribute


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[tuple[Any, Faulty, Faulty, Client]]:
    clock = FixedClock(T0)
    settings = Settings(
        home=tmp_path / "home",
        public_url="https://docseal.example.vn",
        intake=IntakeLimits(max_file_bytes=6 * 1024 * 1024),
    )
    c = bootstrap.reset(settings, clock)
    storage, custody = Faulty(c.storage), Faulty(c.custody)
    repositories = {
        f.name: Faulty(getattr(c.storage, f.name), storage)
        for f in dataclasses.fields(c.storage)
        if f.name != "backend"
    }
    # before any service is built
    c.__dict__["storage"] = dataclasses.replace(c.storage, **repositories)
    c.__dict__["custody"] = custody
    c.__dict__["blobs"] = Faulty(c.blobs)  # the tests reach it as c.blobs
    c.issuers.add_issuer(
        ISSUER, "UBND phường Dịch Vọng Hậu", "Ward", ["birth-registration"], actor=OPERATOR
    )
    c.keyring.create_key(ISSUER, actor=OPERATOR)
    c.identities.import_identities(PEOPLE, actor=OPERATOR)
    clock.advance(minutes=1)
    with Client(app) as client:
        yield c, storage, custody, client
    bootstrap.reset(Settings(home=tmp_path / "unused"))


def issue(c: Any, client: Client, key: str | None = None) -> Any:
    token = c.dev_idp.mint("issuer", c.clock.now(), issuer_code=ISSUER)
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    if key:
        headers["Idempotency-Key"] = key
    return client.http.post("/api/v1/documents", body=json.dumps(birth_request()), headers=headers)


def verify(client: Client, text: str) -> Any:
    return client.http.post(
        "/api/v1/verify",
        body=json.dumps({"qr_text": text}),
        headers={"Content-Type": "application/json"},
    )


def test_a_throttled_status_lookup_is_503_never_valid(rig: Any) -> None:
    c, storage, _, client = rig
    text = issue(c, client).json_body["qr_text"]
    assert verify(client, text).json_body["verdict"] == "VALID"
    storage.failing = {"get_document"}
    r = verify(client, text)
    assert r.status_code == 503 and r.headers["Retry-After"]
    assert "VALID" not in r.body.decode() and r.json_body["error"]["code"] == "SERVICE_UNAVAILABLE"
    storage.failing = {"get_identity"}
    assert verify(client, text).status_code == 503


def test_kms_down_during_issuance_stores_nothing_and_a_retry_makes_one_document(rig: Any) -> None:
    c, _, custody, client = rig
    custody.failing = {"sign"}
    r = issue(c, client, key="order-42")
    assert r.status_code == 503 and r.headers["Retry-After"]
    ref = c.links.owner(c.tokens.principal(
        f"Bearer {c.dev_idp.mint('citizen', c.clock.now(), holder_id=HOLDER_ID)}", c.clock.now()
    ))  # fmt: skip
    assert c.storage.documents.list_documents(ref) == []
    custody.failing = set()
    first = issue(c, client, key="order-42")  # the Lambda retry, once KMS is back
    again = issue(c, client, key="order-42")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json_body["id"] == again.json_body["id"]
    assert [d.id for d in c.storage.documents.list_documents(ref)] == [first.json_body["id"]]


def test_kms_down_does_not_touch_verification(rig: Any) -> None:
    c, _, custody, client = rig
    text = issue(c, client).json_body["qr_text"]
    custody.failing = {"sign", "public_key", "create_key"}
    assert (
        verify(client, text).json_body["verdict"] == "VALID"
    )  # public keys come from the trust data


def test_s3_down_when_a_pdf_is_requested_is_503_and_a_retry_renders_and_keeps_it(
    rig: Any,
) -> None:
    c, _, _, client = rig
    blobs: Faulty = c.blobs
    doc = issue(c, client).json_body
    key, url = f"pdf/{doc['id']}.pdf", f"/api/v1/documents/{doc['id']}/result.pdf"
    auth = {
        "Authorization": f"Bearer {c.dev_idp.mint('issuer', c.clock.now(), issuer_code=ISSUER)}",
        "Accept": "application/pdf",
    }
    blobs.failing = {"get"}
    r = client.http.get(url, headers=auth)
    assert r.status_code == 503 and r.headers["Retry-After"]
    assert r.json_body["error"]["code"] == "SERVICE_UNAVAILABLE"
    assert blobs._real.get(key) is None  # nothing rendered, nothing kept

    blobs.failing = set()  # S3 is back; the client retries after Retry-After
    first = client.http.get(url, headers=auth)
    assert first.status_code == 200 and first.body.startswith(b"%PDF")
    assert blobs._real.get(key) == first.body

    blobs.failing = {"put"}  # a second request is served from the kept copy, not rendered
    again = client.http.get(url, headers=auth)
    assert again.status_code == 200 and again.body == first.body


def test_an_upload_over_the_apis_limit_is_the_apps_own_413(rig: Any) -> None:
    _, _, _, client = rig
    body = b"\x89PNG\r\n\x1a\n" + b"\0" * (7 * 1024 * 1024)
    r = client.http.post("/api/v1/verify", body=body, headers={"Content-Type": "image/png"})
    assert r.status_code == 413 and r.json_body["error"]["code"] == "FILE_TOO_LARGE"
