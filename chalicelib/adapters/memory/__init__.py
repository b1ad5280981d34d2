"""Storage in this process's memory: every repository over plain dicts, each
behind a lock, with the semantics the contract suites hold the SQLite and
DynamoDB adapters to (conditional writes, atomic view claims, retention).
``custody.MemoryCustody`` (real P-256 keys) and ``blobs.MemoryBlobs`` do the
same for key custody and generated files, under the same contract suites.
For service tests and tools that need no files; nothing outlives the process."""

from __future__ import annotations

from chalicelib.adapters.memory.agencies import MemoryAgencies
from chalicelib.adapters.memory.audit import MemoryAudit
from chalicelib.adapters.memory.counters import MemoryCounters
from chalicelib.adapters.memory.doc_types import MemoryDocTypes
from chalicelib.adapters.memory.documents import MemoryDocuments
from chalicelib.adapters.memory.hits import MemoryHits
from chalicelib.adapters.memory.identities import MemoryIdentities
from chalicelib.adapters.memory.issuers import MemoryIssuers
from chalicelib.adapters.memory.keys import MemoryKeys
from chalicelib.adapters.memory.links import MemoryLinks
from chalicelib.adapters.memory.officers import MemoryOfficers
from chalicelib.ports import Repositories


def open_memory() -> Repositories:
    """Every repository, empty."""
    return Repositories(
        backend="memory",
        issuers=MemoryIssuers(),
        keys=MemoryKeys(),
        documents=MemoryDocuments(),
        identities=MemoryIdentities(),
        links=MemoryLinks(),
        audit=MemoryAudit(),
        hits=MemoryHits(),
        doc_types=MemoryDocTypes(),
        counters=MemoryCounters(),
        agencies=MemoryAgencies(),
        officers=MemoryOfficers(),
    )
