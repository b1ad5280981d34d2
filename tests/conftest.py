"""Settings for the whole suite.

Property-based tests explore fresh examples on every developer run; on CI
(``CI=true``) they run derandomized, so a submission's result depends on its
code alone and a failure there reproduces exactly. A failure found locally
prints the example to add with ``@example``.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
