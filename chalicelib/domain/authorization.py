"""Who may administer, and how the audit trail names whoever acts.

Every door hands the services the signed-in ``Principal``; these rules decide
what it may do and the name its actions are recorded under. The operator's
CLI is not a principal: it acts under ``Settings.actor`` (``cli:<login>`` or
``DOCSEAL_ACTOR``), on the operator's own machine.
"""

from __future__ import annotations

from chalicelib.domain.principal import Principal

CITIZEN_ACTOR = "citizen"  # a citizen is named by nothing that identifies them


def actor_of(principal: Principal) -> str:
    """The name a principal's actions carry on the audit trail: the role and
    the token's subject for staff and officers, and ``citizen`` for a citizen
    (whose subject would point at a person)."""
    if principal.role == "citizen":
        return CITIZEN_ACTOR
    return f"{principal.role}:{principal.subject}"


def refused_actor(principal: Principal) -> str:
    """The name a refused request is recorded under (``access.denied``): the
    same name its allowed actions carry."""
    return actor_of(principal)


def may_administer(principal: Principal, *issuer_codes: str) -> bool:
    """An administrator may act on anything; an issuer only on what belongs
    to one of ``issuer_codes`` (its own issuer, its own documents)."""
    if principal.role == "admin":
        return True
    return principal.role == "issuer" and bool(issuer_codes) and principal.issuer in issuer_codes
