"""infra/docseal.yaml: least privilege, the settings docseal reads, and the
resources the adapters expect, checked on the template itself (cfn-lint checks
the merged template in `make package`)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from chalicelib.config import Settings
from tests import aws_stack

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = aws_stack.load_template()
RESOURCES = TEMPLATE["Resources"]


def _statements() -> list[dict[str, Any]]:
    policy = RESOURCES["ApiHandlerRole"]["Properties"]["Policies"]
    return [s for p in policy for s in p["PolicyDocument"]["Statement"]]


def _actions(statement: dict[str, Any]) -> list[str]:
    actions = statement["Action"]
    return [actions] if isinstance(actions, str) else list(actions)


def test_the_role_names_its_own_resources_and_no_wildcard_action() -> None:
    for statement in _statements():
        assert statement["Effect"] == "Allow"
        assert all("*" not in a for a in _actions(statement)), statement["Sid"]
        resources = statement["Resource"]
        resources = resources if isinstance(resources, list) else [resources]
        assert "*" not in resources, statement["Sid"]
    by_sid = {s["Sid"]: s for s in _statements()}
    assert {a.split(":")[0] for s in _statements() for a in _actions(s)} == {
        "dynamodb",
        "s3",
        "kms",
        "logs",
        "secretsmanager",
    }
    table = json.dumps(by_sid["Table"]["Resource"])
    assert "DocsealTable" in table and "Scan" not in json.dumps(by_sid["Table"]["Action"])
    assert "FilesBucket" in json.dumps(by_sid["Files"]["Resource"])


def test_kms_is_sign_and_public_key_only_on_docseal_tagged_keys() -> None:
    kms = [s for s in _statements() if any(a.startswith("kms:") for a in _actions(s))]
    assert len(kms) == 1
    assert sorted(_actions(kms[0])) == ["kms:GetPublicKey", "kms:Sign"]
    assert kms[0]["Condition"] == {"StringEquals": {"aws:ResourceTag/docseal": "signing"}}
    # the root key carries the tag the role and KmsCustody's keys carry
    tags = {t["Key"]: t["Value"] for t in RESOURCES["TrustRootKey"]["Properties"]["Tags"]}
    assert tags["docseal"] == "signing"
    assert RESOURCES["TrustRootKey"]["Properties"]["KeySpec"] == "ECC_NIST_P256"
    assert RESOURCES["TrustRootKey"]["Properties"]["KeyUsage"] == "SIGN_VERIFY"


def test_the_chalice_deploy_policy_grants_what_the_template_grants() -> None:
    """.chalice/policy-prod.json (used by `chalice deploy`) may not drift from the
    template's role (used by `make package`)."""
    chalice = json.loads((ROOT / ".chalice" / "policy-prod.json").read_text())
    granted = {a for s in chalice["Statement"] for a in _actions(s)}
    template = {a for s in _statements() for a in _actions(s)}
    assert granted == template


def test_every_environment_variable_is_one_settings_reads() -> None:
    variables = RESOURCES["APIHandler"]["Properties"]["Environment"]["Variables"]
    source = (ROOT / "chalicelib" / "config.py").read_text()
    read = set(re.findall(r'"(DOCSEAL_[A-Z_]+)"', source))
    docseal = {name for name in variables if name.startswith("DOCSEAL_")}
    assert docseal <= read, docseal - read
    assert {"DOCSEAL_TABLE", "DOCSEAL_BUCKET", "DOCSEAL_KMS_ALIAS_PREFIX"} <= docseal
    for secret in ("Pepper", "PayloadSecret", "OidcClientSecret"):
        assert TEMPLATE["Parameters"][secret]["NoEcho"] is True
    oidc = {"OidcIssuer": "DOCSEAL_OIDC_ISSUER", "OidcClientId": "DOCSEAL_OIDC_CLIENT_ID"}
    for parameter, variable in oidc.items():
        assert variables[variable] == {"Ref": parameter}
        assert "NoEcho" not in TEMPLATE["Parameters"][parameter]


SECRET_PARAMETERS = ("Pepper", "PayloadSecret", "OidcClientSecret")


def test_secrets_go_to_secrets_manager_never_into_the_functions_environment() -> None:
    """The NoEcho parameters are spliced into one Secrets Manager secret; the
    function's configuration (which lambda:GetFunctionConfiguration shows) holds
    its ARN only, and no other resource mentions them."""
    variables = RESOURCES["APIHandler"]["Properties"]["Environment"]["Variables"]
    assert variables["DOCSEAL_SECRETS_ARN"] == {"Ref": "DocsealSecrets"}
    assert not {"DOCSEAL_PEPPER", "DOCSEAL_PAYLOAD_SECRET", "DOCSEAL_OIDC_CLIENT_SECRET"} & set(
        variables
    )
    secret = RESOURCES["DocsealSecrets"]
    assert secret["Type"] == "AWS::SecretsManager::Secret"
    assert secret["DeletionPolicy"] == "Retain"  # like the table stored under the pepper
    text = secret["Properties"]["SecretString"]["Fn::Sub"]
    for name in SECRET_PARAMETERS:
        text = text.replace("${" + name + "}", "x")
        # no quote or backslash in a value: the JSON they are spliced into stays JSON
        assert TEMPLATE["Parameters"][name]["AllowedPattern"] == r'[^"\\]*'
    assert json.loads(text) == {"pepper": "x", "payload_secret": "x", "oidc_client_secret": "x"}
    for name, resource in RESOURCES.items():
        if name != "DocsealSecrets":
            mentioned = json.dumps(resource)
            assert not any(
                f'"{p}"' in mentioned or "${" + p + "}" in mentioned for p in SECRET_PARAMETERS
            ), name


