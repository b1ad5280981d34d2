"""Named counters in DynamoDB: ``COUNTER#{name}`` / ``A``, one atomic ``ADD``."""

from __future__ import annotations

from chalicelib.adapters.dynamodb.table import Table, key
from chalicelib.errors import Unavailable


class DynamoCounters:
    def __init__(self, table: Table) -> None:
        self.table = table

    def next_counter(self, name: str) -> int:
        response = self.table.call(
            "update_item",
            TableName=self.table.name,
            Key=key(f"COUNTER#{name}"),
            UpdateExpression="SET #e = :entity ADD #v :one",
            ExpressionAttributeNames={"#e": "entity", "#v": "value"},
            ExpressionAttributeValues={":entity": {"S": "counter"}, ":one": {"N": "1"}},
            ReturnValues="UPDATED_NEW",
        )
        try:
            value = int(response["Attributes"]["value"]["N"])
        except (KeyError, TypeError, ValueError) as exc:
            raise Unavailable("the DynamoDB store returned no counter value") from exc
        return value - 1
