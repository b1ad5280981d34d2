"""``docseal verify`` gives the verdict on a QR text, or on the codes in an
image or PDF, online or from an exported trust list alone; ``docseal decode``
prints every QR text in images or PDFs, docseal's or not."""

from __future__ import annotations

import argparse
import base64
import datetime as dt
from pathlib import Path
from typing import Any

from chalicelib import bootstrap
from chalicelib.cli.common import (
    EXIT_INVALID,
    EXIT_OK,
    Commands,
    command,
    print_json,
    read_bytes,
    time_arg,
)
from chalicelib.domain import inputs
from chalicelib.domain.views import decoded_view
from chalicelib.errors import BadRequest, DocsealError, ErrorCode
from chalicelib.services.verifying import VerifyService


def register_verify(commands: Commands) -> None:
    verify = command(
        commands, "verify", "verify a QR text, or the codes in an image or PDF", run_verify
    )
    verify.add_argument("file", nargs="?", help="a photo, screenshot, scan or PDF")
    verify.add_argument("--text", help="the QR text itself, instead of a FILE")
    verify.add_argument(
        "--holder-id",
        help="the 12-digit ID number of whoever presents it: the verdict says whether it is theirs",
    )
    verify.add_argument(
        "--at",
        type=time_arg,
        help="verify as of this time, ISO 8601, UTC unless it names a zone (default now)",
    )
    verify.add_argument(
        "--offline", action="store_true", help="use only an exported trust bundle (--trust)"
    )
    verify.add_argument("--trust", help="the folder `docseal trust export` wrote")
    verify.add_argument("--roots", help="pinned root keys (default: FOLDER/roots.json)")


def register_decode(commands: Commands) -> None:
    decode = command(commands, "decode", "print every QR text found in images or PDFs", run_decode)
    decode.add_argument(
        "files", nargs="+", metavar="FILE", help="an image or PDF; one JSON line for each"
    )


def run_verify(a: argparse.Namespace) -> int:
    c = bootstrap.container()
    if (a.text is None) == (a.file is None):
        raise BadRequest("give either --text QR_TEXT or a FILE", code=ErrorCode.BAD_USAGE)
    if a.offline and not a.trust:
        raise BadRequest("--offline needs --trust FOLDER", code=ErrorCode.BAD_USAGE)
    verifier = offline_verifier(c, a.trust, a.roots, a.at) if a.offline else c.verifier
    if a.text is not None:
        verdict = verifier.verify(a.text, a.holder_id, at=a.at)
        print_json(verdict.to_dict())
        return EXIT_OK if verdict.verdict == "VALID" else EXIT_INVALID
    try:
        files = c.offline_files(verifier) if a.offline else c.files
        data = read_bytes(a.file, c.settings.intake.max_file_bytes)
        result = files.verify_file(data, a.holder_id)
    finally:
        c.close()
    print_json({"file": a.file, **result.to_dict()})
    return EXIT_OK if result.verdict == "VALID" else EXIT_INVALID


def offline_verifier(
    c: bootstrap.Container, trust: str, roots: str | None, at: dt.datetime | None
) -> VerifyService:
    """A verifier over an exported trust bundle only: no store, no network;
    this reads the bundle's files, the container builds the verifier."""
    folder = Path(trust)
    try:
        jws = (folder / "trust.jws").read_text() if folder.is_dir() else folder.read_text()
        roots_file = Path(roots) if roots else folder / "roots.json"
        pinned = {
            str(k["kid"]): base64.b64decode(str(k["public_key"]))
            for k in inputs.load_json(roots_file.read_text())["keys"]
        }
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BadRequest(
            "--trust needs the folder `docseal trust export` wrote (trust.jws, roots.json)",
            code=ErrorCode.FILE_UNREADABLE,
        ) from exc
    return c.offline_verifier(jws, pinned, at)


def run_decode(a: argparse.Namespace) -> int:
    """Every QR code in each file, docseal's or not, exactly as stored."""
    c = bootstrap.container()
    all_found = True
    try:
        for name in a.files:
            line: dict[str, Any] = {"file": name}
            try:
                scan = c.scanner.scan(read_bytes(name, c.settings.intake.max_file_bytes))
            except DocsealError as exc:
                line.update(texts=[], error={"code": exc.code, "message": exc.message})
                all_found = False
            else:
                line.update(decoded_view(scan))
                all_found = all_found and bool(scan.codes)
            print_json(line)
    finally:
        c.close()
    return EXIT_OK if all_found else EXIT_INVALID
