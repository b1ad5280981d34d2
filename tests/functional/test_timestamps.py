"""Every time docseal shows has one form, ``2026-11-01T08:00:00Z`` (RFC 3339,
UTC, to the second): in every JSON answer of every route in Chalice's route
table and of every command of ``docseal`` that prints JSON.

Each answer is searched for strings that read as an ISO 8601 date-time, in
whatever form; each must be in the one form. A route or a command added
later fails here until it is called below (or listed as answering no JSON).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from app import app
from chalicelib import cli as docseal_cli
from tests.functional.conftest import ISSUER, OPERATOR, World, birth_request
from tests.functional.pages import FORM, desk_check, form_ticket
from tests.functional.test_cli import FIELDS, HOLDER, Cli
from tests.support import HOLDER_ID

ONE_FORM = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")

# Routes that answer a PNG, a PDF or a page, never JSON.
NOT_JSON_ROUTES = {
    ("GET", "/api/v1/documents/{doc_id}/qr.png"),
    ("GET", "/api/v1/documents/{doc_id}/result.pdf"),
    ("GET", "/api/v1/me/documents/{doc_id}/qr.png"),
    ("GET", "/api/v1/me/documents/{doc_id}/result.pdf"),
    ("GET", "/"),
    ("POST", "/"),
    ("GET", "/v"),
    ("GET", "/s/{token}"),
    ("POST", "/s/{token}"),
    ("GET", "/signin"),
    ("GET", "/signin/callback"),
    ("GET", "/me"),
    ("POST", "/me"),
    ("POST", "/me/links"),
    ("POST", "/me/links/{link_id}/revoke"),
    ("POST", "/signout"),
    ("GET", "/static/{name}"),
}
# Commands that print no JSON: a bare token, and the server's log.
NOT_JSON_COMMANDS = {"token", "serve"}


def is_timestamp(text: str) -> bool:
    """An ISO 8601 date-time in any form Python reads; a bare date is not one."""
    try:
        dt.date.fromisoformat(text)
        return False
    except ValueError:
        pass
    try:
        dt.datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def timestamps(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(where, text) of every string in a JSON value that reads as a date-time.

    An audit entry's ``details`` are left out: they are what a service
    recorded, shown verbatim because the entry's hash covers them
    (``test_audit_details_record_times_in_the_one_form``)."""
    if isinstance(value, dict):
        audit_entry = {"seq", "prev", "hash", "details"} <= value.keys()
        for key, item in value.items():
            if not (audit_entry and key == "details"):
                yield from timestamps(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from timestamps(item, f"{path}[{index}]")
    elif isinstance(value, str) and is_timestamp(value):
        yield path, value


def not_in_one_form(answers: dict[str, list[Any]]) -> tuple[list[str], int]:
    """The times not in the one form, as ``answer path: text``, and how many
    times there were in all."""
    found = [
        (name, where, text)
        for name, bodies in answers.items()
        for body in bodies
        for where, text in timestamps(body)
    ]
    return [f"{n} {w}: {t}" for n, w, t in found if not ONE_FORM.fullmatch(t)], len(found)


# The API ---------------------------------------------------------------------


def json_routes() -> set[tuple[str, str]]:
    """Every (method, path) of Chalice's route table that docseal answers itself
    (not its refusals of other methods, not the catch-all), less the non-JSON."""
    return {
        (method, path)
        for path, methods in app.routes.items()
        for method, entry in methods.items()
        if entry.view_function.__name__ not in ("refuse", "not_found")
    } - NOT_JSON_ROUTES


class Api:
    """Calls routes by their path in the route table, and keeps each answer."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.answers: dict[str, list[Any]] = {}

    def __call__(
        self,
        method: str,
        route: str,
        headers: dict[str, str],
        body: Any = None,
        status: int = 200,
        **params: str,
    ) -> Any:
        raw = None if body is None else json.dumps(body)
        response = getattr(self.world.client.http, method.lower())(
            route.format(**params),
            body=raw,
            headers={"Content-Type": "application/json", **headers},
        )
        assert response.status_code == status, (route, response.body[-500:])
        assert response.headers["Content-Type"].startswith("application/json"), route
        self.answers.setdefault(f"{method} {route}", []).append(response.json_body)
        return response.json_body


@pytest.mark.parametrize("world", ["local"], indirect=True)
def test_every_api_answer_shows_times_in_one_form(world: World) -> None:
    world.clock.advance(seconds=0.25)  # a real clock is never on the second
    world.container.trustlist.create_root(actor=OPERATOR)  # so that /trust carries the signed list
    api = Api(world)
    admin, issuer = world.auth("admin", None), world.auth()
    citizen = {"Authorization": f"Bearer {world.token('citizen', None, holder_id=HOLDER_ID)}"}

    api("GET", "/api/v1/health", {})
    api("GET", "/api/v1/trust", {})
    api("GET", "/api/v1/doctypes", {})
    first, second, third = (
        api("POST", "/api/v1/documents", issuer, birth_request(), 201) for _ in range(3)
    )
    api("POST", "/api/v1/verify", {}, {"qr_text": first["qr_text"]})

    api("GET", "/api/v1/me/documents", citizen)
    link = api("POST", "/api/v1/me/documents/{doc_id}/links", citizen, {}, 201, doc_id=first["id"])
    token = link["url"].rsplit("/s/", 1)[1]
    assert world.client.http.get(f"/s/{token}").status_code == 200  # a view in its log
    api("GET", "/api/v1/me/links", citizen)
    api("GET", "/api/v1/me/links/{link_id}", citizen, link_id=link["id"])
    api("DELETE", "/api/v1/me/links/{link_id}", citizen, link_id=link["id"])

    new_issuer = {"code": "SO-THU", "name_vi": "Sở thử", "types": ["marital-status"]}
    api("POST", "/api/v1/admin/issuers", admin, new_issuer, 201)
    doc_type = {
        "code": "giay-thu",
        "name_vi": "Giấy thử",
        "fields": [{"code": "so", "label_vi": "Số"}],
    }
    api("POST", "/api/v1/admin/doctypes", admin, doc_type, 201)
    action = "/api/v1/admin/issuers/{code}/{action}"
    api("POST", action, admin, {}, 201, code="SO-THU", action="create-key")
    api("POST", action, admin, {}, code=ISSUER, action="suspend")
    api("POST", action, admin, {}, code=ISSUER, action="reinstate")
    api("POST", action, admin, {}, 201, code=ISSUER, action="rotate-key")
    document_action = "/api/v1/admin/documents/{doc_id}/{action}"
    api("POST", document_action, admin, None, 201, doc_id=first["id"], action="reissue")
    api("POST", document_action, admin, {"reason": "x"}, doc_id=second["id"], action="revoke")
    old_key = {"kid": third["kid"]}
    api("POST", "/api/v1/admin/keys/{kid}/revoke", admin, {"reason": "leaked"}, **old_key)
    api("POST", "/api/v1/admin/keys/{kid}/reissue", admin, **old_key)
    agency = {"code": "BV-BACHMAI", "name": "Bệnh viện Bạch Mai"}
    api("POST", "/api/v1/admin/agencies", admin, agency, 201)
    api("GET", "/api/v1/admin/agencies", admin)
    officers = "/api/v1/admin/agencies/{code}/officers"
    officer = {"subject": "officer-demo", "name": "Nguyễn Thị Hoa"}
    api("POST", officers, admin, officer, 201, code="BV-BACHMAI")
    officer_action = officers + "/{subject}/{action}"
    at = {"code": "BV-BACHMAI", "subject": "officer-demo"}
    api("POST", officer_action, admin, {}, **at, action="disable")
    api("GET", officers, admin, code="BV-BACHMAI")  # with its disabled_at
    api("POST", officer_action, admin, {}, **at, action="enable")

    # The desk's receipt, downloaded as JSON: the one page route answering JSON.
    ticket = form_ticket(desk_check(world, third["qr_text"]), "/receipt")
    r = world.client.http.post(
        "/receipt", body=urlencode({"ticket": ticket, "format": "json"}), headers=FORM
    )
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    api.answers["POST /receipt"] = [r.json_body]

    api("GET", "/api/v1/audit", admin)

    called = {tuple(name.split(" ", 1)) for name in api.answers}
    assert called == json_routes(), "call each new JSON route here, or list it as not JSON"
    wrong, count = not_in_one_form(api.answers)
    assert not wrong, "\n".join(wrong)
    assert count > 50  # the search found the times: audit entries, keys, links, verdicts


@pytest.mark.parametrize("world", ["local"], indirect=True)
def test_audit_details_record_times_in_the_one_form(world: World) -> None:
    api = Api(world)
    admin = world.auth("admin", None)
    kid = api("POST", "/api/v1/documents", world.auth(), birth_request(), 201)["kid"]
    api("POST", "/api/v1/admin/keys/{kid}/revoke", admin, {"reason": "leaked"}, kid=kid)
    entries = api("GET", "/api/v1/audit", admin)["entries"]
    details = [t for e in entries for _, t in timestamps(e["details"])]
    assert details and all(ONE_FORM.fullmatch(t) for t in details), details


# The command line --------------------------------------------------------------


def json_commands(parser: argparse.ArgumentParser) -> set[str]:
    """Every command of ``docseal`` ("key revoke", "demo" ...) that prints JSON."""

    def walk(p: argparse.ArgumentParser) -> set[str]:
        found: set[str] = set()
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    inner = walk(sub)
                    found |= {f"{name} {i}" for i in inner} if inner else {name}
        return found

    return walk(parser) - NOT_JSON_COMMANDS


class Commands:
    """Runs ``docseal`` in a new process each time, and keeps each command's
    JSON lines."""

    def __init__(self, cli: Cli) -> None:
        self.cli = cli
        self.answers: dict[str, list[Any]] = {}

    def __call__(self, command: str, *args: str, exit_code: int = 0) -> list[Any]:
        p: subprocess.CompletedProcess[str] = self.cli.process(*command.split(), *args)
        assert p.returncode == exit_code, (command, p.stdout, p.stderr)
        lines = [json.loads(line) for line in p.stdout.splitlines()]
        self.answers.setdefault(command, []).extend(lines)
        return lines


def test_every_command_shows_times_in_one_form(tmp_path: Path) -> None:
    run = Commands(Cli(tmp_path / "home"))
    run("demo")
    run("issuer add", "SO-THU", "--name", "Sở thử", "--types", "marital-status")
    run("issuer list")
    run("issuer update", "SO-THU", "--area", "Hà Nội")
    run("issuer suspend", "SO-THU")
    run("issuer reinstate", "SO-THU")
    run("key create", "--issuer", "SO-THU")
    run("key list")
    run("doctype list")
    run("doctype add", "giay-thu", "--name", "Giấy thử", "--field", "so:Số")
    run("doctype note", "birth-registration", "--vi", "Căn cứ: NĐ 45/2020")
    people = tmp_path / "people.csv"
    people.write_text(
        "id_number,full_name,dob,gender,status\n"
        "001325012345,Nguyễn Thị Hồng Nhung,2025-03-14,female,active\n",
        encoding="utf-8",
    )
    run("identity import", str(people))
    run("agency add", "BV-BACHMAI", "--name", "Bệnh viện Bạch Mai")
    run("agency list")
    officer = ("--agency", "BV-BACHMAI", "--subject", "officer-1")
    run("officer add", *officer, "--name", "Nguyễn Thị Hoa")
    run("officer disable", *officer)
    run("officer list")  # with its disabled_at
    run("officer enable", *officer)

    issue = ("--issuer", ISSUER, "--type", "birth-registration", *HOLDER, *FIELDS)
    [first] = run("issue", *issue, "--out", str(tmp_path / "first"))
    [second] = run("issue", *issue, "--out", str(tmp_path / "second"))
    [third] = run("issue", *issue, "--out", str(tmp_path / "third"))
    run("verify", "--text", first["qr_text"])
    run("verify", str(tmp_path / "first" / "qr.png"))
    run("decode", str(tmp_path / "first" / "qr.png"))

    token = run.cli.process("token", "--role", "citizen", "--holder-id", HOLDER_ID).stdout.strip()
    [link] = run("link create", first["id"], "--token", token)
    run("link list", "--token", token)
    run("link revoke", link["id"], "--token", token)

    [old] = [k for k in run("key list", "--issuer", ISSUER) if k["status"] == "active"]
    run("key rotate", "--issuer", ISSUER)
    run("document reissue", first["id"])
    run("document revoke", second["id"], "--reason", "cấp nhầm")
    run("key documents", old["kid"])
    run("key revoke", old["kid"], "--reason", "leaked")
    run("key reissue", old["kid"])

    run("trust root", "create")
    run("trust root", "rotate")
    run("trust root", "list")
    run("trust export", "--out", str(tmp_path / "trust"))
    trust = ("--offline", "--trust", str(tmp_path / "trust"))
    run("verify", "--text", third["qr_text"], *trust, exit_code=1)  # its key is revoked

    run("audit verify")
    run("audit list", "--limit", "500")

    assert set(run.answers) == json_commands(docseal_cli.parser()), "run each new command here"
    wrong, count = not_in_one_form(run.answers)
    assert not wrong, "\n".join(wrong)
    assert count > 50
