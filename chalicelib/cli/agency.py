"""``docseal agency``: the verifying agencies whose officers check results
(their officer accounts: ``docseal officer``)."""

from __future__ import annotations

import argparse

from chalicelib import bootstrap
from chalicelib.cli.common import EXIT_OK, Commands, command, group, print_json
from chalicelib.domain import views
from chalicelib.domain.officers import MAX_AGENCY_NAME

CODE = (
    "the agency's code: 2 to 64 characters A-Z, 0-9 and '-', starting and ending "
    "with a letter or digit, e.g. BV-BACHMAI"
)


def register_agency(commands: Commands) -> None:
    agency = group(commands, "agency", "verifying agencies, whose officers check results")

    add = command(agency, "add", "register a verifying agency", run_add)
    add.add_argument("code", help=CODE)
    add.add_argument(
        "--name",
        required=True,
        help=f"its name in Vietnamese, as receipts print it (1 to {MAX_AGENCY_NAME} characters)",
    )

    command(agency, "list", "every agency, by code, one JSON line each", run_list)


def run_add(a: argparse.Namespace) -> int:
    c = bootstrap.container()
    agency = c.officers.add_agency(a.code, a.name, actor=c.settings.actor)
    print_json(views.agency_view(agency))
    return EXIT_OK


def run_list(a: argparse.Namespace) -> int:
    for agency in bootstrap.container().officers.list_agencies():
        print_json(views.agency_view(agency))
    return EXIT_OK
