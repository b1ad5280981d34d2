"""At most one active key per issuer, and one trust-list root, under any
interleaving (issue 11, part 9). Of N administrators creating a key at once,
exactly one succeeds; the others get 409 ``KEY_ALREADY_ACTIVE`` and leave no
key stored. The services look before they create, so these tests hold every
creator until all N have looked and made their custody key: what is left to
decide is the store's conditional write, which is what is under test.

SQLite is raced with real threads, each through its own connection to the
file (as separate processes would be). DynamoDB's atomicity is the service's and moto does not
lock between threads, so for it the tests check that a creation is one
conditional transaction which moto rejects when the issuer's marker exists.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest

from chalicelib.adapters.dynamodb import create_table, open_dynamodb
from chalicelib.adapters.dynamodb.keys import key_items
from chalicelib.adapters.sqlite import open_sqlite
from chalicelib.domain.catalogue import ROOT_ISSUER, SERVICE_ISSUER
from chalicelib.domain.models import SigningKey
from chalicelib.errors import Conflict, DocsealError
from chalicelib.ports import Clock, CustodyKey, KeyCustody, Repositories
from chalicelib.services.audit import AuditLog
from chalicelib.services.issuers import IssuerService
from chalicelib.services.keyring import KeyringService
from chalicelib.services.receipts import ReceiptService
from chalicelib.services.trustlist import TrustListService
from tests import builders
from tests.functional.conftest import ISSUER, OPERATOR, World

from .test_api import issue
from .test_cli import DOCSEAL, Cli

N = 8
NEW_ISSUER = "UBND-MOI"


class HeldCustody:
    """Key custody that, once a caller's key is made, holds it until all N
    callers have made theirs, so that every one of them has passed the
    services' own check before any key is stored. A fake around the real one."""

    def __init__(self, inner: KeyCustody, parties: int) -> None:
        self._inner = inner
        self.name = inner.name
        # the timeout only keeps a broken test from hanging; nothing is timed
        self._barrier = threading.Barrier(parties, timeout=120)

    def create_key(self, label: str) -> CustodyKey:
        made = self._inner.create_key(label)
        self._barrier.wait()
        return made

    def adopt(self, ref: str) -> CustodyKey:
        return self._inner.adopt(ref)

    def sign(self, ref: str, message: bytes) -> bytes:
        return self._inner.sign(ref, message)

    def public_key(self, ref: str) -> bytes:
        return self._inner.public_key(ref)


def at_once[T](calls: list[Callable[[], T]]) -> list[T | DocsealError]:
    """Run the calls on their own threads; each one's result or docseal error."""

    def run(call: Callable[[], T]) -> T | DocsealError:
        try:
            return call()
        except DocsealError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def one_winner(results: list[SigningKey | DocsealError]) -> SigningKey:
    wins = [r for r in results if isinstance(r, SigningKey)]
    losses = [r for r in results if not isinstance(r, SigningKey)]
    assert len(wins) == 1, results
    assert [(e.code, e.http_status) for e in losses] == [("KEY_ALREADY_ACTIVE", 409)] * (N - 1)
    return wins[0]


def administrators(
    world: World, custody: KeyCustody
) -> list[tuple[Repositories, IssuerService, KeyringService]]:
    """N administrators, each with its own storage as if in its own process."""
    c = world.container
    out = []
    for _ in range(N):
        storage = open_sqlite(world.home / "docseal.sqlite3")
        audit = AuditLog(storage.audit, c.clock)
        issuers = IssuerService(storage.issuers, c.trust, audit)
        keyring = KeyringService(
            storage.issuers, storage.keys, storage.documents, custody, c.clock, c.trust, audit
        )
        out.append((storage, issuers, keyring))
    return out


def trust_list(storage: Repositories, custody: KeyCustody, clock: Clock) -> TrustListService:
    return TrustListService(
        storage.issuers,
        storage.keys,
        storage.documents,
        storage.doc_types,
        custody,
        clock,
        AuditLog(storage.audit, clock),
    )


@pytest.mark.parametrize("world", ["local"], indirect=True)
def test_of_parallel_key_creations_exactly_one_wins(world: World) -> None:
    c = world.container
    c.issuers.add_issuer(
        NEW_ISSUER, "UBND mới", "New committee", ["birth-registration"], actor=OPERATOR
    )
    held = HeldCustody(c.custody, N)
    keyrings = [keyring for _, _, keyring in administrators(world, held)]
    winner = one_winner(
        at_once(
            [
                lambda k=k, i=i: k.create_key(NEW_ISSUER, actor=f"admin-{i}")
                for i, k in enumerate(keyrings)
            ]
        )
    )
    assert c.storage.keys.list_keys(NEW_ISSUER) == [winner]  # the losers stored nothing
    logged = [e for e in c.audit.entries() if e.details.get("issuer") == NEW_ISSUER]
    assert [(e.action, e.target) for e in logged] == [("key.create", winner.kid)]


