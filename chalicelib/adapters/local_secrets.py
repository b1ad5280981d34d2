"""Secrets of the embedded default, generated once into ``DOCSEAL_HOME``.

On a workstation docseal must start with nothing configured, yet keep its
ID-number pepper, keystore passphrase and at-rest secret stable across
restarts. They are created at random on first use in ``secrets.json``
(mode 0600). A deployment sets them through the environment instead.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path

NAMES = ("pepper", "keystore_passphrase", "payload_secret")


def load_or_create(home: Path) -> dict[str, bytes]:
    path = home / "secrets.json"
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        fresh = {name: base64.b64encode(secrets.token_bytes(32)).decode() for name in NAMES}
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first: use theirs
        else:
            with os.fdopen(fd, "w") as out:
                json.dump(fresh, out, indent=2)
    stored = json.loads(path.read_text())
    return {name: base64.b64decode(stored[name]) for name in NAMES}
