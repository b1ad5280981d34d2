"""docseal's AWS resources, from infra/docseal.yaml, in a moto server.

``MotoServer`` runs ``moto_server`` as its own process on 127.0.0.1 (stopped by
its PID). ``provision`` creates the template's table, bucket, trust-root key and
secret through the service APIs with the properties the template gives them (moto's
CloudFormation drops TTL, point-in-time recovery, the public access block and
a KMS key's ``KeySpec``), then resolves the function's environment variables as
CloudFormation would: the tests run docseal with the very names the template
hands to ``chalicelib/config.py``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import boto3
from cfnlint.decode import cfn_yaml

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "infra" / "docseal.yaml"
REGION = "ap-southeast-1"
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
}
PARAMETERS = {
    "StageName": "test",
    "PublicHost": "docseal.example.vn",
    "Pepper": "pepper-for-tests-only-0123456789abcdef",
    "PayloadSecret": "payload-secret-for-tests-only-0123456789",
    "OidcClientSecret": "oidc-client-secret-for-tests-only",
    "JwtIssuer": "docseal-dev",
}


def load_template() -> dict[str, Any]:
    template: dict[str, Any] = cfn_yaml.loads(TEMPLATE.read_text(encoding="utf-8"))
    return template


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class MotoServer:
    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        moto = Path(sys.executable).parent / "moto_server"
        self._process = subprocess.Popen(
            [str(moto), "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **CREDENTIALS},
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/moto-api/data.json", timeout=1).close()
                return
            except OSError:
                if time.monotonic() > deadline or self._process.poll() is not None:
                    self.stop()
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.1)

    def reset(self) -> None:
        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")
        urllib.request.urlopen(request, timeout=10).close()

    def client(self, service: str) -> Any:
        return boto3.client(
            service,
            region_name=REGION,
            endpoint_url=self.url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def stop(self) -> None:
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


def _resolve(value: Any, names: dict[str, str]) -> str:
    """``Ref`` and ``Fn::Sub`` (no list form) against resolved names."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Ref" in value:
        return str(names[value["Ref"]])
    if isinstance(value, dict) and "Fn::Sub" in value:
        text = str(value["Fn::Sub"])
        for name, resolved in names.items():
            text = text.replace("${" + name + "}", str(resolved))
        if "${" in text:
            raise ValueError(f"unresolved {text!r}")
        return text
    raise ValueError(f"cannot resolve {value!r}")


def _create_table(server: MotoServer, name: str, spec: dict[str, Any]) -> None:
    ddb = server.client("dynamodb")
    ddb.create_table(
        TableName=name,
        **{
            k: spec[k]
            for k in ("BillingMode", "AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes")
        },
        SSESpecification={"Enabled": spec["SSESpecification"]["SSEEnabled"]},
    )
    ddb.update_time_to_live(TableName=name, TimeToLiveSpecification=spec["TimeToLiveSpecification"])
    ddb.update_continuous_backups(
        TableName=name,
        PointInTimeRecoverySpecification=spec["PointInTimeRecoverySpecification"],
    )


def _create_bucket(server: MotoServer, name: str, spec: dict[str, Any], days: int) -> None:
    s3 = server.client("s3")
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    rules = [
        {
            "ApplyServerSideEncryptionByDefault": r["ServerSideEncryptionByDefault"],
            "BucketKeyEnabled": r["BucketKeyEnabled"],
        }
        for r in spec["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    ]
    s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": rules})
    s3.put_public_access_block(
        Bucket=name, PublicAccessBlockConfiguration=spec["PublicAccessBlockConfiguration"]
    )
    s3.put_bucket_ownership_controls(Bucket=name, OwnershipControls=spec["OwnershipControls"])
    lifecycle = []
    for rule in spec["LifecycleConfiguration"]["Rules"]:
        api: dict[str, Any] = {
            "ID": rule["Id"],
            "Status": rule["Status"],
            "Filter": {"Prefix": rule.get("Prefix", "")},
        }
        if "ExpirationInDays" in rule:
            api["Expiration"] = {"Days": days}
        if "AbortIncompleteMultipartUpload" in rule:
            api["AbortIncompleteMultipartUpload"] = rule["AbortIncompleteMultipartUpload"]
        lifecycle.append(api)
    s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": lifecycle})


def provision(server: MotoServer, stack: str = "docseal-test") -> dict[str, str]:
    """Create the template's table, bucket, root key and secret with the
    properties the template gives them; return the Lambda's environment
    variables (the secret's ARN, never its values)."""
    template = load_template()
    resources = template["Resources"]
    defaults = {
        name: str(spec["Default"])
        for name, spec in template["Parameters"].items()
        if "Default" in spec
    }
    names = {
        **defaults,
        **PARAMETERS,
        "AWS::Region": REGION,
        "DocsealTable": f"{stack}-DocsealTable",
        "FilesBucket": f"{stack}-filesbucket",
    }
    _create_table(server, names["DocsealTable"], resources["DocsealTable"]["Properties"])
    _create_bucket(
        server,
        names["FilesBucket"],
        resources["FilesBucket"]["Properties"],
        int(names["PdfDays"]),
    )
    key = resources["TrustRootKey"]["Properties"]
    kms = server.client("kms")
    created = kms.create_key(
        KeySpec=key["KeySpec"],
        KeyUsage=key["KeyUsage"],
        Description=key["Description"],
        Tags=[{"TagKey": t["Key"], "TagValue": t["Value"]} for t in key["Tags"]],
    )
    alias = _resolve(resources["TrustRootKeyAlias"]["Properties"]["AliasName"], names)
    kms.create_alias(AliasName=alias, TargetKeyId=created["KeyMetadata"]["KeyId"])
    names["TrustRootKeyAlias"] = alias
    secret = resources["DocsealSecrets"]["Properties"]
    stored = server.client("secretsmanager").create_secret(
        Name=f"{stack}-DocsealSecrets",
        Description=_resolve(secret["Description"], names),
        SecretString=_resolve(secret["SecretString"], names),
    )
    names["DocsealSecrets"] = stored["ARN"]
    variables = resources["APIHandler"]["Properties"]["Environment"]["Variables"]
    return {name: _resolve(value, names) for name, value in variables.items()}
