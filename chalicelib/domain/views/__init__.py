"""What docseal shows: each domain object as the JSON that the API, the
command line and the signed trust list give out, all built in this package,
one module per kind of object (``times``, ``issuers``, ``keys``, ``trust``,
``documents``, ``links``, ``audit``, ``codes``, ``officers``). Callers import the views from here.

One form of time everywhere, ``iso``: RFC 3339 in UTC to the second
(``2026-11-01T08:00:00Z``). The storage codec (``adapters/records.py``) has
its own forms and is never sent to anyone: a field added to a stored record
reaches an answer only when a view here names it.

A view is named after the answer it builds. Two answers that show different
keys of one object get two views, never one view with switches; routes and
commands wrap views in their envelopes (``{"links": [...]}``) and add what
only they know (a share link's URL, shown once; the folder a command wrote).
A document's verdict is drawn by ``Verdict.to_dict`` (``domain/verify.py``)
from ``document_view`` and ``iso``.
"""

from __future__ import annotations

from chalicelib.domain.views.audit import audit_view
from chalicelib.domain.views.codes import decoded_view
from chalicelib.domain.views.documents import (
    document_status_view,
    document_view,
    held_document_view,
    issued_document_view,
    signed_by_key_view,
)
from chalicelib.domain.views.issuers import (
    doc_type_view,
    field_spec_view,
    issuer_added_view,
    issuer_status_view,
    issuer_updated_view,
    issuer_view,
)
from chalicelib.domain.views.keys import (
    key_view,
    new_key_view,
    operator_key_view,
    operator_new_key_view,
    revoked_key_view,
    trust_list_key_view,
)
from chalicelib.domain.views.links import link_opening_view, link_view
from chalicelib.domain.views.officers import agency_view, officer_view
from chalicelib.domain.views.times import iso, iso_or_none
from chalicelib.domain.views.trust import (
    PublishedTrustList,
    signed_trust_list_view,
    trust_export_view,
    trust_view,
)

__all__ = [
    "PublishedTrustList",
    "agency_view",
    "audit_view",
    "decoded_view",
    "doc_type_view",
    "document_status_view",
    "document_view",
    "field_spec_view",
    "held_document_view",
    "iso",
    "iso_or_none",
    "issued_document_view",
    "issuer_added_view",
    "issuer_status_view",
    "issuer_updated_view",
    "issuer_view",
    "key_view",
    "link_opening_view",
    "link_view",
    "new_key_view",
    "officer_view",
    "operator_key_view",
    "operator_new_key_view",
    "revoked_key_view",
    "signed_by_key_view",
    "signed_trust_list_view",
    "trust_export_view",
    "trust_list_key_view",
    "trust_view",
]