@pytest.mark.parametrize("world", ["local"], indirect=True)
def test_of_parallel_root_creations_exactly_one_wins(world: World) -> None:
    c = world.container
    held = HeldCustody(c.custody, N)
    services = [
        trust_list(open_sqlite(world.home / "docseal.sqlite3"), held, c.clock) for _ in range(N)
    ]
    winner = one_winner(at_once([lambda s=s: s.create_root(actor=OPERATOR) for s in services]))
    assert c.storage.keys.list_keys(ROOT_ISSUER) == [winner]
    assert c.trustlist.publish().root_kid == winner.kid


@pytest.mark.parametrize("world", ["local"], indirect=True)
def test_receipts_racing_for_docseals_first_key_all_use_the_winners(world: World) -> None:
    c = world.container
    verdict = c.verifier.verify(issue(world)["qr_text"])
    assert c.storage.keys.list_keys(SERVICE_ISSUER) == []  # no receipt signed yet
    held = HeldCustody(c.custody, N)
    services = [
        ReceiptService(
            storage.keys,
            storage.counters,
            c.custody,
            issuers,
            keyring,
            c.verifier,
            c.clock,
            "https://docseal.example.vn",
        )
        for storage, issuers, keyring in administrators(world, held)
    ]
    receipts = at_once([lambda s=s: s.issue(verdict) for s in services])
    assert all(isinstance(r, str) for r in receipts), receipts
    [key] = c.storage.keys.list_keys(SERVICE_ISSUER)
    c.trust.invalidate()
    checked = [c.verifier.verify(r) for r in receipts]
    assert {(v.verdict, v.kid) for v in checked} == {("VALID", key.kid)}


@pytest.mark.parametrize("world", ["local"], indirect=True)
def test_a_rotation_retires_every_active_key_of_a_store_from_before_the_rule(
    world: World,
) -> None:
    """The state the race could leave before the fix, two active keys, is
    untangled by one rotation."""
    c = world.container
    [first] = c.storage.keys.list_keys(ISSUER)
    with sqlite3.connect(world.home / "docseal.sqlite3") as db:
        db.execute(
            "INSERT INTO keys SELECT ?, issuer, status, json_set(body, '$.kid', ?) "
            "FROM keys WHERE kid = ?",
            ("f" * 16, "f" * 16, first.kid),
        )
    assert [k.status for k in c.storage.keys.list_keys(ISSUER)] == ["active", "active"]
    new = c.keyring.rotate_key(ISSUER, actor=OPERATOR)
    statuses = {k.kid: k.status for k in c.storage.keys.list_keys(ISSUER)}
    assert statuses == {first.kid: "retired", "f" * 16: "retired", new.kid: "active"}


