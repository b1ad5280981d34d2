"""Identity records in DynamoDB: ``ID#{holder_ref}`` / ``A``, written in
batches of 25 with the unprocessed ones retried."""

from __future__ import annotations

from collections.abc import Sequence

from chalicelib.adapters.dynamodb.table import BATCH_SIZE, SK, Table, to_item
from chalicelib.adapters.records import decode, encode
from chalicelib.domain.models import IdentityRecord


class DynamoIdentities:
    def __init__(self, table: Table) -> None:
        self.table = table

    def put_identities(self, records: Sequence[IdentityRecord]) -> None:
        # A batch may not name one item twice: the last record of a holder wins,
        # as with the sequential upserts of the SQLite adapter.
        latest = {r.holder_ref: r for r in records}
        items = [to_item("identity", f"ID#{r.holder_ref}", SK, encode(r)) for r in latest.values()]
        for start in range(0, len(items), BATCH_SIZE):
            chunk = items[start : start + BATCH_SIZE]
            self.table.batch_put(
                [{"PutRequest": {"Item": item}} for item in chunk], "identity records"
            )

    def get_identity(self, holder_ref: str) -> IdentityRecord | None:
        body = self.table.get(f"ID#{holder_ref}")
        return None if body is None else decode(IdentityRecord, body)
