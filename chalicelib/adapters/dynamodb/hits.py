"""Rate-limit counts in DynamoDB: ``HIT#{bucket}`` / ``A``, one atomic ``ADD``,
dropped by the table's TTL after the bucket's window."""

from __future__ import annotations

import datetime as dt

from chalicelib.adapters.dynamodb.table import Table, epoch, key
from chalicelib.errors import Unavailable


class DynamoHits:
    def __init__(self, table: Table) -> None:
        self.table = table

    def count_hit(self, bucket: str, expires_at: dt.datetime) -> int:
        response = self.table.call(
            "update_item",
            TableName=self.table.name,
            Key=key(f"HIT#{bucket}"),
            UpdateExpression="SET #e = :entity, #ttl = :ttl ADD #c :one",
            ExpressionAttributeNames={"#e": "entity", "#c": "count", "#ttl": "ttl"},
            ExpressionAttributeValues={
                ":entity": {"S": "hit"},
                ":one": {"N": "1"},
                ":ttl": {"N": str(epoch(expires_at))},
            },
            ReturnValues="UPDATED_NEW",
        )
        try:
            return int(response["Attributes"]["count"]["N"])
        except (KeyError, TypeError, ValueError) as exc:
            raise Unavailable("the DynamoDB store returned no count") from exc