@pytest.mark.parametrize("world", ["local"], indirect=True)
def test_cli_key_and_root_creations_in_parallel_processes(world: World) -> None:
    """N ``docseal key create`` processes, then N ``docseal trust root create``:
    one of each prints its key, the others the error with its code."""
    cli = Cli(world.home)
    world.container.issuers.add_issuer(
        NEW_ISSUER, "UBND mới", "New", ["birth-registration"], actor=OPERATOR
    )
    for args in (["key", "create", "--issuer", NEW_ISSUER], ["trust", "root", "create"]):
        procs = [
            subprocess.Popen(
                [DOCSEAL, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli.env
            )
            for _ in range(N)
        ]
        outcomes = []
        for p in procs:
            out, err = p.communicate()
            assert b"Traceback" not in err, err
            outcomes.append((p.returncode, json.loads(out.decode().strip().splitlines()[-1])))
        wins = [body for code, body in outcomes if code == 0]
        assert len(wins) == 1, outcomes
        losses = [(code, body["error"]["code"]) for code, body in outcomes if code != 0]
        assert losses == [(2, "KEY_ALREADY_ACTIVE")] * (N - 1)
        owner = NEW_ISSUER if args[0] == "key" else ROOT_ISSUER
        assert [k.kid for k in world.container.storage.keys.list_keys(owner)] == [wins[0]["kid"]]


# DynamoDB: one conditional transaction, and tables from before the marker

REGION = "ap-southeast-1"
TABLE = "docseal-race-test"


@pytest.fixture
def ddb(aws_env: None) -> Any:
    client = boto3.client("dynamodb", region_name=REGION)
    create_table(client, TABLE)
    return client


def key(kid: str, status: str = "active", issuer: str = NEW_ISSUER) -> SigningKey:
    return builders.key(kid, issuer, status=status)


def writes(client: Any) -> list[tuple[str, dict[str, Any]]]:
    """Every write call the client makes from now on, with its parameters."""
    calls: list[tuple[str, dict[str, Any]]] = []
    client.meta.events.register(
        "provide-client-params.dynamodb.*",
        lambda params, model, **_: (
            calls.append((model.name, params))
            if model.name in ("PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems")
            else None
        ),
    )
    return calls


def raw(client: Any, pk: str, sk: str = "A") -> dict[str, Any] | None:
    item: dict[str, Any] | None = client.get_item(
        TableName=TABLE, Key={"pk": {"S": pk}, "sk": {"S": sk}}, ConsistentRead=True
    ).get("Item")
    return item


def test_a_dynamodb_key_creation_is_one_conditional_transaction(ddb: Any) -> None:
    keys = open_dynamodb(TABLE, ddb).keys
    calls = writes(ddb)
    keys.create_key(key("0000000000000001"))
    assert [name for name, _ in calls] == ["TransactWriteItems"]
    [marker] = [
        item["Put"]
        for item in calls[0][1]["TransactItems"]
        if item["Put"]["Item"]["pk"] == {"S": f"ACTIVE#{NEW_ISSUER}"}
    ]
    assert marker["ConditionExpression"] == "attribute_not_exists(pk)"
    assert marker["Item"]["kid"] == {"S": "0000000000000001"}

    calls.clear()
    with pytest.raises(Conflict) as lost:  # a creator that saw no active key
        keys.create_key(key("0000000000000002"))
    assert lost.value.code == "KEY_ALREADY_ACTIVE"
    assert [name for name, _ in calls] == ["TransactWriteItems"]  # rejected whole by moto
    assert raw(ddb, "KEY#0000000000000002") is None
    assert raw(ddb, "KEYS", f"{NEW_ISSUER}#0000000000000002") is None
    assert raw(ddb, f"ACTIVE#{NEW_ISSUER}")["kid"] == {"S": "0000000000000001"}  # type: ignore[index]


def test_dynamodb_rotation_and_revocation_keep_the_marker_in_step(ddb: Any) -> None:
    keys = open_dynamodb(TABLE, ddb).keys
    keys.create_key(key("0000000000000001"))
    keys.replace_key(key("0000000000000001", "retired"), expected_status="active")
    assert raw(ddb, f"ACTIVE#{NEW_ISSUER}") is None
    keys.create_key(key("0000000000000002"))
    keys.replace_key(key("0000000000000001", "revoked"), expected_status="retired")
    assert raw(ddb, f"ACTIVE#{NEW_ISSUER}")["kid"] == {"S": "0000000000000002"}  # type: ignore[index]
    keys.replace_key(key("0000000000000002", "revoked"), expected_status="active")
    assert raw(ddb, f"ACTIVE#{NEW_ISSUER}") is None
    keys.create_key(key("0000000000000003"))
    assert [k.kid for k in keys.list_keys(NEW_ISSUER) if k.status == "active"] == [
        "0000000000000003"
    ]


def legacy_key(client: Any, k: SigningKey) -> None:
    """A key as written before the marker existed: its two items, no marker."""
    for item in key_items(k):
        client.put_item(TableName=TABLE, Item=item)


def test_a_dynamodb_table_from_before_the_marker_keeps_the_rule(ddb: Any) -> None:
    keys = open_dynamodb(TABLE, ddb).keys
    legacy_key(ddb, key("0000000000000001"))
    with pytest.raises(Conflict) as second:
        keys.create_key(key("0000000000000002"))
    assert second.value.code == "KEY_ALREADY_ACTIVE"
    assert keys.get_key("0000000000000002") is None
    keys.replace_key(key("0000000000000001", "retired"), expected_status="active")
    keys.create_key(key("0000000000000002"))
    assert raw(ddb, f"ACTIVE#{NEW_ISSUER}")["kid"] == {"S": "0000000000000002"}  # type: ignore[index]

    # revoking an unmarked active key frees its issuer too
    legacy_key(ddb, key("00000000000000a1", issuer="UBND-CU"))
    keys.replace_key(key("00000000000000a1", "revoked", "UBND-CU"), expected_status="active")
    keys.create_key(key("00000000000000a2", issuer="UBND-CU"))


def test_a_dynamodb_table_holding_two_active_keys_is_untangled_key_by_key(ddb: Any) -> None:
    """The state the race could leave before the fix: two active keys, no
    marker. Nothing new can be made active until both have left."""
    keys = open_dynamodb(TABLE, ddb).keys
    legacy_key(ddb, key("0000000000000001"))
    legacy_key(ddb, key("0000000000000002"))
    with pytest.raises(Conflict):
        keys.create_key(key("0000000000000003"))
    marked = raw(ddb, f"ACTIVE#{NEW_ISSUER}")["kid"]["S"]  # type: ignore[index]
    other = "0000000000000002" if marked == "0000000000000001" else "0000000000000001"
    keys.replace_key(key(other, "revoked"), expected_status="active")  # the unmarked one
    assert raw(ddb, f"ACTIVE#{NEW_ISSUER}")["kid"] == {"S": marked}  # type: ignore[index]
    with pytest.raises(Conflict):
        keys.create_key(key("0000000000000003"))
    keys.replace_key(key(marked, "retired"), expected_status="active")
    keys.create_key(key("0000000000000003"))
    assert [k.kid for k in keys.list_keys(NEW_ISSUER) if k.status == "active"] == [
        "0000000000000003"
    ]
