"""``docseal issuer``: the agencies that issue documents, and the document
types each may issue."""

from __future__ import annotations

import argparse

from chalicelib import bootstrap
from chalicelib.cli.common import EXIT_OK, Commands, command, group, list_arg, print_json
from chalicelib.domain import views

CODE = "the issuer's code: 2 to 64 characters A-Z, 0-9 and '-', e.g. UBND-DICHVONGHAU"
TYPES = "the document types it may issue: codes from `docseal doctype list`, comma-separated"


def register_issuer(commands: Commands) -> None:
    issuer = group(commands, "issuer", "issuing agencies")

    add = command(issuer, "add", "register an issuer and its document types", run_add)
    add.add_argument("code", help=CODE)
    add.add_argument("--name", required=True, help="its name in Vietnamese")
    add.add_argument("--name-en", help="its name in English (default: the Vietnamese name)")
    add.add_argument("--types", required=True, type=list_arg, help=TYPES)
    add.add_argument("--area", help="the area it serves, e.g. Hà Nội (default: none)")

    command(issuer, "list", "every issuer, one JSON line each", run_list)

    update = command(issuer, "update", "change names, area or document types", run_update)
    update.add_argument("code", help=CODE)
    update.add_argument("--name", help="its new name in Vietnamese")
    update.add_argument("--name-en", help="its new name in English (empty: the Vietnamese name)")
    update.add_argument("--area", help="the area it serves (empty: none)")
    update.add_argument("--types", type=list_arg, help=f"{TYPES}; replaces the list it had")

    for action, about in (
        ("suspend", "no new issuance; existing documents keep verifying"),
        ("reinstate", "allow issuance again"),
    ):
        change = command(issuer, action, about, run_set_status)
        change.add_argument("code", help=CODE)


def run_add(a: argparse.Namespace) -> int:
    c = bootstrap.container()
    issuer = c.issuers.add_issuer(
        a.code, a.name, a.name_en or a.name, a.types, a.area or "", actor=c.settings.actor
    )
    print_json(views.issuer_added_view(issuer))
    return EXIT_OK


def run_list(a: argparse.Namespace) -> int:
    for issuer in bootstrap.container().issuers.list_issuers():
        print_json(views.issuer_view(issuer))
    return EXIT_OK


def run_update(a: argparse.Namespace) -> int:
    c = bootstrap.container()
    issuer = c.issuers.update_issuer(
        a.code,
        name_vi=a.name,
        name_en=a.name_en,
        area=a.area,
        types=a.types,
        actor=c.settings.actor,
    )
    print_json(views.issuer_updated_view(issuer))
    return EXIT_OK


def run_set_status(a: argparse.Namespace) -> int:
    status = "suspended" if a.action == "suspend" else "active"
    c = bootstrap.container()
    issuer = c.issuers.set_issuer_status(a.code, status, actor=c.settings.actor)
    print_json(views.issuer_status_view(issuer))
    return EXIT_OK
