"""``docseal audit``: read the hash-chained audit trail and check that no
entry was changed or removed."""

from __future__ import annotations

import argparse

from chalicelib import bootstrap
from chalicelib.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    Commands,
    command,
    group,
    print_json,
    sequence_arg,
)
from chalicelib.domain import views


def register_audit(commands: Commands) -> None:
    audit = group(commands, "audit", "the hash-chained audit trail")

    command(audit, "verify", "check the chain; exit 1 at the first broken entry", run_verify)

    listing = command(audit, "list", "entries after a sequence number, oldest first", run_list)
    listing.add_argument(
        "--after",
        type=sequence_arg,
        default=0,
        help="the sequence number to start after (default 0: from the first entry)",
    )
    listing.add_argument(
        "--limit", type=int, default=100, help="at most this many entries (default 100)"
    )


def run_verify(a: argparse.Namespace) -> int:
    checked, broken = bootstrap.container().audit.verify()
    print_json({"ok": broken is None, "entries": checked, "first_broken": broken})
    return EXIT_OK if broken is None else EXIT_INVALID


def run_list(a: argparse.Namespace) -> int:
    for entry in bootstrap.container().audit.entries(a.after, a.limit):
        print_json(views.audit_view(entry))
    return EXIT_OK
