"""Settings for the whole suite.

Property-based tests explore fresh examples on every developer run; on CI
(``CI=true``) they run derandomized, so a submission's result depends on its
code alone and a failure there reproduces exactly. A failure found locally
prints the example to add with ``@example``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings
from moto import mock_aws

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


AWS_REGION = "ap-southeast-1"


@pytest.fixture
def aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials and a region, so no test can reach a real account."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": AWS_REGION,
    }.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def aws_env(aws_credentials: None) -> Iterator[None]:
    """AWS in process, under moto."""
    with mock_aws():
        yield


@pytest.fixture(scope="session")
def oidc_issuer() -> Iterator[str]:
    """The local OpenID Connect provider with the demo accounts (one per
    test process), as `make run` starts it: its issuer URL."""
    from tests.idp import local_provider

    with local_provider() as issuer:
        yield issuer
