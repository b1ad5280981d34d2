"""The embedded default storage: one SQLite file under ``DOCSEAL_HOME``, one
module per repository over the shared ``db.Database``."""

from __future__ import annotations

from pathlib import Path

from chalicelib.adapters.sqlite.agencies import SqliteAgencies
from chalicelib.adapters.sqlite.audit import SqliteAudit
from chalicelib.adapters.sqlite.counters import SqliteCounters
from chalicelib.adapters.sqlite.db import Database
from chalicelib.adapters.sqlite.doc_types import SqliteDocTypes
from chalicelib.adapters.sqlite.documents import SqliteDocuments
from chalicelib.adapters.sqlite.hits import SqliteHits
from chalicelib.adapters.sqlite.identities import SqliteIdentities
from chalicelib.adapters.sqlite.issuers import SqliteIssuers
from chalicelib.adapters.sqlite.keys import SqliteKeys
from chalicelib.adapters.sqlite.links import SqliteLinks
from chalicelib.adapters.sqlite.officers import SqliteOfficers
from chalicelib.ports import Repositories


def open_sqlite(path: Path) -> Repositories:
    """Every repository over the SQLite file at ``path`` (made, with its schema,
    if absent); ``Unavailable`` if it cannot be opened."""
    db = Database(path)
    return Repositories(
        backend="sqlite",
        issuers=SqliteIssuers(db),
        keys=SqliteKeys(db),
        documents=SqliteDocuments(db),
        identities=SqliteIdentities(db),
        links=SqliteLinks(db),
        audit=SqliteAudit(db),
        hits=SqliteHits(db),
        doc_types=SqliteDocTypes(db),
        counters=SqliteCounters(db),
        agencies=SqliteAgencies(db),
        officers=SqliteOfficers(db),
    )
