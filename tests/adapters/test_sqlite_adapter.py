"""SQLite-specific behaviour beyond the repository contracts."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from chalicelib.adapters.local_keystore import LocalKeystore
from chalicelib.adapters.sqlite import open_sqlite
from chalicelib.domain.models import Issuer
from chalicelib.errors import Unavailable
from chalicelib.ports import Counters


def test_counters_are_atomic_across_threads_and_connections(tmp_path: Path) -> None:
    # DynamoDB's ADD is atomic server-side; moto's emulation is not, so this
    # concurrency check runs on the adapter whose atomicity is ours to prove.
    opened = [open_sqlite(tmp_path / "db.sqlite3").counters for _ in range(4)]
    seen: list[int] = []
    lock = threading.Lock()

    def work(counters: Counters) -> None:
        for _ in range(25):
            value = counters.next_counter("shared")
            with lock:
                seen.append(value)

    threads = [threading.Thread(target=work, args=(s,)) for s in opened]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(seen) == list(range(100))


def test_state_survives_a_restart(tmp_path: Path) -> None:
    issuer = Issuer("UBND-A", "Ủy ban A", "Committee A", frozenset({"birth-registration"}))
    open_sqlite(tmp_path / "db.sqlite3").issuers.create_issuer(issuer)
    assert open_sqlite(tmp_path / "db.sqlite3").issuers.get_issuer("UBND-A") == issuer


def test_unopenable_database_is_unavailable(tmp_path: Path) -> None:
    (tmp_path / "db.sqlite3").mkdir()
    with pytest.raises(Unavailable):
        open_sqlite(tmp_path / "db.sqlite3")


def test_corrupt_database_is_unavailable(tmp_path: Path) -> None:
    issuers = open_sqlite(tmp_path / "db.sqlite3").issuers
    (tmp_path / "db.sqlite3").write_bytes(b"this is not a database" * 100)
    (tmp_path / "db.sqlite3-wal").unlink(missing_ok=True)
    with pytest.raises(Unavailable):
        issuers.get_issuer("UBND-A")


def test_keystore_survives_restart_and_needs_its_passphrase(tmp_path: Path) -> None:
    created = LocalKeystore(tmp_path / "ks", b"passphrase one").create_key("A")
    reopened = LocalKeystore(tmp_path / "ks", b"passphrase one")
    assert reopened.public_key(created.ref) == created.public_key_der
    assert len(reopened.sign(created.ref, b"message")) == 64
    with pytest.raises(Unavailable):
        LocalKeystore(tmp_path / "ks", b"wrong passphrase").sign(created.ref, b"message")
    pem = next((tmp_path / "ks").glob("*.pem")).read_bytes()
    assert b"ENCRYPTED PRIVATE KEY" in pem


def test_keystore_refuses_path_tricks(tmp_path: Path) -> None:
    from chalicelib.errors import NotFound

    store = LocalKeystore(tmp_path / "ks", b"p")
    for ref in ("../secrets", "k-../../etc/passwd", "", "k-0123"):
        with pytest.raises(NotFound):
            store.sign(ref, b"x")
