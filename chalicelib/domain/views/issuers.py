"""Issuers and document types as the trust list, the API and the command
line show them."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.catalogue import DocType, FieldSpec
from chalicelib.domain.models import Issuer


def issuer_view(issuer: Issuer) -> dict[str, Any]:
    """An issuer in the trust list, ``GET /trust`` and ``docseal issuer list``."""
    return {
        "code": issuer.code,
        "name_vi": issuer.name_vi,
        "name_en": issuer.name_en,
        "allowed_types": sorted(issuer.allowed_types),
        "area": issuer.area,
        "status": issuer.status,
    }


def issuer_added_view(issuer: Issuer) -> dict[str, Any]:
    """A newly registered issuer (``POST /admin/issuers``, ``issuer add``)."""
    return {"code": issuer.code, "allowed_types": sorted(issuer.allowed_types)}


def issuer_updated_view(issuer: Issuer) -> dict[str, Any]:
    """An issuer after ``docseal issuer update``."""
    return {
        "code": issuer.code,
        "name_vi": issuer.name_vi,
        "name_en": issuer.name_en,
        "area": issuer.area,
        "allowed_types": sorted(issuer.allowed_types),
    }


def issuer_status_view(issuer: Issuer) -> dict[str, Any]:
    """An issuer suspended or reinstated (API and command line)."""
    return {"code": issuer.code, "status": issuer.status}


def field_spec_view(spec: FieldSpec) -> dict[str, Any]:
    return {
        "code": spec.code,
        "label_vi": spec.label_vi,
        "label_en": spec.label_en,
        "required": spec.required,
        "kind": spec.kind,
    }


def doc_type_view(doc_type: DocType) -> dict[str, Any]:
    """A document type in the trust list, the API and the command line (its
    acceptance note is shown with verdicts, not here)."""
    return {
        "code": doc_type.code,
        "name_vi": doc_type.name_vi,
        "name_en": doc_type.name_en,
        "default_validity_days": doc_type.default_validity_days,
        "fields": [field_spec_view(f) for f in doc_type.fields],
    }
