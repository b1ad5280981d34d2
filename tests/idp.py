"""The local OpenID Connect provider (oidc-provider-mock, a development
dependency) with docseal's demo people as one-click accounts, the same one
`make run` starts: for the functional and browser tests and `make screenshots`.

Started on 127.0.0.1 on a free port and stopped by its PID.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

USERS = Path(__file__).resolve().parent.parent / "scripts" / "local-idp-users.json"
CITIZEN = "001325012345"  # the demo holder
OFFICER = "officer.thdv"  # Trường Tiểu học Dịch Vọng (TH-DV)
OTHER_OFFICER = "officer.bv01"  # another agency (BV-01)
ADMIN = "admin.docseal"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def local_provider() -> Iterator[str]:
    """The provider's issuer URL while the block runs."""
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port),
         "--require-nonce", "--user-claims-file", str(USERS)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_COLOR": "1"},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                url = f"{issuer}/.well-known/openid-configuration"
                with urllib.request.urlopen(url, timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the local OpenID Connect provider did not start") from None
                time.sleep(0.1)
        yield issuer
    finally:
        os.kill(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def authorize(authorization_url: str, subject: str) -> str:
    """What a click on ``subject`` on the provider's page does: the callback
    URL (with ``code`` and ``state``) the provider redirects to."""
    opener = urllib.request.build_opener(_NoRedirect)
    body = urllib.parse.urlencode({"sub": subject}).encode()
    try:
        opener.open(urllib.request.Request(authorization_url, data=body, method="POST"), timeout=5)
    except urllib.error.HTTPError as exc:
        if exc.code in (302, 303):
            return str(exc.headers["Location"])
        raise
    raise AssertionError("the provider did not redirect back")
