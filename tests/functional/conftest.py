"""A real docseal on a temporary DOCSEAL_HOME: SQLite file, encrypted keystore,
dev identity provider, with a fixed clock, seeded with one issuer and people."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from chalice.test import Client

from app import app
from chalicelib import bootstrap
from chalicelib.adapters.tokens import DevIdentityProvider
from chalicelib.config import Settings
from chalicelib.routes.local_gateway import serve_unmatched
from tests import aws_stack
from tests.support import BIRTH_FIELDS, HOLDER_ID, PEOPLE, T0, FixedClock

ISSUER = "UBND-DICHVONGHAU"
OPERATOR = "cli:test"  # who the operator's own actions (not a request's) are recorded as


@dataclasses.dataclass
class World:
    container: bootstrap.Container
    clock: FixedClock
    client: Client
    home: Path
    backend: str = "local"  # or "aws"

    def token(self, role: str = "issuer", issuer: str | None = ISSUER, **kw: str) -> str:
        return self.container.dev_idp.mint(
            role, self.clock.now(), issuer_code=issuer if role == "issuer" else None, **kw
        )

    def auth(self, role: str = "issuer", issuer: str | None = ISSUER) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role, issuer)}"}

    def _items(self) -> list[dict[str, Any]]:
        """Every item in the DynamoDB table, read straight from the moto server."""
        s = self.container.settings
        client = boto3.client("dynamodb", region_name=s.aws_region, endpoint_url=s.aws_endpoint_url)
        pages = client.get_paginator("scan").paginate(TableName=s.table_name)
        return [item for page in pages for item in page["Items"]]

    def stored(self, entity: str) -> int:
        """How many records of one kind ("document", "idempotency") are stored."""
        if self.backend == "aws":
            return sum(item["entity"]["S"] == entity for item in self._items())
        table = {"document": "documents", "idempotency": "idempotency"}[entity]
        with sqlite3.connect(self.home / "docseal.sqlite3") as db:
            return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def raw_storage(self) -> bytes:
        """Everything the store holds, as bytes to search."""
        if self.backend == "aws":
            raw = json.dumps(
                self._items(), ensure_ascii=False, default=lambda b: b.decode("latin-1")
            )
            return raw.encode()
        raw = (self.home / "docseal.sqlite3").read_bytes()
        wal = self.home / "docseal.sqlite3-wal"
        return raw + wal.read_bytes() if wal.exists() else raw


def birth_request(**changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "type": "birth-registration",
        "holder": {
            "id_number": HOLDER_ID,
            "full_name": "Nguyễn Thị Hồng Nhung",
            "dob": "2025-03-14",
        },
        "fields": dict(BIRTH_FIELDS),
    }
    body.update(changes)
    return body


@pytest.fixture(scope="session")
def moto_server() -> Iterator[aws_stack.MotoServer]:
    server = aws_stack.MotoServer()
    yield server
    server.stop()


def aws_settings(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, home: Path
) -> Settings:
    """docseal configured as the template configures the Lambda, its table, bucket
    and keys freshly provisioned in the session's moto server."""
    server: aws_stack.MotoServer = request.getfixturevalue("moto_server")
    for name, value in aws_stack.CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    server.reset()
    env = aws_stack.provision(server)
    home.mkdir(parents=True)
    jwks = home / "jwks.json"  # what an OpenID Connect provider publishes
    jwks.write_text(json.dumps(DevIdentityProvider(home, "docseal-dev", "docseal").jwks))
    return Settings.from_env(
        {
            **env,
            "DOCSEAL_HOME": str(home),
            "DOCSEAL_JWKS_FILE": str(jwks),
            "DOCSEAL_AWS_ENDPOINT_URL": server.url,
            "AWS_REGION": aws_stack.REGION,
            "DOCSEAL_MAX_FILE_BYTES": str(15 * 1024 * 1024),
            "DOCSEAL_ACTOR": "cli:test",
        }
    )


@pytest.fixture(params=["local", "aws"])
def world(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[World]:
    """The same docseal on SQLite and the local keystore, and on DynamoDB, S3 and
    KMS (the AWS adapters, against a moto server over HTTP)."""
    home = tmp_path / "home"
    clock = FixedClock(T0)
    if request.param == "aws":
        settings = aws_settings(request, monkeypatch, home)
    else:
        settings = Settings(home=home, public_url="https://docseal.example.vn", actor=OPERATOR)
    c = bootstrap.reset(settings, clock)
    c.issuers.add_issuer(
        ISSUER,
        "Ủy ban nhân dân phường Dịch Vọng Hậu",
        "People's Committee of Dich Vong Hau Ward",
        ["birth-registration", "marital-status"],
        "Hà Nội",
        actor=OPERATOR,
    )
    c.issuers.add_issuer(
        "CA-DICHVONGHAU",
        "Công an phường Dịch Vọng Hậu",
        "Ward Police",
        ["residence-confirmation"],
        actor=OPERATOR,
    )
    c.keyring.create_key(ISSUER, actor=OPERATOR)
    c.keyring.create_key("CA-DICHVONGHAU", actor=OPERATOR)
    c.identities.import_identities(PEOPLE, actor=OPERATOR)
    clock.advance(minutes=1)
    with Client(app) as client:
        # unknown paths reach /{proxy+}, as on API Gateway and `docseal serve`
        serve_unmatched(client.http._local_gateway, app)
        yield World(c, clock, client, home, request.param)
    bootstrap.reset(Settings(home=tmp_path / "unused"))


def later(world: World, **kw: float) -> dt.datetime:
    world.clock.advance(**kw)
    return world.clock.now()
