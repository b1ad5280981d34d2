"""What every route module shares: who is calling, and from where."""

from __future__ import annotations

from chalice.app import Blueprint, Request

from chalicelib import bootstrap
from chalicelib.domain.caller import Caller
from chalicelib.domain.principal import Principal

API = "/api/v1"


def current_request(blueprint: Blueprint) -> Request:
    request = blueprint.current_request
    assert request is not None
    return request


def principal_of(request: Request) -> Principal:
    c = bootstrap.container()
    return c.tokens.principal(request.headers.get("authorization"), c.clock.now())


def client_of(request: Request) -> str:
    """The caller's address as API Gateway (or the local server) saw it."""
    identity = (request.context or {}).get("identity") or {}
    return str(identity.get("sourceIp") or "unknown")


def caller_of(request: Request, principal: Principal | None = None) -> Caller:
    """Who the services meter: a request's budget is its address's."""
    return Caller(client=client_of(request), principal=principal)
