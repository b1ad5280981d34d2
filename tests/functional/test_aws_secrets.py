"""The AWS world reads its pepper and payload secret from Secrets Manager, as
the template sets it up: the function's environment names the secret
(``DOCSEAL_SECRETS_ARN``) and holds no value. The Lambda handler reads it at a
cold start; a missing or unreadable secret answers a 503 in docseal's shape
and recovers without a restart once the secret is back; the settings, the
answers and the logs never show a value."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from app import app
from chalicelib import bootstrap
from tests import aws_stack
from tests.functional.conftest import HOLDER_ID, World, birth_request
from tests.functional.test_logs_have_no_personal_data import captured, full_run, personal_data_in
from tests.functional.test_media_types import lambda_event

pytestmark = pytest.mark.parametrize("world", ["aws"], indirect=True)

VALUES = {aws_stack.PARAMETERS[p] for p in ("Pepper", "PayloadSecret", "OidcClientSecret")}


def _secrets_manager(world: World) -> Any:
    import boto3

    s = world.container.settings
    return boto3.client("secretsmanager", region_name=s.aws_region, endpoint_url=s.aws_endpoint_url)


def _issue(world: World) -> str:
    r = world.client.http.post(
        "/api/v1/documents",
        body=json.dumps(birth_request()),
        headers={"Content-Type": "application/json", **world.auth()},
    )
    assert r.status_code == 201, r.body
    return str(r.json_body["qr_text"])


def _cold_start(world: World) -> bootstrap.Container:
    """A fresh process: the same settings, nothing read yet."""
    return bootstrap.reset(world.container.settings, world.clock)


def _verify(text: str, holder_id: str | None = None) -> dict[str, Any]:
    body = {"qr_text": text, **({"holder_id": holder_id} if holder_id else {})}
    answer: dict[str, Any] = app(lambda_event(json.dumps(body).encode(), "application/json"), None)
    return answer


def test_the_environment_names_the_secret_and_holds_none_of_its_values(world: World) -> None:
    settings = world.container.settings
    assert settings.secrets_arn and settings.secrets_arn.startswith("arn:aws:secretsmanager:")
    assert settings.pepper is None and settings.payload_secret is None
    assert settings.oidc_client_secret is None
    assert not any(v in repr(settings) for v in VALUES)
    # the world was seeded (identities hashed under the pepper) through the secret
    assert world.container.secrets["pepper"] == aws_stack.PARAMETERS["Pepper"].encode()


def test_the_lambda_handler_reads_the_secret_at_a_cold_start_and_keeps_it(world: World) -> None:
    text = _issue(world)
    fresh = _cold_start(world)
    assert "deployment_secrets" not in fresh.__dict__  # nothing read before a request
    first = _verify(text, HOLDER_ID)
    assert first["statusCode"] == 200, first["body"]
    assert json.loads(first["body"])["holder_match"] == "MATCH"  # the same pepper
    stored = fresh.__dict__["deployment_secrets"]
    assert stored.payload_secret == aws_stack.PARAMETERS["PayloadSecret"].encode()
    assert stored.oidc_client_secret == aws_stack.PARAMETERS["OidcClientSecret"]
    # read once per process: a warm instance does not go back to Secrets Manager
    _secrets_manager(world).delete_secret(
        SecretId=fresh.settings.secrets_arn, ForceDeleteWithoutRecovery=True
    )
    assert _verify(text)["statusCode"] == 200


@pytest.mark.parametrize("fault", ["missing", "not JSON", "no pepper"])
def test_a_missing_or_unreadable_secret_is_a_clear_503_and_then_recovers(
    world: World,
    fault: str,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    text = _issue(world)
    arn = world.container.settings.secrets_arn
    sm = _secrets_manager(world)
    good = sm.get_secret_value(SecretId=arn)["SecretString"]
    if fault == "missing":
        sm.delete_secret(SecretId=arn)  # scheduled for deletion: unreadable until restored
    else:
        broken = {"not JSON": "pepper=" + aws_stack.PARAMETERS["Pepper"]}.get(
            fault, json.dumps({"payload_secret": aws_stack.PARAMETERS["PayloadSecret"]})
        )
        sm.put_secret_value(SecretId=arn, SecretString=broken)
    _cold_start(world)
    capfd.readouterr()

    refused = _verify(text)
    assert refused["statusCode"] == 503, refused["body"]
    assert refused["headers"]["Retry-After"]
    error = json.loads(refused["body"])["error"]
    assert error["code"] == "SERVICE_UNAVAILABLE"
    said = {
        "missing": "cannot be read from AWS Secrets Manager (",
        "not JSON": "is not a JSON object",
        "no pepper": "has no pepper",
    }[fault]
    assert said in error["message"]
    logs = captured(capfd, caplog)
    assert "Traceback" not in refused["body"] + logs
    assert not any(v in refused["body"] + logs for v in VALUES)

    if fault == "missing":
        sm.restore_secret(SecretId=arn)
    else:
        sm.put_secret_value(SecretId=arn, SecretString=good)
    assert _verify(text)["statusCode"] == 200  # tried again: no restart needed


def test_a_full_run_on_aws_shows_no_secret_value_in_logs_or_settings(
    world: World, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="docseal")
    _cold_start(world)  # the run's first request reads the secret
    capfd.readouterr()
    run = full_run(world)
    run.secrets |= VALUES
    settings = bootstrap.container().settings
    logging.getLogger("docseal").info("settings %r", settings)
    text = captured(capfd, caplog)
    assert "settings Settings(" in text  # the line above was captured and searched
    # the ARN's 12-digit account number is not an ID number
    text = text.replace(str(settings.secrets_arn), "<secrets-arn>")
    assert personal_data_in(text, run) == []
