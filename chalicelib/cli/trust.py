"""``docseal trust``: the root keys that sign the trust list, and the bundle
offline verifiers run from (``docseal verify --offline``)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from chalicelib import bootstrap
from chalicelib.cli.common import EXIT_OK, Commands, command, group, print_json, unwritable
from chalicelib.domain import views


def register_trust(commands: Commands) -> None:
    trust = group(commands, "trust", "the signed trust list")

    root = command(trust, "root", "the root key that signs trust lists", run_root)
    root.add_argument(
        "change",
        choices=("create", "rotate", "list"),
        help="create the first root key, rotate to a new one (the old one retires), or list them",
    )
    root.add_argument(
        "--key",
        help="use this key already in custody instead of making one "
        "(on AWS: the template's alias/docseal-<stage>/trust-root, or a new KMS key id)",
    )

    export = command(trust, "export", "write trust.jws and roots.json for offline use", run_export)
    export.add_argument("--out", required=True, help="the folder to write them in")


def run_root(a: argparse.Namespace) -> int:
    c = bootstrap.container()
    service = c.trustlist
    if a.change == "create":
        print_json(views.operator_key_view(service.create_root(a.key, actor=c.settings.actor)))
    elif a.change == "rotate":
        print_json(views.operator_key_view(service.rotate_root(a.key, actor=c.settings.actor)))
    else:
        for key in service.roots():
            print_json(views.operator_key_view(key))
    return EXIT_OK


def run_export(a: argparse.Namespace) -> int:
    service = bootstrap.container().trustlist
    published = service.publish()
    out = Path(a.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / "trust.jws").write_text(published.jws + "\n")
        (out / "roots.json").write_text(json.dumps(service.pinned_roots(), indent=2) + "\n")
    except OSError as exc:
        raise unwritable(out, exc) from exc
    print_json(views.trust_export_view(str(out), published))
    return EXIT_OK
