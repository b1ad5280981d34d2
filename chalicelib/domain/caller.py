"""Who asks a service whose use is metered: the doors' common word for it.

Every door (the API, the pages, a share link) hands the services a ``Caller``;
the services, not the doors, decide what that caller may do and how often
(``chalicelib.services.ratelimit``). ``OPERATOR`` is the operator's CLI: it is
not limited, because it runs on the operator's own machine with direct access
to the store and the keys, where a budget would protect nothing.
"""

from __future__ import annotations

import dataclasses

from chalicelib.domain.principal import Principal


@dataclasses.dataclass(frozen=True)
class Caller:
    client: str | None  # the key a budget is counted under (the request's address); None: unlimited
    principal: Principal | None = None  # who signed in, if anyone: an officer's agency is recorded


OPERATOR = Caller(client=None)
