"""``docseal officer``: the officer accounts of each verifying agency. An
officer signs in through the OpenID Connect provider as a subject (the ID
token's ``sub``); when the claim mapping takes officers from this list, the
active account with that subject names the agency they act for."""

from __future__ import annotations

import argparse

from chalicelib import bootstrap
from chalicelib.cli.agency import CODE
from chalicelib.cli.common import EXIT_OK, Commands, command, group, print_json
from chalicelib.domain import views
from chalicelib.domain.officers import MAX_EMAIL, MAX_OFFICER_NAME, MAX_SUBJECT

SUBJECT = (
    f"the subject the provider signs the officer in as (the ID token's `sub`): "
    f"1 to {MAX_SUBJECT} printable ASCII characters, no blank, compared exactly"
)


def register_officer(commands: Commands) -> None:
    officer = group(commands, "officer", "officer accounts of the verifying agencies")

    add = command(officer, "add", "give an officer an account in an agency", run_add)
    add.add_argument("--agency", required=True, help=f"{CODE} (`docseal agency list`)")
    add.add_argument("--subject", required=True, help=f"{SUBJECT}; one account per subject")
    add.add_argument(
        "--name", required=True, help=f"the officer's name (1 to {MAX_OFFICER_NAME} characters)"
    )
    add.add_argument(
        "--email", help=f"their e-mail address, at most {MAX_EMAIL} characters (default: none)"
    )

    listing = command(
        officer, "list", "every account, by agency and subject, one JSON line each", run_list
    )
    listing.add_argument("--agency", help=f"only this agency's accounts: {CODE}")

    for action, about in (
        ("disable", "disable an account: the officer's next request is no longer signed in"),
        ("enable", "enable a disabled account again"),
    ):
        change = command(officer, action, about, run_change)
        change.add_argument("--agency", required=True, help=f"the account's agency: {CODE}")
        change.add_argument("--subject", required=True, help=SUBJECT)


def run_add(a: argparse.Namespace) -> int:
    c = bootstrap.container()
    account = c.officers.add_officer(
        a.agency, a.subject, a.name, a.email or "", actor=c.settings.actor
    )
    print_json(views.officer_view(account))
    return EXIT_OK


def run_list(a: argparse.Namespace) -> int:
    for account in bootstrap.container().officers.list_officers(a.agency):
        print_json(views.officer_view(account))
    return EXIT_OK


def run_change(a: argparse.Namespace) -> int:
    c = bootstrap.container()
    if a.action == "disable":
        account = c.officers.disable_officer(a.agency, a.subject, actor=c.settings.actor)
    else:
        account = c.officers.enable_officer(a.agency, a.subject, actor=c.settings.actor)
    print_json(views.officer_view(account))
    return EXIT_OK
