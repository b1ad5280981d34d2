"""Values the command line refuses, found by review: each ends the command
with exit 2 and a JSON error or a usage error, never a traceback (``Cli``
asserts that), and nothing is signed or stored."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from .test_cli import FIELDS, HOLDER, Cli

ISSUE = ["issue", "--issuer", "UBND-DICHVONGHAU", "--type", "birth-registration"]


@pytest.fixture(scope="module")
def home_cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    home = tmp_path_factory.mktemp("cli-bad") / "home"
    c = Cli(home)
    csv = home.parent / "people.csv"
    csv.write_text(
        "id_number,full_name,dob,gender,status\n"
        "001325012345,Nguyễn Thị Hồng Nhung,2025-03-14,female,active\n",
        encoding="utf-8",
    )
    assert c.run("issuer", "add", "UBND-DICHVONGHAU", "--name", "UBND", "--types",
                 "birth-registration")[0] == 0  # fmt: skip
    assert c.run("key", "create", "--issuer", "UBND-DICHVONGHAU")[0] == 0
    assert c.run("identity", "import", str(csv))[0] == 0
    return c


def documents(cli: Cli) -> int:
    with sqlite3.connect(Path(cli.env["DOCSEAL_HOME"]) / "docseal.sqlite3") as db:
        return int(db.execute("SELECT count(*) FROM documents").fetchone()[0])


def usage_error(cli: Cli, *args: str) -> str:
    p = cli.process(*args)
    assert p.returncode == 2 and "error: argument" in p.stderr, (p.returncode, p.stderr)
    return p.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--expires", "2027-W11-5"],
        ["--expires", "20270314"],
        ["--holder-dob", "2025-W11-5"],
        ["--holder-dob", "٢٠٢٥-٠٣-١٤"],
    ],
)
def test_an_issue_with_a_date_not_written_yyyy_mm_dd_is_a_usage_error(
    home_cli: Cli, tmp_path: Path, args: list[str]
) -> None:
    before = documents(home_cli)
    usage_error(home_cli, *ISSUE, *HOLDER, *FIELDS, "--out", str(tmp_path), *args)
    assert documents(home_cli) == before


@pytest.mark.parametrize("expires", ["9999-12-31", "2200-01-01"])
def test_an_expiry_past_the_longest_validity_is_refused(
    home_cli: Cli, tmp_path: Path, expires: str
) -> None:
    before = documents(home_cli)
    code, body = home_cli.run(
        *ISSUE, *HOLDER, *FIELDS, "--out", str(tmp_path), "--expires", expires
    )
    assert (code, body["error"]["code"]) == (2, "INVALID_EXPIRY")
    assert documents(home_cli) == before


def test_an_issue_into_an_unwritable_folder_signs_nothing(home_cli: Cli) -> None:
    before = documents(home_cli)
    code, body = home_cli.run(*ISSUE, *HOLDER, *FIELDS, "--out", "/proc/docseal-cannot-write")
    assert (code, body["error"]["code"]) == (2, "OUT_UNWRITABLE")
    assert documents(home_cli) == before


@pytest.mark.parametrize(
    "when", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2025-W11-5T10:00:00"]
)
def test_a_time_with_no_utc_instant_is_a_usage_error(home_cli: Cli, when: str) -> None:
    code, key = home_cli.run("key", "list")
    assert code == 0
    usage_error(home_cli, "key", "revoke", key["kid"], "--reason", "x", "--effective", when)
    usage_error(home_cli, "verify", "--text", "x", "--at", when)
    assert home_cli.run("key", "list")[1]["status"] == "active"


@pytest.mark.parametrize("after", ["99999999999999999999", "9223372036854775808", "-1", "1e3"])
def test_an_audit_listing_after_no_possible_entry_is_a_usage_error(
    home_cli: Cli, after: str
) -> None:
    usage_error(home_cli, "audit", "list", "--after", after)


def test_an_audit_listing_after_the_last_possible_entry_is_empty(home_cli: Cli) -> None:
    p = home_cli.process("audit", "list", "--after", str(2**63 - 1))
    assert (p.returncode, p.stdout) == (0, "")


@pytest.mark.parametrize("ttl", ["9999999d", "36501d"])
def test_a_token_lasting_past_the_calendar_is_a_usage_error(home_cli: Cli, ttl: str) -> None:
    assert "at most 36500d" in usage_error(home_cli, "token", "--role", "admin", "--ttl", ttl)


@pytest.mark.parametrize("holder_id", ["123", "0013250123456", "٠٠١٣٢٥٠١٢٣٤٥"])
def test_a_citizen_token_for_no_possible_id_number_is_refused(
    home_cli: Cli, holder_id: str
) -> None:
    code, body = home_cli.run("token", "--role", "citizen", "--holder-id", holder_id)
    assert (code, body["error"]["code"]) == (2, "INVALID_ID_NUMBER")


@pytest.mark.parametrize("port", ["99999", "0", "-1", "http"])
def test_serve_on_no_possible_port_is_a_usage_error(home_cli: Cli, port: str) -> None:
    usage_error(home_cli, "serve", "--port", port)
