"""The deployment's secrets from AWS Secrets Manager (moto in process; AWS's
own refusals through botocore's Stubber on a real client): read once per
process, and every failure an ``Unavailable`` that names AWS's error code or
what is wrong, never a value of the secret."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.stub import Stubber

from chalicelib.adapters.aws_secrets import SecretsManagerSecrets
from chalicelib.config import Settings
from chalicelib.errors import Unavailable
from chalicelib.infrastructure import Infrastructure

REGION = "ap-southeast-1"
PEPPER = "pepper-of-the-adapter-test-0123456789abcdef"
PAYLOAD = "payload-of-the-adapter-test-0123456789abcd"
CLIENT_SECRET = "client-secret-of-the-adapter-test"
VALUES = (PEPPER, PAYLOAD, CLIENT_SECRET)


@pytest.fixture
def sm(aws_env: None) -> Any:
    return boto3.client("secretsmanager", region_name=REGION)


def _secret(sm: Any, value: str, name: str = "docseal-test-secrets") -> str:
    return str(sm.create_secret(Name=name, SecretString=value)["ARN"])


def _stored(**changes: Any) -> str:
    values = {"pepper": PEPPER, "payload_secret": PAYLOAD, "oidc_client_secret": CLIENT_SECRET}
    values.update(changes)
    return json.dumps({k: v for k, v in values.items() if v is not ...})


def _refusal(secret_id: str, value: str) -> Unavailable:
    with pytest.raises(Unavailable) as caught:
        SecretsManagerSecrets(boto3.client("secretsmanager", region_name=REGION), secret_id).read()
    shown = caught.value.message + repr(caught.value) + json.dumps(caught.value.to_dict())
    assert not any(v in shown for v in VALUES if v in value)
    assert caught.value.code == "SERVICE_UNAVAILABLE" and caught.value.http_status == 503
    return caught.value


def test_the_secret_gives_the_pepper_the_payload_secret_and_the_client_secret(sm: Any) -> None:
    arn = _secret(sm, _stored())
    read = SecretsManagerSecrets(sm, arn).read()
    assert read.pepper == PEPPER.encode() and read.payload_secret == PAYLOAD.encode()
    assert read.oidc_client_secret == CLIENT_SECRET
    assert not any(v in repr(read) or v in str(read) for v in VALUES)


def test_an_empty_client_secret_is_a_public_client(sm: Any) -> None:
    arn = _secret(sm, _stored(oidc_client_secret=""))
    assert SecretsManagerSecrets(sm, arn).read().oidc_client_secret is None
    other = _secret(sm, _stored(oidc_client_secret=...), name="docseal-no-client-secret")
    assert SecretsManagerSecrets(sm, other).read().oidc_client_secret is None


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("pepper=" + PEPPER, "not a JSON object"),
        (json.dumps([PEPPER, PAYLOAD]), "not a JSON object"),
        (_stored(pepper=...), "has no pepper"),
        (_stored(pepper=""), "has no pepper"),
        (_stored(payload_secret=123456), "has no payload_secret"),
        (_stored(oidc_client_secret=["x"]), "oidc_client_secret"),
    ],
)
def test_a_secret_of_the_wrong_shape_is_unavailable_without_its_values(
    sm: Any, value: str, said: str
) -> None:
    arn = _secret(sm, value)
    refused = _refusal(arn, value)
    assert said in refused.message and refused.message.startswith("docseal is not configured")


def test_a_binary_secret_is_unavailable(sm: Any) -> None:
    arn = str(sm.create_secret(Name="binary", SecretBinary=PEPPER.encode())["ARN"])
    assert "not a JSON object" in _refusal(arn, PEPPER).message


def test_a_missing_secret_is_unavailable_naming_aws_error(sm: Any) -> None:
    missing = f"arn:aws:secretsmanager:{REGION}:123456789012:secret:docseal-gone-AbCdEf"
    assert "ResourceNotFoundException" in _refusal(missing, "").message


@pytest.mark.parametrize(
    "code", ["AccessDeniedException", "DecryptionFailure", "InternalServiceError"]
)
def test_aws_refusals_are_unavailable(code: str) -> None:
    client = boto3.client(
        "secretsmanager",
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    with Stubber(client) as stub:
        stub.add_client_error("get_secret_value", code, http_status_code=400)
        with pytest.raises(Unavailable) as caught:
            SecretsManagerSecrets(client, "docseal-secrets").read()
    assert f"({code})" in caught.value.message


def test_an_unreachable_endpoint_is_unavailable() -> None:
    client = boto3.client(
        "secretsmanager",
        region_name=REGION,
        endpoint_url="http://127.0.0.1:9",  # discard: nothing listens
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"total_max_attempts": 1}, connect_timeout=1),
    )
    with pytest.raises(Unavailable) as caught:
        SecretsManagerSecrets(client, "docseal-secrets").read()
    assert "cannot be reached (EndpointConnectionError)" in caught.value.message


def _aws(arn: str, **given: Any) -> Infrastructure:
    return Infrastructure(Settings(backend="aws", aws_region=REGION, secrets_arn=arn, **given))


def test_infrastructure_reads_the_secret_once_per_process(sm: Any) -> None:
    arn = _secret(sm, _stored())
    infra = _aws(arn, pepper=b"from-the-environment", oidc_issuer="https://id.example.vn")
    assert infra.secrets == {"pepper": PEPPER.encode(), "payload_secret": PAYLOAD.encode()}
    sm.delete_secret(SecretId=arn, ForceDeleteWithoutRecovery=True)
    # read at the first need (a cold start), kept after: the deletion goes unnoticed
    assert infra.oidc_client_secret == CLIENT_SECRET
    assert infra.secrets["pepper"] == PEPPER.encode()


def test_a_failed_read_is_tried_again_at_the_next_need(sm: Any) -> None:
    infra = _aws("docseal-later")  # a name serves as well as an ARN
    with pytest.raises(Unavailable):
        infra.secrets  # noqa: B018 - the property reads the secret
    _secret(sm, _stored(), name="docseal-later")
    assert infra.secrets["payload_secret"] == PAYLOAD.encode()


def test_without_a_secret_the_environment_gives_them_as_before() -> None:
    infra = Infrastructure(
        Settings(
            backend="aws",
            pepper=b"p" * 32,
            payload_secret=b"s" * 32,
            oidc_client_secret="from-env",
        )
    )
    assert infra.deployment_secrets is None
    assert infra.secrets == {"pepper": b"p" * 32, "payload_secret": b"s" * 32}
    assert infra.oidc_client_secret == "from-env"
