"""The audit trail in DynamoDB: the partition ``AUDIT``, sort key the
zero-padded sequence number, read with ``ConsistentRead``."""

from __future__ import annotations

from chalicelib.adapters.dynamodb.table import Table, from_item, to_item
from chalicelib.adapters.records import decode, encode
from chalicelib.domain.audit import AuditEntry

AUDIT_PARTITION = "AUDIT"


class DynamoAudit:
    def __init__(self, table: Table) -> None:
        self.table = table

    def append_audit(self, entry: AuditEntry) -> None:
        item = to_item("audit", AUDIT_PARTITION, f"{entry.seq:012d}", encode(entry))
        self.table.create(item, f"audit entry {entry.seq}")

    def last_audit(self) -> AuditEntry | None:
        page = self.table.call(
            "query",
            TableName=self.table.name,
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": {"S": AUDIT_PARTITION}},
            ScanIndexForward=False,
            Limit=1,
            ConsistentRead=True,
        )
        items = page.get("Items") or []
        return decode(AuditEntry, from_item(items[0])) if items else None

    def list_audit(self, after: int = 0, limit: int = 100) -> list[AuditEntry]:
        if limit <= 0:
            return []
        out: list[AuditEntry] = []
        for body in self.table.query(
            KeyConditionExpression="pk = :p AND sk > :after",
            ExpressionAttributeValues={
                ":p": {"S": AUDIT_PARTITION},
                ":after": {"S": f"{max(after, 0):012d}"},
            },
            ConsistentRead=True,
        ):
            out.append(decode(AuditEntry, body))
            if len(out) >= limit:
                break
        return out
