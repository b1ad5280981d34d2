"""Every ``docseal`` command and option says what it does in ``--help``, and
``docseal <command> --help`` works for every command of the installed script."""

from __future__ import annotations

import argparse
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from chalicelib import cli
from tests.functional.test_cli import DOCSEAL


def commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """``docseal`` itself and every command under it, groups and leaves."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from commands(sub, (*path, name))


def said(text: str | None) -> bool:
    return bool(text and text.strip()) and text != argparse.SUPPRESS


def undocumented(path: tuple[str, ...], parser: argparse.ArgumentParser) -> list[str]:
    where = " ".join(("docseal", *path))
    missing = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        if isinstance(action, argparse._SubParsersAction):
            listed = {choice.dest: choice.help for choice in action._choices_actions}
            missing += [f"{where} {name}" for name in action.choices if not said(listed.get(name))]
        elif not said(action.help):
            missing.append(f"{where} {'/'.join(action.option_strings) or action.dest}")
    return missing


def test_every_command_and_option_says_what_it_does() -> None:
    found = list(commands(cli.parser()))
    assert {("issuer", "add"), ("trust", "root"), ("serve",)} <= {path for path, _ in found}
    missing = [name for path, parser in found for name in undocumented(path, parser)]
    assert not missing, "no help text: " + ", ".join(missing)


def test_every_command_has_a_description_in_its_own_help() -> None:
    nameless = [
        " ".join(path)
        for path, parser in commands(cli.parser())
        if path and not said(parser.description)
    ]
    assert not nameless


def test_help_of_every_command_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    """In this process, as the script runs it (``sys.exit(main())``): a process
    each would cost a second of start-up per five commands."""
    for path, _ in commands(cli.parser()):
        with pytest.raises(SystemExit) as stopped:
            cli.main([*path, "--help"])
        out, err = capsys.readouterr()
        assert (stopped.value.code, err) == (0, ""), path
        assert out.startswith(f"usage: {' '.join(('docseal', *path))} "), (path, out)


def test_the_installed_script_helps(tmp_path: Path) -> None:
    env = {**os.environ, "DOCSEAL_HOME": str(tmp_path / "home")}
    for args in ([], ["link", "create"]):
        p = subprocess.run(
            [DOCSEAL, *args, "--help"], capture_output=True, text=True, env=env, check=False
        )
        assert (p.returncode, p.stderr) == (0, "")
        assert p.stdout.startswith(f"usage: {' '.join(('docseal', *args))} ")
    assert not (tmp_path / "home").exists()  # help opens no store
