"""``docseal key``: issuers' signing keys, from creation to revocation, and
the re-signing of what a revoked key signed."""

from __future__ import annotations

import argparse
from typing import Any

from chalicelib import bootstrap
from chalicelib.cli.common import (
    EXIT_OK,
    Commands,
    command,
    group,
    print_json,
    time_arg,
    writable_folder,
    write_result,
)
from chalicelib.domain import views
from chalicelib.errors import ErrorCode, NotFound

ISSUER = "the issuer's code"
KID = "the key's id (kid), as `docseal key list` shows it"


def register_key(commands: Commands) -> None:
    key = group(commands, "key", "signing keys")

    create = command(key, "create", "create the issuer's active signing key", run_create)
    create.add_argument("--issuer", required=True, help=ISSUER)

    listing = command(key, "list", "signing keys, one JSON line each", run_list)
    listing.add_argument("--issuer", help="only this issuer's keys (default: every issuer's)")

    rotate = command(key, "rotate", "new active key; the old one retires", run_rotate)
    rotate.add_argument("--issuer", required=True, help=ISSUER)

    revoke = command(key, "revoke", "compromise: documents under it become INVALID", run_revoke)
    revoke.add_argument("kid", help=KID)
    revoke.add_argument(
        "--reason", required=True, help="why, as verdicts will say it (1 to 200 characters)"
    )
    revoke.add_argument(
        "--effective",
        type=time_arg,
        help="when the compromise began, ISO 8601, UTC unless it names a zone "
        "(default now; not in the future, not before the key existed)",
    )

    documents = command(
        key, "documents", "the documents a key signed, with their status", run_documents
    )
    documents.add_argument("kid", help=KID)

    reissue = command(
        key,
        "reissue",
        "re-sign every valid document of a key with the issuer's active key",
        run_reissue,
    )
    reissue.add_argument("kid", help=KID)
    reissue.add_argument(
        "--out", help="a folder: write each new document's qr.png and result.pdf in OUT/ID"
    )


def run_create(a: argparse.Namespace) -> int:
    c = bootstrap.container()
    print_json(views.operator_new_key_view(c.keyring.create_key(a.issuer, actor=c.settings.actor)))
    return EXIT_OK


def run_list(a: argparse.Namespace) -> int:
    for key in bootstrap.container().keyring.list_keys(a.issuer):
        print_json(views.operator_key_view(key))
    return EXIT_OK


def run_rotate(a: argparse.Namespace) -> int:
    c = bootstrap.container()
    print_json(views.operator_key_view(c.keyring.rotate_key(a.issuer, actor=c.settings.actor)))
    return EXIT_OK


def run_revoke(a: argparse.Namespace) -> int:
    c = bootstrap.container()
    key = c.keyring.revoke_key(a.kid, a.reason, a.effective, actor=c.settings.actor)
    print_json(views.operator_key_view(key))
    return EXIT_OK


def run_documents(a: argparse.Namespace) -> int:
    """The documents a key signed, with their status: what a re-issue would touch."""
    for record in bootstrap.container().keyring.key_documents(a.kid):
        print_json(views.signed_by_key_view(record))
    return EXIT_OK


def run_reissue(a: argparse.Namespace) -> int:
    c = bootstrap.container()
    out = writable_folder(a.out)
    for old, new in c.issuing.reissue_key(a.kid, c.settings.actor):
        line: dict[str, Any] = {"superseded": old, "id": new}
        if out is not None:
            record = c.revocation.document(new)
            if record is None:  # it was stored a moment ago
                raise NotFound(f"no document {new}", code=ErrorCode.DOCUMENT_NOT_FOUND)
            write_result(c, c.issuing.qr_text(record), out / new)
            line["folder"] = str(out / new)
        print_json(line)
    return EXIT_OK
