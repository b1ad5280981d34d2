"""The settings hold secrets (the pepper, the keystore passphrase, the payload
secret, the OpenID Connect client secret, a bearer token) and never show
them: not in ``repr`` or ``str``, so not in a log line, a traceback's locals
or an assertion message that prints the settings."""

from __future__ import annotations

from chalicelib.config import Settings

SECRETS = {
    "DOCSEAL_PEPPER": "pepper-never-shown-0123456789abcdef",
    "DOCSEAL_KEYSTORE_PASSPHRASE": "passphrase-never-shown-0123456789",
    "DOCSEAL_PAYLOAD_SECRET": "payload-never-shown-0123456789abcd",
    "DOCSEAL_OIDC_CLIENT_SECRET": "client-secret-never-shown",
    "DOCSEAL_TOKEN": "bearer-token-never-shown",
}


def test_repr_shows_no_secret_but_the_settings_hold_them() -> None:
    arn = "arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:docseal-AbCdEf"
    settings = Settings.from_env({**SECRETS, "DOCSEAL_SECRETS_ARN": arn})
    shown = repr(settings) + str(settings) + f"{settings!r}"
    assert [name for name, value in SECRETS.items() if value in shown] == []
    assert settings.pepper == SECRETS["DOCSEAL_PEPPER"].encode()
    assert settings.oidc_client_secret == SECRETS["DOCSEAL_OIDC_CLIENT_SECRET"]
    assert arn in shown  # where the secrets are is not a secret
