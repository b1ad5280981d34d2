"""How an OpenID Connect provider's claims become a docseal principal.

Configured, not coded: a mapping (``DOCSEAL_OIDC_MAPPING``, a JSON file or
the JSON itself; ``DEFAULT_MAPPING`` otherwise) says

* ``admin``: the claim and value that make an administrator
  (``{"claim": "groups", "value": "docseal-admin"}``);
* ``officer``: how a verifying officer is recognised, either by a claim
  (``"source": "claim"``: ``claim``/``value`` as for admins, the agency's code
  in ``agency_claim`` and its name in ``agency_name_claim``) or by the
  officer accounts administrators keep per agency (``"source": "directory"``:
  the provider's ``sub`` is looked up, and the directory names the agency);
* ``citizen``: which claim holds the 12-digit personal ID number
  (``{"id_claim": "sub"}`` for a provider whose subject is the number, or a
  custom claim such as ``"personal_id"``).

Claim names may be dotted paths into nested claims (``realm_access.roles``);
a claim compared with ``value`` may be a string or a list of strings.

The rules are tried in that order: administrator, officer, citizen. Somebody
who matches none, or a citizen whose number is not 12 valid digits, is
refused (``SIGNIN_REFUSED``): never half signed in.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import Any, Literal

from chalicelib.domain.idnumber import check_shape
from chalicelib.domain.principal import Principal
from chalicelib.errors import DocsealError, ErrorCode, Forbidden, Unavailable

OfficerSource = Literal["claim", "directory"]
MAX_CLAIM_CHARS = 256


@dataclasses.dataclass(frozen=True)
class RoleRule:
    """Somebody holds a role when ``claim`` is ``value`` or a list containing it."""

    claim: str
    value: str


@dataclasses.dataclass(frozen=True)
class ClaimMapping:
    id_claim: str = "sub"
    officer_source: OfficerSource = "claim"
    officer: RoleRule | None = RoleRule("groups", "docseal-officer")
    agency_claim: str = "agency"
    agency_name_claim: str = "agency_name"
    admin: RoleRule | None = RoleRule("groups", "docseal-admin")


DEFAULT_MAPPING = ClaimMapping()


class SigninRefused(Forbidden):
    code = ErrorCode.SIGNIN_REFUSED


def parse_mapping(text: str | None) -> ClaimMapping:
    """The mapping a JSON text describes (None or empty: the default).
    ``Unavailable`` "docseal is not configured: …" for a text that is not
    a mapping, so a typo stops the server rather than letting anyone in."""
    if not text or not text.strip():
        return DEFAULT_MAPPING
    try:
        raw = json.loads(text)
        return _mapping(raw)
    except (ValueError, TypeError, KeyError) as exc:
        raise Unavailable(f"docseal is not configured: DOCSEAL_OIDC_MAPPING: {exc}") from None


def _mapping(raw: Any) -> ClaimMapping:
    if not isinstance(raw, dict) or set(raw) - {"citizen", "officer", "admin"}:
        raise ValueError("an object with citizen, officer and admin")
    citizen = _object(raw.get("citizen", {}), {"id_claim"})
    officer = _object(
        raw.get("officer", {}), {"source", "claim", "value", "agency_claim", "agency_name_claim"}
    )
    source = officer.get("source", "claim")
    if source not in ("claim", "directory"):
        raise ValueError("officer.source is claim or directory")
    default = DEFAULT_MAPPING
    officer_rule = default.officer
    if "claim" in officer or "value" in officer:
        officer_rule = RoleRule(_name(officer, "claim"), _name(officer, "value"))
    admin_raw = raw.get("admin", {})
    admin_rule = default.admin
    if admin_raw is None:
        admin_rule = None
    elif _object(admin_raw, {"claim", "value"}):
        admin_rule = RoleRule(_name(admin_raw, "claim"), _name(admin_raw, "value"))
    return ClaimMapping(
        id_claim=_name(citizen, "id_claim") if "id_claim" in citizen else default.id_claim,
        officer_source=source,
        officer=officer_rule if source == "claim" else None,
        agency_claim=_name(officer, "agency_claim")
        if "agency_claim" in officer
        else default.agency_claim,
        agency_name_claim=_name(officer, "agency_name_claim")
        if "agency_name_claim" in officer
        else default.agency_name_claim,
        admin=admin_rule,
    )


def _object(value: Any, keys: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict) or set(value) - keys:
        raise ValueError(f"expected an object with {', '.join(sorted(keys))}")
    return value


def _name(raw: Mapping[str, Any], key: str) -> str:
    value = raw[key]
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{key} must be a non-empty string")
    return value


def claim(claims: Mapping[str, Any], path: str) -> Any:
    """The claim at ``path`` (dots step into nested objects), or None."""
    found: Any = claims
    for part in path.split("."):
        if not isinstance(found, Mapping) or part not in found:
            return None
        found = found[part]
    return found


def _holds(claims: Mapping[str, Any], rule: RoleRule | None) -> bool:
    if rule is None:
        return False
    value = claim(claims, rule.claim)
    if isinstance(value, str):
        return value == rule.value
    if isinstance(value, list):
        return rule.value in [v for v in value if isinstance(v, str)]
    return False


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip() and len(value) <= MAX_CLAIM_CHARS:
        return value.strip()
    return None


def needs_directory(mapping: ClaimMapping) -> bool:
    return mapping.officer_source == "directory"


def principal_from_claims(
    claims: Mapping[str, Any],
    mapping: ClaimMapping,
    directory_agency: tuple[str, str] | None = None,
) -> Principal:
    """The docseal principal of a verified ID token's ``claims``.

    ``directory_agency`` is what the officer directory says of this subject
    (looked up by the caller when ``mapping`` takes officers from it).
    ``SigninRefused`` when the claims make nobody docseal knows."""
    subject = _text(claims.get("sub"))
    if subject is None:
        raise SigninRefused("the provider named nobody (no sub)")
    # 1. Administrators.
    if _holds(claims, mapping.admin):
        return Principal(subject=subject, role="admin")
    # 2. Verifying officers, by claim or by the administrators' list.
    if mapping.officer_source == "directory":
        if directory_agency is not None:
            code, name = directory_agency
            return Principal(subject, "verifier", agency=code, agency_name=name or None)
    elif _holds(claims, mapping.officer):
        agency = _text(claim(claims, mapping.agency_claim))
        if agency is None:
            raise SigninRefused(f"an officer's {mapping.agency_claim} claim names no agency")
        return Principal(
            subject,
            "verifier",
            agency=agency,
            agency_name=_text(claim(claims, mapping.agency_name_claim)),
        )
    # 3. Citizens, by their personal ID number.
    number = claim(claims, mapping.id_claim)
    if number is None:
        raise SigninRefused(
            f"the provider gave no {mapping.id_claim} claim: docseal does not know this person"
        )
    if not isinstance(number, str):
        raise SigninRefused("the personal ID number is not 12 digits")
    try:
        check_shape(number)
    except DocsealError:
        raise SigninRefused(
            "the personal ID number the provider gave is not 12 valid digits"
        ) from None
    return Principal(subject, "citizen", holder_id=number)
