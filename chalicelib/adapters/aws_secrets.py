"""The deployment's secrets, read from AWS Secrets Manager once per process.

On AWS the ID-number pepper, the payload secret and the OpenID Connect client
secret are never Lambda environment variables: anyone allowed
``lambda:GetFunctionConfiguration`` reads those, and the console shows them.
``infra/docseal.yaml`` stores them as one JSON secret,
``{"pepper": …, "payload_secret": …, "oidc_client_secret": …}``, and hands the
function only its ARN (``DOCSEAL_SECRETS_ARN``); ``Infrastructure`` reads it
through this adapter the first time a secret is needed (a cold start) and
keeps it for the life of the process.

Every failure is ``Unavailable`` (HTTP 503, CLI exit 3) naming AWS's error
code or what is wrong with the secret's shape, never a value from it.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.errors import Unavailable

REQUIRED = ("pepper", "payload_secret")


@dataclasses.dataclass(frozen=True)
class DeploymentSecrets:
    """The values of the secret; ``repr`` shows none of them."""

    pepper: bytes = dataclasses.field(repr=False)
    payload_secret: bytes = dataclasses.field(repr=False)
    oidc_client_secret: str | None = dataclasses.field(default=None, repr=False)


class SecretsManagerSecrets:
    """One JSON secret of Secrets Manager, over a boto3 ``secretsmanager`` client."""

    def __init__(self, client: Any, secret_id: str) -> None:
        self._client = client
        self.secret_id = secret_id

    def read(self) -> DeploymentSecrets:
        try:
            answer = self._client.get_secret_value(SecretId=self.secret_id)
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", "")) or "error"
            raise Unavailable(
                f"docseal's secrets cannot be read from AWS Secrets Manager ({code})"
            ) from exc
        except BotoCoreError as exc:
            raise Unavailable(
                f"AWS Secrets Manager cannot be reached ({type(exc).__name__})"
            ) from exc
        text = answer.get("SecretString")
        try:
            stored = json.loads(text) if isinstance(text, str) else None
        except ValueError:
            stored = None  # dropped, not chained: a JSONDecodeError keeps the text in .doc
        if not isinstance(stored, dict):
            raise Unavailable(
                "docseal is not configured: its secret in AWS Secrets Manager is not a JSON object"
            )
        for name in REQUIRED:
            if not isinstance(stored.get(name), str) or not stored[name]:
                raise Unavailable(
                    f"docseal is not configured: its secret in AWS Secrets Manager has no {name}"
                )
        client_secret = stored.get("oidc_client_secret")
        if client_secret is not None and not isinstance(client_secret, str):
            raise Unavailable(
                "docseal is not configured: oidc_client_secret in AWS Secrets Manager"
                " is not a string"
            )
        return DeploymentSecrets(
            pepper=stored["pepper"].encode("utf-8"),
            payload_secret=stored["payload_secret"].encode("utf-8"),
            oidc_client_secret=client_secret or None,
        )
