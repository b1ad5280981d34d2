"""Verifying agencies and their officer accounts as the administration API
and ``docseal agency`` / ``docseal officer`` show them."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.officers import Agency, OfficerAccount
from chalicelib.domain.views.times import iso, iso_or_none


def agency_view(agency: Agency) -> dict[str, Any]:
    """An agency (``GET``/``POST /admin/agencies``, ``agency add|list``)."""
    return {
        "code": agency.code,
        "name": agency.name,
        "status": agency.status,
        "created_at": iso(agency.created_at),
    }


def officer_view(account: OfficerAccount) -> dict[str, Any]:
    """An officer account (``/admin/agencies/{code}/officers``, ``officer …``):
    ``email`` is null when none was given, ``disabled_at`` while it is active."""
    return {
        "agency": account.agency,
        "subject": account.subject,
        "name": account.name,
        "email": account.email or None,
        "status": account.status,
        "created_at": iso(account.created_at),
        "disabled_at": iso_or_none(account.disabled_at),
    }
