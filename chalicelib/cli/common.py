"""What every ``docseal`` command shares: exit codes, JSON output, the types
of its arguments, the files a document is written to.

A command module registers its subcommands with ``group`` and ``command``
(the help text is also the subcommand's own ``--help`` description) and
points each at its handler: a function of the parsed arguments that calls
services from ``bootstrap.container()``, prints JSON lines with
``print_json`` and returns an exit code. A ``DocsealError`` it raises ends
the command with ``exit_code`` (``chalicelib.cli.main`` does that).
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import json
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, overload

from chalicelib import bootstrap
from chalicelib.domain import inputs
from chalicelib.domain.durations import MAX_DURATION, read_duration
from chalicelib.errors import BadRequest, DocsealError, ErrorCode, FileRefused

EXIT_OK, EXIT_INVALID, EXIT_BAD_INPUT, EXIT_UNAVAILABLE = 0, 1, 2, 3
EXIT_PIPE_CLOSED = 128 + 13  # SIGPIPE

type Handler = Callable[[argparse.Namespace], int]
type Commands = argparse._SubParsersAction[argparse.ArgumentParser]


def exit_code(error: DocsealError) -> int:
    """3 when a backing service failed (an HTTP 5xx), 2 for what the caller can mend."""
    return EXIT_UNAVAILABLE if error.http_status >= 500 else EXIT_BAD_INPUT


def command(
    commands: Commands, name: str, about: str, handler: Handler | None = None
) -> argparse.ArgumentParser:
    """The subcommand ``name``, listed with ``about`` and run by ``handler``."""
    parser = commands.add_parser(name, help=about, description=about)
    if handler is not None:
        parser.set_defaults(func=handler)
    return parser


def group(commands: Commands, name: str, about: str) -> Commands:
    """A command made of subcommands, as ``docseal key rotate``."""
    return command(commands, name, about).add_subparsers(dest="action", required=True)


def print_json(obj: Any) -> None:
    """One JSON line on stdout: every command answers in these."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


# Argument types. The API's rules (``chalicelib.domain.inputs``) read dates and
# times, so that a value means the same through either door.


def date_arg(text: str) -> dt.date:
    try:
        return inputs.required_date({"date": text}, "date")
    except DocsealError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from exc


def time_arg(text: str) -> dt.datetime:
    """An ISO 8601 time; one that names no zone is UTC."""
    try:
        when = inputs.optional_instant({"time": text}, "time")
    except DocsealError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 time") from exc
    if when is None:  # only for an absent value, and argparse always gives one
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO 8601 time")
    return when


def duration_arg(text: str) -> dt.timedelta:
    if (n := text.strip()).isdigit():  # seconds? days? refused rather than guessed
        raise argparse.ArgumentTypeError(f"{text!r} has no unit: write {n}d, {n}h, {n}m or {n}s")
    span = read_duration(text)
    if span is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a duration: a whole number above zero and s, m, h or d, "
            f"like 30m, 8h, 3d, of at most {MAX_DURATION.days}d"
        )
    return span


def sequence_arg(text: str) -> int:
    """An audit sequence number: 0 to what the store can hold."""
    number = inputs.read_sequence(text)
    if number is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a whole number from 0 to {inputs.MAX_SEQUENCE}"
        )
    return number


def port_arg(text: str) -> int:
    """A TCP port, 1 to 65535."""
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a TCP port, 1 to 65535")
    return int(text)


def list_arg(text: str) -> list[str]:
    """``a,b,c``: blanks around the commas and empty items dropped."""
    return [t.strip() for t in text.split(",") if t.strip()]


def field_arg(text: str) -> tuple[str, str]:
    code, sep, value = text.partition("=")
    if not sep or not code:
        raise argparse.ArgumentTypeError(f"{text!r} is not code=value")
    return code.strip(), value


def field_values(pairs: Iterable[tuple[str, str]] | None) -> dict[str, str]:
    """Repeated ``--field CODE=VALUE`` options as a mapping; a code given twice is refused."""
    values: dict[str, str] = {}
    for code, value in pairs or []:
        if code in values:
            raise BadRequest(f"field {code} is given twice", code=ErrorCode.DUPLICATE_FIELD)
        values[code] = value
    return values


# Files


def read_bytes(path: str, limit: int) -> bytes:
    """A file to verify or decode, read no further than ``limit`` bytes plus one,
    so a huge or endless file (``/dev/zero``) is refused with ``FILE_TOO_LARGE``
    as an upload would be, not read whole into memory."""
    try:
        with Path(path).open("rb") as stream:
            data = stream.read(limit + 1)
    except OSError as exc:
        raise BadRequest(
            f"cannot read {path}: {exc.strerror}", code=ErrorCode.FILE_UNREADABLE
        ) from exc
    if len(data) > limit:
        raise FileRefused(ErrorCode.FILE_TOO_LARGE, f"the file is larger than {limit} bytes")
    return data


def write_result(c: bootstrap.Container, qr_text: str, folder: Path) -> None:
    """The document's ``qr.png`` and printable ``result.pdf`` in ``folder``."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "qr.png").write_bytes(c.documents.png_for(qr_text))
        (folder / "result.pdf").write_bytes(c.documents.pdf_for(qr_text))
    except OSError as exc:
        raise unwritable(folder, exc) from exc


@overload
def writable_folder(out: str) -> Path: ...
@overload
def writable_folder(out: str | None) -> Path | None: ...
def writable_folder(out: str | None) -> Path | None:
    """``--out`` of an issue or a re-issue, checked before anything is signed:
    a folder that cannot be written must not leave new documents without
    their files."""
    if out is None:
        return None
    folder = Path(out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
    except OSError as exc:
        raise unwritable(folder, exc) from exc
    return folder


def unwritable(folder: Path, exc: OSError) -> BadRequest:
    return BadRequest(f"cannot write to {folder}: {exc.strerror}", code=ErrorCode.OUT_UNWRITABLE)
