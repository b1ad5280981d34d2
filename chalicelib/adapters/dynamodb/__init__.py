"""The AWS storage: one DynamoDB table, single-table design, one module per
repository over the shared ``table.Table``.

Table: ``pk`` (S, hash) / ``sk`` (S, range), on-demand billing, one global
secondary index ``gsi1`` on ``gsi1pk`` / ``gsi1sk`` (projection ALL), TTL on
``ttl``. Every item carries an ``entity`` attribute and the flat record of
``chalicelib.adapters.records`` as top-level attributes (bytes as ``B``,
integers as ``N``, absent times as ``NULL``).

Items (entity: pk / sk; each module says more):

- issuer: ``ISSUER#{code}`` / ``A``
- key, key-index, active-key: ``KEY#{kid}`` / ``A``, ``KEYS`` / ``{issuer}#{kid}``,
  ``ACTIVE#{issuer}`` / ``A``
- document, holder-doc: ``DOC#{id}`` / ``A``, ``HOLDER#{holder_ref}`` / ``{issued_at}#{id}#{id}``
- idempotency: ``IDEM#{scope}#{key}`` / ``A``
- identity: ``ID#{holder_ref}`` / ``A``
- link, link-token, link-view: ``LINK#{id}`` / ``A``, ``LINKTOKEN#{hash}`` / ``A``,
  ``LINKVIEWS#{link_id}`` / ``{at}#{random}``
- audit: ``AUDIT`` / the zero-padded seq
- hit: ``HIT#{bucket}`` / ``A``
- doc-type, type-note: ``DOCTYPE#{code}`` / ``A``, ``TYPENOTE#{type}`` / ``A``
- counter: ``COUNTER#{name}`` / ``A``, numeric ``value``
- agency, officer: ``AGENCY#{code}`` / ``A``, ``OFFICER#{subject}`` / ``A``
"""

from __future__ import annotations

from typing import Any

from chalicelib.adapters.dynamodb.agencies import DynamoAgencies
from chalicelib.adapters.dynamodb.audit import DynamoAudit
from chalicelib.adapters.dynamodb.counters import DynamoCounters
from chalicelib.adapters.dynamodb.doc_types import DynamoDocTypes
from chalicelib.adapters.dynamodb.documents import DynamoDocuments
from chalicelib.adapters.dynamodb.hits import DynamoHits
from chalicelib.adapters.dynamodb.identities import DynamoIdentities
from chalicelib.adapters.dynamodb.issuers import DynamoIssuers
from chalicelib.adapters.dynamodb.keys import DynamoKeys
from chalicelib.adapters.dynamodb.links import DynamoLinks
from chalicelib.adapters.dynamodb.officers import DynamoOfficers
from chalicelib.adapters.dynamodb.table import Table, create_table
from chalicelib.ports import Repositories

__all__ = ["create_table", "open_dynamodb"]


def open_dynamodb(
    table_name: str,
    client: Any,
    *,
    page_size: int | None = None,
    batch_attempts: int = 6,
    backoff_base: float = 0.1,
) -> Repositories:
    """Every repository over the table ``table_name`` through ``client`` (a
    boto3 low-level DynamoDB client); the options are ``table.Table``'s."""
    table = Table(
        table_name,
        client,
        page_size=page_size,
        batch_attempts=batch_attempts,
        backoff_base=backoff_base,
    )
    return Repositories(
        backend="dynamodb",
        issuers=DynamoIssuers(table),
        keys=DynamoKeys(table),
        documents=DynamoDocuments(table),
        identities=DynamoIdentities(table),
        links=DynamoLinks(table),
        audit=DynamoAudit(table),
        hits=DynamoHits(table),
        doc_types=DynamoDocTypes(table),
        counters=DynamoCounters(table),
        agencies=DynamoAgencies(table),
        officers=DynamoOfficers(table),
    )
