"""Browser fixtures shared by the page tests: one headless Chromium per
module, and a fresh phone-sized context per test in which any JavaScript
dialog fails the test (an alert() would mean injected script ran)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.browser import PHONE, Demo, browser, demo_server


@pytest.fixture(scope="module")
def demo(oidc_issuer: str) -> Iterator[Demo]:
    """A docseal server with demo data, signing in through the local OpenID
    Connect provider (a module may override it with settings)."""
    with demo_server(DOCSEAL_OIDC_ISSUER=oidc_issuer) as running:
        yield running


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with browser() as launched:
        yield launched


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(**PHONE, accept_downloads=True)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()
    assert dialogs == [], "a script from the input ran"
