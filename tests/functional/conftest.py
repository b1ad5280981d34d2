"""A real docseal on a temporary DOCSEAL_HOME: SQLite file, encrypted keystore,
dev identity provider, with a fixed clock, seeded with one issuer and people."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from chalice.test import Client

from app import app
from chalicelib import bootstrap
from chalicelib.config import Settings
from tests.support import BIRTH_FIELDS, HOLDER_ID, T0, FixedClock

ISSUER = "UBND-DICHVONGHAU"
PEOPLE = [
    {
        "id_number": HOLDER_ID,
        "full_name": "Nguyễn Thị Hồng Nhung",
        "dob": "2025-03-14",
        "gender": "female",
        "status": "active",
    },
    {
        "id_number": "001090004567",
        "full_name": "Trần Văn Nam",
        "dob": "1990-05-17",
        "gender": "male",
        "status": "active",
    },
    {
        "id_number": "001145003344",
        "full_name": "Đỗ Thị Lan",
        "dob": "1945-01-20",
        "gender": "female",
        "status": "deceased",
    },
]


@dataclasses.dataclass
class World:
    container: bootstrap.Container
    clock: FixedClock
    client: Client
    home: Path

    def token(self, role: str = "issuer", issuer: str | None = ISSUER, **kw: str) -> str:
        return self.container.dev_idp.mint(
            role, self.clock.now(), issuer_code=issuer if role == "issuer" else None, **kw
        )

    def auth(self, role: str = "issuer", issuer: str | None = ISSUER) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role, issuer)}"}


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


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    home = tmp_path / "home"
    clock = FixedClock(T0)
    c = bootstrap.reset(Settings(home=home, public_url="https://docseal.example.vn"), clock)
    c.admin.add_issuer(
        ISSUER,
        "Ủy ban nhân dân phường Dịch Vọng Hậu",
        "People's Committee of Dich Vong Hau Ward",
        ["birth-registration", "marital-status"],
        "Hà Nội",
    )
    c.admin.add_issuer(
        "CA-DICHVONGHAU", "Công an phường Dịch Vọng Hậu", "Ward Police", ["residence-confirmation"]
    )
    c.admin.create_key(ISSUER)
    c.admin.create_key("CA-DICHVONGHAU")
    c.admin.import_identities(PEOPLE)
    clock.advance(minutes=1)
    with Client(app) as client:
        yield World(c, clock, client, home)
    bootstrap.reset(Settings(home=tmp_path / "unused"))


def later(world: World, **kw: float) -> dt.datetime:
    world.clock.advance(**kw)
    return world.clock.now()
