"""``docseal demo`` seeds demo issuers, keys, people and documents;
``docseal serve`` runs the pages and the API on this machine, as Lambda and
API Gateway run them (``make run`` does both)."""

from __future__ import annotations

import argparse
import errno
import functools
import sys
from pathlib import Path
from typing import Any

from chalicelib import bootstrap
from chalicelib.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    Commands,
    command,
    port_arg,
    print_json,
    unwritable,
    write_result,
)


def register_demo(commands: Commands) -> None:
    demo = command(
        commands,
        "demo",
        "seed demo issuers, keys, people and documents, and an agency with an officer account",
        run_demo,
    )
    demo.add_argument("--out", help="folder for the PNG and PDF (default DOCSEAL_HOME/demo)")


def register_serve(commands: Commands) -> None:
    serve = command(commands, "serve", "run the local server", run_serve)
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default 127.0.0.1: this machine only)",
    )
    serve.add_argument(
        "--port", type=port_arg, default=8000, help="the TCP port, 1 to 65535 (default 8000)"
    )


def run_demo(a: argparse.Namespace) -> int:
    from chalicelib.services.demo import AGENCY, OFFICER, seed

    c = bootstrap.container()
    out = Path(a.out) if a.out else c.settings.home / "demo"
    results = []
    seeded = seed(
        c.issuers, c.keyring, c.identities, c.issuing, actor=c.settings.actor, officers=c.officers
    )
    for demo, issued in seeded:
        folder = out / demo.name
        write_result(c, issued.qr_text, folder)
        try:
            (folder / "qr.txt").write_text(issued.qr_text + "\n")
        except OSError as exc:
            raise unwritable(folder, exc) from exc
        results.append({"name": demo.name, "id": issued.id, "folder": str(folder)})
    agency, _ = AGENCY
    officer = {"agency": agency, "subject": OFFICER[0]}
    print_json({"documents": results, "folder": str(out), "officers": [officer]})
    return EXIT_OK


def quiet_request_handler() -> type:
    """The local server's request handler. No access log line from
    ``http.server``: it writes the raw request line, and a share link's secret
    is in the path. ``chalicelib.http.correlate`` logs each request (route
    template, status) instead. Paths no route matches go to ``/{proxy+}``, as
    on API Gateway."""
    from http.server import BaseHTTPRequestHandler

    from chalice.local import ChaliceRequestHandler, LocalGateway

    from chalicelib.routes.local_gateway import serve_unmatched

    class QuietRequestHandler(ChaliceRequestHandler):
        def __init__(self, request: Any, client_address: Any, server: Any, **kw: Any) -> None:
            self.local_gateway = serve_unmatched(
                LocalGateway(kw["app_object"], kw["config"]), kw["app_object"]
            )
            BaseHTTPRequestHandler.__init__(self, request, client_address, server)

        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            return None

        def log_error(self, format: str, *args: Any) -> None:
            sys.stderr.write("docseal serve: refused a malformed HTTP request\n")

    return QuietRequestHandler


def run_serve(a: argparse.Namespace) -> int:
    from chalice.config import Config
    from chalice.local import create_local_server

    from app import app

    c = bootstrap.container()
    c.trust.snapshot()  # open the store and fail early if it cannot be read
    config = Config.create(chalice_stage="local")
    try:
        server = create_local_server(app, config, a.host, a.port)
    except OSError as exc:
        why = "is already in use" if exc.errno == errno.EADDRINUSE else f"failed: {exc.strerror}"
        sys.stderr.write(f"docseal serve: {a.host}:{a.port} {why}; choose another --port\n")
        return EXIT_BAD_INPUT
    server.server.RequestHandlerClass = functools.partial(
        quiet_request_handler(), app_object=app, config=config
    )
    sys.stderr.write(
        f"docseal is serving on http://{a.host}:{a.port}/ (state in {c.settings.home})\n"
    )
    sys.stderr.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return EXIT_OK
