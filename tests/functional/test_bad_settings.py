"""A misconfigured deployment says what is wrong on every door: the settings
refuse a value that is not a number above 0 or an unknown backend with
SERVICE_UNAVAILABLE (HTTP 503, CLI exit 3), never a traceback or a 500."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from chalice.test import Client
from hypothesis import given
from hypothesis import strategies as st

import app
from chalicelib import bootstrap
from chalicelib.config import Settings
from chalicelib.errors import Unavailable

from .test_cli import Cli

BAD = [
    ("DOCSEAL_RATE_VERIFY", "abc"),
    ("DOCSEAL_RATE_LINKS", "0"),
    ("DOCSEAL_MAX_FILE_BYTES", "1e3"),
    ("DOCSEAL_MAX_PDF_PAGES", "-2"),
    ("DOCSEAL_DECODE_SECONDS", "nan"),
    ("DOCSEAL_DECODE_SECONDS", "inf"),
    ("DOCSEAL_BACKEND", "nope"),
]


@pytest.mark.parametrize(("name", "value"), BAD)
def test_the_settings_name_the_bad_variable(name: str, value: str) -> None:
    with pytest.raises(Unavailable) as caught:
        Settings.from_env({name: value})
    assert name in caught.value.message and caught.value.code == "SERVICE_UNAVAILABLE"


@given(st.integers(min_value=1, max_value=10**9))
def test_any_positive_whole_number_is_taken(n: int) -> None:
    assert Settings.from_env({"DOCSEAL_RATE_VERIFY": str(n)}).rate_verify == n


@pytest.mark.parametrize(("name", "value"), BAD[:1] + BAD[-1:])
def test_the_cli_exits_3_with_the_reason(tmp_path: Path, name: str, value: str) -> None:
    cli = Cli(tmp_path / "home")
    cli.env[name] = value
    p = cli.process("audit", "verify")
    assert p.returncode == 3, p.stderr
    assert "Traceback" not in p.stderr
    assert json.loads(p.stdout)["error"]["code"] == "SERVICE_UNAVAILABLE"


def test_the_api_answers_503_not_500(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCSEAL_RATE_VERIFY", "abc")
    before = bootstrap._container
    bootstrap._container = None  # the next request reads the environment again
    try:
        with Client(app.app) as client:
            r = client.http.get("/api/v1/health")
        assert r.status_code == 503
        assert json.loads(r.body)["error"]["code"] == "SERVICE_UNAVAILABLE"
        assert "Traceback" not in r.body.decode()
    finally:
        bootstrap._container = before
