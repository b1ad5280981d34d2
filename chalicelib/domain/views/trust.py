"""The trust data: what the verifier trusts now (``GET /trust``) and the
signed trust list offline verifiers are given."""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from chalicelib.domain.trust import TrustSnapshot
from chalicelib.domain.views.issuers import doc_type_view, issuer_view
from chalicelib.domain.views.keys import key_view
from chalicelib.domain.views.times import iso


class PublishedTrustList(Protocol):
    """The signed trust list as the trust-list service published it."""

    @property
    def jws(self) -> str: ...
    @property
    def root_kid(self) -> str: ...
    @property
    def issued_at(self) -> dt.datetime: ...
    @property
    def next_update(self) -> dt.datetime: ...


def signed_trust_list_view(published: PublishedTrustList) -> dict[str, Any]:
    return {
        "jws": published.jws,
        "root_kid": published.root_kid,
        "issued_at": iso(published.issued_at),
        "next_update": iso(published.next_update),
    }


def trust_view(snapshot: TrustSnapshot, published: PublishedTrustList | None) -> dict[str, Any]:
    """``GET /trust``: what the verifier trusts now, and the same signed for
    offline verifiers (``signed`` is None until there is a root key)."""
    return {
        "as_of": iso(snapshot.as_of),
        "issuers": [issuer_view(i) for i in snapshot.issuers.values()],
        "keys": [key_view(k) for k in snapshot.keys.values()],
        "doc_types": [doc_type_view(t) for t in snapshot.doc_types.values()],
        "signed": signed_trust_list_view(published) if published is not None else None,
    }


def trust_export_view(folder: str, published: PublishedTrustList) -> dict[str, Any]:
    """What ``docseal trust export`` wrote, and where."""
    return {
        "folder": folder,
        "root_kid": published.root_kid,
        "issued_at": iso(published.issued_at),
        "next_update": iso(published.next_update),
    }
