"""The ``docseal`` command: administration, issuance, verification, local server.

JSON on stdout. Exit 0 on success or a VALID verdict, 1 on an INVALID verdict,
2 on bad input or usage, 3 when a backing service failed, 141 (128 + SIGPIPE,
what a shell reports for a tool stopped by a closed pipe) when whoever reads
the output stopped reading, as ``head`` does.

One module per command group registers its subcommands together with their
handlers, which call the services of ``bootstrap.container()``; what they
share (exit codes, output, argument types) is in ``common``. The environment
is read by ``chalicelib.config`` only.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from chalicelib.cli import (
    agency,
    audit,
    doctype,
    document,
    identity,
    issuer,
    key,
    links,
    local,
    officer,
    trust,
    verify,
)
from chalicelib.cli.common import EXIT_PIPE_CLOSED, exit_code, print_json
from chalicelib.errors import DocsealError

# The commands, in the order ``docseal --help`` lists them.
COMMANDS = (
    issuer.register_issuer,
    key.register_key,
    audit.register_audit,
    document.register_document,
    identity.register_identity,
    document.register_issue,
    verify.register_verify,
    trust.register_trust,
    verify.register_decode,
    links.register_token,
    links.register_link,
    doctype.register_doctype,
    agency.register_agency,
    officer.register_officer,
    local.register_demo,
    local.register_serve,
)

# ``docseal serve``'s request handler, which tests run a server with.
_quiet_request_handler = local.quiet_request_handler


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="docseal", description=__doc__.split("\n")[0])
    p.add_argument("--version", action="version", version=f"docseal {_version()}")
    commands = p.add_subparsers(dest="command", required=True)
    for register in COMMANDS:
        register(commands)
    return p


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("docseal")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def _run(argv: Sequence[str] | None) -> int:
    args = parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except DocsealError as exc:
        print_json(exc.to_dict())
        return exit_code(exc)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    try:
        try:
            code = _run(argv)
        finally:  # also after argparse's --help, --version or usage error
            sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (``docseal issuer list | head -1``). Point stdout
        # at /dev/null so that the interpreter's last flush does not complain.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_PIPE_CLOSED
    return code