def test_the_role_reads_exactly_its_own_secret() -> None:
    reads = [s for s in _statements() if "secretsmanager:GetSecretValue" in _actions(s)]
    assert len(reads) == 1
    assert _actions(reads[0]) == ["secretsmanager:GetSecretValue"]
    assert reads[0]["Resource"] == {"Ref": "DocsealSecrets"}
    assert "Condition" not in reads[0]


def test_share_links_and_counters_expire_through_the_tables_ttl() -> None:
    spec = RESOURCES["DocsealTable"]["Properties"]
    assert spec["TimeToLiveSpecification"] == {"AttributeName": "ttl", "Enabled": True}
    assert spec["BillingMode"] == "PAY_PER_REQUEST"
    assert spec["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert spec["SSESpecification"]["SSEEnabled"] is True
    package = ROOT / "chalicelib" / "adapters" / "dynamodb"
    source = "".join(p.read_text() for p in sorted(package.glob("*.py")))
    assert '["ttl"]' in source  # the attribute the adapter writes


def test_the_bucket_is_private_encrypted_and_expires_pdfs() -> None:
    spec = RESOURCES["FilesBucket"]["Properties"]
    assert all(spec["PublicAccessBlockConfiguration"].values())
    assert len(spec["PublicAccessBlockConfiguration"]) == 4
    rule = spec["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    prefixes = {r.get("Prefix") for r in spec["LifecycleConfiguration"]["Rules"]}
    assert "pdf/" in prefixes


def test_api_accepts_uploads_as_binary_and_is_throttled() -> None:
    from app import app

    for media in ("image/png", "image/jpeg", "image/webp", "application/pdf"):
        assert media in app.api.binary_types
    assert "multipart/form-data" in app.api.binary_types
    # API Gateway hands every request body over as bytes: uploads are judged by
    # their bytes whatever type is declared (chalice package merges this in)
    definition = RESOURCES["RestAPI"]["Properties"]["DefinitionBody"]
    assert definition["x-amazon-apigateway-binary-media-types"] == ["*/*"]
    settings = RESOURCES["RestAPI"]["Properties"]["MethodSettings"][0]
    assert {"ThrottlingRateLimit", "ThrottlingBurstLimit"} <= set(settings)


@pytest.fixture(scope="module")
def provisioned() -> Any:
    import os

    saved = {k: os.environ.get(k) for k in aws_stack.CREDENTIALS}
    os.environ.update(aws_stack.CREDENTIALS)
    server = aws_stack.MotoServer()
    try:
        yield server, aws_stack.provision(server)
    finally:
        server.stop()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def test_names_flow_from_the_template_into_settings(provisioned: Any) -> None:
    server, env = provisioned
    settings = Settings.from_env(env)
    assert settings.backend == "aws"
    assert settings.table_name == env["DOCSEAL_TABLE"] == "docseal-test-DocsealTable"
    assert settings.bucket_name == env["DOCSEAL_BUCKET"]
    assert settings.kms_key_alias_prefix == "alias/docseal-test"
    assert settings.public_url == "https://docseal.example.vn"
    assert settings.intake.max_file_bytes == 4 * 1024 * 1024
    ddb = server.client("dynamodb")
    ttl = ddb.describe_time_to_live(TableName=settings.table_name)["TimeToLiveDescription"]
    assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "ttl"}
    s3 = server.client("s3")
    block = s3.get_public_access_block(Bucket=settings.bucket_name)
    assert all(block["PublicAccessBlockConfiguration"].values())
    kms = server.client("kms")
    aliases = [a["AliasName"] for a in kms.list_aliases()["Aliases"]]
    assert "alias/docseal-test/trust-root" in aliases
    assert settings.pepper is None and settings.payload_secret is None  # not in the environment
    stored = server.client("secretsmanager").get_secret_value(SecretId=settings.secrets_arn)
    assert json.loads(stored["SecretString"]) == {
        "pepper": aws_stack.PARAMETERS["Pepper"],
        "payload_secret": aws_stack.PARAMETERS["PayloadSecret"],
        "oidc_client_secret": aws_stack.PARAMETERS["OidcClientSecret"],
    }
    assert not set(env.values()) & set(json.loads(stored["SecretString"]).values())


def test_bodies_the_gateway_refuses_get_docseals_own_413() -> None:
    response = RESOURCES["TooLargeResponse"]["Properties"]
    assert response["ResponseType"] == "REQUEST_TOO_LARGE" and response["StatusCode"] == "413"
    body = json.loads(response["ResponseTemplates"]["application/json"])
    assert body["error"]["code"] == "FILE_TOO_LARGE"
    # the app's own limit is under what a Lambda event can carry once base64-encoded
    limit = int(TEMPLATE["Parameters"]["MaxFileBytes"]["Default"])
    assert limit * 4 / 3 < 6 * 1000 * 1000
