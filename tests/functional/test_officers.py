"""Officer accounts per agency (issue 14) through the doors: the admin API on
SQLite and on DynamoDB (moto), the ``docseal agency`` / ``docseal officer``
commands as processes, and sign-in through the local OpenID Connect provider
refusing a disabled officer's next request."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chalicelib import bootstrap
from tests.functional.conftest import OPERATOR, World
from tests.idp import OTHER_OFFICER

from .test_api import error_code, post
from .test_cli import Cli
from .test_signin import session_headers, sign_in

AGENCIES = "/api/v1/admin/agencies"
BACHMAI = "BV-BACHMAI"
NAME = "Bệnh viện Bạch Mai"
OFFICERS = f"{AGENCIES}/{BACHMAI}/officers"
SUBJECT = "officer-demo"
HOA = {"subject": SUBJECT, "name": "Nguyễn Thị Hoa", "email": "hoa@bachmai.vn"}


def admin(world: World) -> dict[str, str]:
    return world.auth("admin", None)


def get(world: World, path: str, headers: dict[str, str]) -> Any:
    return world.client.http.get(path, headers=headers)


def with_bachmai(world: World) -> None:
    r = post(world, AGENCIES, {"code": BACHMAI, "name": NAME}, admin(world))
    assert r.status_code == 201, r.body
    r = post(world, OFFICERS, HOA, admin(world))
    assert r.status_code == 201, r.body


# The API ------------------------------------------------------------------------


def test_administrators_add_list_disable_and_enable_officers(world: World) -> None:
    r = post(world, AGENCIES, {"code": BACHMAI, "name": f"  {NAME} "}, admin(world))
    assert r.status_code == 201
    assert r.json_body == {
        "code": BACHMAI,
        "name": NAME,
        "status": "active",
        "created_at": "2026-11-01T08:01:00Z",
    }
    assert get(world, AGENCIES, admin(world)).json_body == {"agencies": [r.json_body]}

    r = post(world, OFFICERS, HOA, admin(world))
    assert r.status_code == 201
    added = r.json_body
    assert added == {
        "agency": BACHMAI,
        "subject": SUBJECT,
        "name": "Nguyễn Thị Hoa",
        "email": "hoa@bachmai.vn",
        "status": "active",
        "created_at": "2026-11-01T08:01:00Z",
        "disabled_at": None,
    }
    assert get(world, OFFICERS, admin(world)).json_body == {"officers": [added]}
    assert world.container.officers.officer_agency(SUBJECT) == (BACHMAI, NAME)

    world.clock.advance(hours=1)
    r = post(world, f"{OFFICERS}/{SUBJECT}/disable", None, admin(world))
    assert r.status_code == 200
    assert (r.json_body["status"], r.json_body["disabled_at"]) == (
        "disabled",
        "2026-11-01T09:01:00Z",
    )
    assert world.container.officers.officer_agency(SUBJECT) is None
    [listed] = get(world, OFFICERS, admin(world)).json_body["officers"]
    assert listed["status"] == "disabled"

    r = post(world, f"{OFFICERS}/{SUBJECT}/enable", {}, admin(world))
    assert r.status_code == 200 and r.json_body == added
    assert world.container.officers.officer_agency(SUBJECT) == (BACHMAI, NAME)

    trail = [
        e
        for e in world.container.audit.entries()
        if e.action.split(".")[0] in ("agency", "officer")
    ]
    assert [(e.action, e.target) for e in trail] == [
        ("agency.add", BACHMAI),
        ("officer.add", SUBJECT),
        ("officer.disable", SUBJECT),
        ("officer.enable", SUBJECT),
    ]
    assert all(e.actor.startswith("admin") for e in trail)
    assert "Hoa" not in str(trail) and "bachmai.vn" not in str(trail)


def test_an_officer_without_email_and_with_a_provider_style_subject(world: World) -> None:
    with_bachmai(world)
    subject = "auth0|5f1c2d9e"
    r = post(
        world, OFFICERS, {"subject": subject, "name": "Lê Văn Bình", "email": None}, admin(world)
    )
    assert r.status_code == 201 and r.json_body["email"] is None
    r = post(world, f"{OFFICERS}/auth0%7C5f1c2d9e/disable", {}, admin(world))
    assert r.status_code == 200 and r.json_body["subject"] == subject
    assert world.container.officers.officer_agency(subject) is None


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"code": "bv-bachmai", "name": NAME}, 422, "INVALID_AGENCY_CODE"),
        ({"code": "BV BACHMAI", "name": NAME}, 422, "INVALID_AGENCY_CODE"),
        ({"code": "BV\u0000", "name": NAME}, 422, "INVALID_AGENCY_CODE"),
        ({"code": BACHMAI, "name": ""}, 400, "MISSING_FIELD"),
        ({"code": BACHMAI}, 400, "MISSING_FIELD"),
        ({"code": BACHMAI, "name": "   "}, 422, "INVALID_NAME"),
        ({"code": BACHMAI, "name": "B" * 201}, 422, "INVALID_NAME"),
        ({"code": BACHMAI, "name": "Bệnh viện\u0000"}, 422, "INVALID_NAME"),
        ({"code": BACHMAI, "name": ["Bệnh viện"]}, 400, "MISSING_FIELD"),
        ("[]", 400, "BAD_JSON"),
    ],
)
def test_a_bad_agency_is_refused_with_its_code(
    world: World, body: Any, status: int, code: str
) -> None:
    r = post(world, AGENCIES, body, admin(world))
    assert (r.status_code, error_code(r)) == (status, code), r.body
    assert get(world, AGENCIES, admin(world)).json_body == {"agencies": []}


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({**HOA, "subject": ""}, 400, "MISSING_FIELD"),
        ({**HOA, "subject": "officer demo"}, 422, "INVALID_SUBJECT"),
        ({**HOA, "subject": "officer\u0000"}, 422, "INVALID_SUBJECT"),
        ({**HOA, "subject": "x" * 256}, 422, "INVALID_SUBJECT"),
        ({**HOA, "name": ""}, 400, "MISSING_FIELD"),
        ({**HOA, "name": "H" * 129}, 422, "INVALID_NAME"),
        ({**HOA, "name": "Hoa\u0000"}, 422, "INVALID_NAME"),
        ({**HOA, "email": "hoa"}, 422, "INVALID_EMAIL"),
        ({**HOA, "email": 42}, 400, "BAD_REQUEST"),
    ],
)
def test_a_bad_officer_is_refused_with_its_code(
    world: World, body: dict[str, Any], status: int, code: str
) -> None:
    post(world, AGENCIES, {"code": BACHMAI, "name": NAME}, admin(world))
    r = post(world, OFFICERS, body, admin(world))
    assert (r.status_code, error_code(r)) == (status, code), r.body
    assert get(world, OFFICERS, admin(world)).json_body == {"officers": []}


def test_unknown_duplicate_and_repeated_are_refused_with_their_codes(world: World) -> None:
    with_bachmai(world)
    unknown = f"{AGENCIES}/BV-02/officers"
    cases = [
        (
            post(world, AGENCIES, {"code": BACHMAI, "name": "Khác"}, admin(world)),
            409,
            "AGENCY_EXISTS",
        ),
        (post(world, OFFICERS, HOA, admin(world)), 409, "OFFICER_EXISTS"),
        (post(world, unknown, HOA, admin(world)), 404, "UNKNOWN_AGENCY"),
        (get(world, unknown, admin(world)), 404, "UNKNOWN_AGENCY"),
        (get(world, f"{AGENCIES}/bv-bachmai/officers", admin(world)), 404, "UNKNOWN_AGENCY"),
        (post(world, f"{unknown}/{SUBJECT}/disable", {}, admin(world)), 404, "UNKNOWN_AGENCY"),
        (post(world, f"{OFFICERS}/nobody/disable", {}, admin(world)), 404, "UNKNOWN_OFFICER"),
        (
            post(world, f"{OFFICERS}/{SUBJECT}/enable", {}, admin(world)),
            409,
            "OFFICER_ALREADY_ACTIVE",
        ),
        (post(world, f"{OFFICERS}/{SUBJECT}/delete", {}, admin(world)), 404, "NOT_FOUND"),
    ]
    for r, status, code in cases:
        assert (r.status_code, error_code(r)) == (status, code), r.body
    # the same subject in another agency: still one account per subject
    post(world, AGENCIES, {"code": "BV-01", "name": "Bệnh viện Đa khoa Dịch Vọng"}, admin(world))
    r = post(world, f"{AGENCIES}/BV-01/officers", HOA, admin(world))
    assert (r.status_code, error_code(r)) == (409, "OFFICER_EXISTS")
    r = post(world, f"{AGENCIES}/BV-01/officers/{SUBJECT}/disable", {}, admin(world))
    assert (r.status_code, error_code(r)) == (404, "UNKNOWN_OFFICER")

    first = post(world, f"{OFFICERS}/{SUBJECT}/disable", {}, admin(world)).json_body
    world.clock.advance(minutes=5)
    r = post(world, f"{OFFICERS}/{SUBJECT}/disable", {}, admin(world))
    assert (r.status_code, error_code(r)) == (409, "OFFICER_ALREADY_DISABLED")
    assert get(world, OFFICERS, admin(world)).json_body["officers"] == [first]


def test_only_administrators_may_and_refusals_are_on_the_trail(world: World) -> None:
    with_bachmai(world)
    citizen = {"Authorization": f"Bearer {world.token('citizen', None, holder_id='001325012345')}"}
    verifier = {
        "Authorization": "Bearer " + world.token("verifier", None, agency=BACHMAI, agency_name=NAME)
    }
    calls = [
        lambda h: get(world, AGENCIES, h),
        lambda h: post(world, AGENCIES, {"code": "BV-01", "name": "X"}, h),
        lambda h: get(world, OFFICERS, h),
        lambda h: post(world, OFFICERS, {**HOA, "subject": "other"}, h),
        lambda h: post(world, f"{OFFICERS}/{SUBJECT}/disable", {}, h),
        lambda h: post(world, f"{OFFICERS}/{SUBJECT}/enable", {}, h),
    ]
    for headers in (world.auth(), verifier, citizen):
        for call in calls:
            r = call(headers)
            assert (r.status_code, error_code(r)) == (403, "WRONG_ROLE"), r.body
    for call in calls:
        r = call({})
        assert (r.status_code, error_code(r)) == (401, "TOKEN_MISSING")
    denied = [e for e in world.container.audit.entries() if e.action == "access.denied"]
    assert len(denied) == 3 * len(calls)
    assert world.container.officers.officer_agency(SUBJECT) == (BACHMAI, NAME)
    assert [a["code"] for a in get(world, AGENCIES, admin(world)).json_body["agencies"]] == [
        BACHMAI
    ]


# Sign-in: a disabled officer's next request ---------------------------------------


@pytest.fixture
def directory_site(world: World, oidc_issuer: str) -> Iterator[World]:
    """The world with the local provider, officers taken from the officer
    accounts (not from the provider's claims), on the real time."""
    world.clock.current = dt.datetime.now(dt.UTC).replace(microsecond=0)
    settings = dataclasses.replace(
        world.container.settings,
        oidc_issuer=oidc_issuer,
        oidc_mapping='{"officer": {"source": "directory"}}',
    )
    yield dataclasses.replace(world, container=bootstrap.reset(settings, world.clock))


def test_a_disabled_officer_s_next_request_is_not_signed_in(directory_site: World) -> None:
    world = directory_site
    officers = world.container.officers
    officers.add_agency("BV-01", "Bệnh viện Đa khoa Dịch Vọng", actor=OPERATOR)
    officers.add_officer("BV-01", OTHER_OFFICER, "Lê Thị Lan", actor=OPERATOR)
    r, cookie = sign_in(world, OTHER_OFFICER)
    assert r.status_code == 303 and cookie
    home = world.client.http.get("/", headers=session_headers(cookie)).body.decode()
    assert "(BV-01)" in home

    r = post(world, f"{AGENCIES}/BV-01/officers/{OTHER_OFFICER}/disable", {}, admin(world))
    assert r.status_code == 200
    after = world.client.http.get("/", headers=session_headers(cookie)).body.decode()
    assert "(BV-01)" not in after
    r, cookie = sign_in(world, OTHER_OFFICER)  # nor can they sign in again
    assert r.status_code == 403 and cookie == ""


# The command line -----------------------------------------------------------------


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    return Cli(tmp_path_factory.mktemp("officers") / "home")


@pytest.fixture(scope="module")
def seeded_cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    """One home for the bad-value cases: agency BV-Y with the account ``taken``."""
    cli = Cli(tmp_path_factory.mktemp("officers-bad") / "home")
    assert run(cli, "agency", "add", "BV-Y", "--name", "Y")[0] == 0
    taken = ("officer", "add", "--agency", "BV-Y", "--subject", "taken", "--name", "N")
    assert run(cli, *taken)[0] == 0
    return cli


def run(cli: Cli, *args: str) -> tuple[int, list[Any]]:
    p = cli.process(*args)
    return p.returncode, [json.loads(line) for line in p.stdout.splitlines()]


def test_the_commands_add_list_disable_and_enable(cli: Cli) -> None:
    code, [agency] = run(cli, "agency", "add", BACHMAI, "--name", NAME)
    assert code == 0 and (agency["code"], agency["name"], agency["status"]) == (
        BACHMAI,
        NAME,
        "active",
    )
    run(cli, "agency", "add", "BV-01", "--name", "Bệnh viện Đa khoa Dịch Vọng")
    code, listed = run(cli, "agency", "list")
    assert code == 0 and [a["code"] for a in listed] == ["BV-01", BACHMAI]

    add = (
        "officer",
        "add",
        "--agency",
        BACHMAI,
        "--subject",
        "cli-officer",
        "--name",
        "Trần Văn Đức",
    )
    code, [account] = run(cli, *add, "--email", "duc@bachmai.vn")
    assert code == 0 and account["email"] == "duc@bachmai.vn" and account["status"] == "active"
    run(cli, "officer", "add", "--agency", "BV-01", "--subject", "cli-other", "--name", "Lan")
    code, everyone = run(cli, "officer", "list")
    assert [(a["agency"], a["subject"]) for a in everyone] == [
        ("BV-01", "cli-other"),
        (BACHMAI, "cli-officer"),
    ]
    code, mine = run(cli, "officer", "list", "--agency", BACHMAI)
    assert [a["subject"] for a in mine] == ["cli-officer"]

    change = ("--agency", BACHMAI, "--subject", "cli-officer")
    code, [off] = run(cli, "officer", "disable", *change)
    assert code == 0 and off["status"] == "disabled" and off["disabled_at"].endswith("Z")
    code, [error] = run(cli, "officer", "disable", *change)
    assert code == 2 and error["error"]["code"] == "OFFICER_ALREADY_DISABLED"
    code, [on] = run(cli, "officer", "enable", *change)
    assert code == 0 and on["status"] == "active" and on["disabled_at"] is None

    code, entries = run(cli, "audit", "list", "--limit", "500")
    actions = [(e["action"], e["target"]) for e in entries if e["action"].startswith("officer.")]
    assert actions[-2:] == [("officer.disable", "cli-officer"), ("officer.enable", "cli-officer")]


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("agency", "add", "bv-x", "--name", "X"), "INVALID_AGENCY_CODE"),
        (("agency", "add", "BV-X", "--name", " "), "INVALID_NAME"),
        (("agency", "add", "BV-X", "--name", "B" * 201), "INVALID_NAME"),
        (
            ("officer", "add", "--agency", "BV-NONE", "--subject", "s", "--name", "N"),
            "UNKNOWN_AGENCY",
        ),
        (
            ("officer", "add", "--agency", "BV-Y", "--subject", "a b", "--name", "N"),
            "INVALID_SUBJECT",
        ),
        (("officer", "add", "--agency", "BV-Y", "--subject", "s", "--name", ""), "INVALID_NAME"),
        (
            (
                "officer",
                "add",
                "--agency",
                "BV-Y",
                "--subject",
                "s",
                "--name",
                "N",
                "--email",
                "n@",
            ),
            "INVALID_EMAIL",
        ),
        (
            ("officer", "add", "--agency", "BV-Y", "--subject", "taken", "--name", "N"),
            "OFFICER_EXISTS",
        ),
        (("agency", "add", "BV-Y", "--name", "Y"), "AGENCY_EXISTS"),
        (("officer", "list", "--agency", "BV-NONE"), "UNKNOWN_AGENCY"),
        (("officer", "disable", "--agency", "BV-Y", "--subject", "nobody"), "UNKNOWN_OFFICER"),
        (("officer", "enable", "--agency", "BV-Y", "--subject", "taken"), "OFFICER_ALREADY_ACTIVE"),
    ],
)
def test_bad_values_end_the_command_with_exit_2_and_their_code(
    seeded_cli: Cli, args: tuple[str, ...], code: str
) -> None:
    status, [error] = run(seeded_cli, *args)
    assert (status, error["error"]["code"]) == (2, code)


def test_a_missing_option_is_a_usage_error(cli: Cli) -> None:
    p = cli.process("officer", "add", "--agency", BACHMAI, "--name", "N")
    assert p.returncode == 2 and "--subject" in p.stderr


def test_demo_seeds_the_agency_and_its_officer_once(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "home")
    for _ in range(2):  # seeding again keeps what exists
        code, [out] = run(cli, "demo")
        assert code == 0 and out["officers"] == [{"agency": "BV-01", "subject": "officer-demo"}]
    _, [account] = run(cli, "officer", "list")
    assert (account["agency"], account["subject"], account["status"]) == (
        "BV-01",
        "officer-demo",
        "active",
    )
    _, agencies = run(cli, "agency", "list")
    assert [(a["code"], a["name"]) for a in agencies] == [("BV-01", "Bệnh viện Đa khoa Dịch Vọng")]
