"""Chalice's local gateway (``docseal serve``, the test client) routing as
API Gateway does: what no route matches goes to the greedy ``/{proxy+}``
route that ``chalicelib.routes.fallback`` installs.

Only local code imports this module: ``chalice.local`` is not in the Lambda
package, where API Gateway itself does the routing.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from chalice.app import Chalice
from chalice.local import LocalGateway, MatchResult, RouteMatcher

from chalicelib.routes.fallback import PROXY


class GreedyRouteMatcher(RouteMatcher):
    """Chalice's local route matcher, falling back to ``/{proxy+}``."""

    def match_route(self, url: str) -> MatchResult:
        try:
            matched = super().match_route(url)
        except ValueError:
            if PROXY not in self.route_urls:
                raise
            path, _, query = url.partition("?")
            return MatchResult(
                PROXY, {"proxy": path.lstrip("/")}, parse_qs(query, keep_blank_values=True)
            )
        if matched.route == PROXY:  # one segment: matched as if "proxy+" were a name
            return MatchResult(PROXY, {"proxy": matched.captured["proxy+"]}, matched.query_params)
        return matched


def serve_unmatched(gateway: LocalGateway, app: Chalice) -> LocalGateway:
    """Make a local gateway (``docseal serve``, the test client) route what
    matches nothing to ``/{proxy+}``, as API Gateway does."""
    gateway.event_converter._route_matcher = GreedyRouteMatcher(list(app.routes))
    return gateway
