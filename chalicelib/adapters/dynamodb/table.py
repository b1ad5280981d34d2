"""The one DynamoDB table every AWS repository shares: calls, items, errors.

Every ``get_item`` is strongly consistent, every Query follows
``LastEvaluatedKey``, a failed write condition is ``Conflict`` (or, through
``conditional``, ``ConditionFailed`` for the repository to name), and every
other backend failure becomes ``Unavailable``: the message names the operation
and error code, never an item's contents.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import Binary, TypeDeserializer, TypeSerializer
from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.errors import Conflict, Unavailable

SK = "A"
GSI1 = "gsi1"
BATCH_SIZE = 25
_RESERVED = frozenset({"pk", "sk", "gsi1pk", "gsi1sk", "entity"})

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


class ConditionFailed(Exception):
    """A conditional write whose condition did not hold."""


def _plain(value: Any) -> Any:
    """Deserialised DynamoDB value -> the plain Python ``records`` expects."""
    if isinstance(value, Binary):
        return bytes(value.value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, set):
        return {_plain(v) for v in value}
    return value


def to_item(entity: str, pk: str, sk: str, body: dict[str, Any], **extra: str) -> dict[str, Any]:
    """An item: the record's fields as top-level attributes, plus its keys."""
    assert not _RESERVED & body.keys(), "a record field shadows a table attribute"
    plain = {**body, "pk": pk, "sk": sk, "entity": entity, **extra}
    return {name: _serializer.serialize(value) for name, value in plain.items()}


def from_item(item: dict[str, Any]) -> dict[str, Any]:
    return {name: _plain(_deserializer.deserialize(value)) for name, value in item.items()}


def key(pk: str, sk: str = SK) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def epoch(when: dt.datetime) -> int:
    """A time as the ``ttl`` attribute holds it."""
    return int(when.timestamp())


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def unavailable(operation: str, exc: Exception) -> Unavailable:
    code = error_code(exc) if isinstance(exc, ClientError) else type(exc).__name__
    return Unavailable(f"the DynamoDB store failed ({operation}: {code or 'error'})")


def create_table(client: Any, table_name: str) -> None:
    """Create the table (on-demand) and wait until it exists."""
    try:
        client.create_table(
            TableName=table_name,
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[
                {"AttributeName": name, "AttributeType": "S"}
                for name in ("pk", "sk", "gsi1pk", "gsi1sk")
            ],
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            GlobalSecondaryIndexes=[
                {
                    "IndexName": GSI1,
                    "KeySchema": [
                        {"AttributeName": "gsi1pk", "KeyType": "HASH"},
                        {"AttributeName": "gsi1sk", "KeyType": "RANGE"},
                    ],
                    "Projection": {"ProjectionType": "ALL"},
                }
            ],
        )
        client.get_waiter("table_exists").wait(
            TableName=table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 60}
        )
    except (ClientError, BotoCoreError) as exc:
        raise unavailable("create_table", exc) from exc


class Table:
    def __init__(
        self,
        name: str,
        client: Any,
        *,
        page_size: int | None = None,
        batch_attempts: int = 6,
        backoff_base: float = 0.1,
    ) -> None:
        """``client`` is a boto3 low-level DynamoDB client. ``page_size`` caps
        the items per Query page (``Limit``; None: DynamoDB's 1 MB pages);
        ``batch_attempts``/``backoff_base`` bound the retries of unprocessed
        batch writes (exponential backoff from ``backoff_base`` seconds)."""
        self.name = name
        self.client = client
        self._page_size = page_size
        self._batch_attempts = max(1, batch_attempts)
        self._backoff_base = backoff_base

    def call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response: dict[str, Any] = getattr(self.client, operation)(**kwargs)
        except (ClientError, BotoCoreError) as exc:
            raise unavailable(operation, exc) from exc
        return response

    def conditional(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        """A conditional write; ``ConditionFailed`` when its condition does not hold."""
        try:
            response: dict[str, Any] = getattr(self.client, operation)(**kwargs)
        except ClientError as exc:
            if error_code(exc) == "ConditionalCheckFailedException":
                raise ConditionFailed(operation) from exc
            raise unavailable(operation, exc) from exc
        except BotoCoreError as exc:
            raise unavailable(operation, exc) from exc
        return response

    def get(self, pk: str, sk: str = SK) -> dict[str, Any] | None:
        response = self.call("get_item", TableName=self.name, Key=key(pk, sk), ConsistentRead=True)
        item = response.get("Item")
        return None if item is None else from_item(item)

    def create(self, item: dict[str, Any], what: str) -> None:
        """Put ``item`` unless one with its key exists (``Conflict``)."""
        try:
            self.conditional(
                "put_item",
                TableName=self.name,
                Item=item,
                ConditionExpression="attribute_not_exists(pk)",
            )
        except ConditionFailed as exc:
            raise Conflict(f"{what} already exists") from exc.__cause__

    def put(self, item: dict[str, Any]) -> None:
        self.call("put_item", TableName=self.name, Item=item)

    def create_all(self, items: list[dict[str, Any]], conflict: str) -> None:
        """Create every item or none (Conflict if any already exists)."""
        self.transact(
            [
                {
                    "Put": {
                        "TableName": self.name,
                        "Item": item,
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                }
                for item in items
            ],
            conflict,
        )

    def transact(
        self,
        items: list[dict[str, Any]],
        conflict: str,
        conflicts: Mapping[int, Conflict] | None = None,
    ) -> None:
        """Write ``items`` all or none; a failed condition is ``Conflict(conflict)``,
        or ``conflicts[i]`` when item ``i``'s condition is one of those that failed."""
        try:
            self.client.transact_write_items(TransactItems=items)
        except ClientError as exc:
            if error_code(exc) == "TransactionCanceledException":
                reasons = exc.response.get("CancellationReasons") or []
                failed = [
                    i for i, r in enumerate(reasons) if r.get("Code") == "ConditionalCheckFailed"
                ]
                if failed:
                    named = [conflicts[i] for i in failed if conflicts and i in conflicts]
                    raise (named[0] if named else Conflict(conflict)) from exc
            raise unavailable("transact_write_items", exc) from exc
        except BotoCoreError as exc:
            raise unavailable("transact_write_items", exc) from exc

    def query(self, **kwargs: Any) -> Iterator[dict[str, Any]]:
        """Every item a Query finds, page after page."""
        kwargs["TableName"] = self.name
        if self._page_size is not None:
            kwargs["Limit"] = self._page_size
        while True:
            page = self.call("query", **kwargs)
            for item in page.get("Items", []):
                yield from_item(item)
            last = page.get("LastEvaluatedKey")
            if not last:
                return
            kwargs["ExclusiveStartKey"] = last

    def index(self, gsi1pk: str, *, newest_first: bool = False) -> Iterator[dict[str, Any]]:
        """The items of one ``gsi1`` partition, by ``gsi1sk``."""
        order = {"ScanIndexForward": False} if newest_first else {}
        return self.query(
            IndexName=GSI1,
            KeyConditionExpression="gsi1pk = :p",
            ExpressionAttributeValues={":p": {"S": gsi1pk}},
            **order,
        )

    def partition(self, pk: str, *, newest_first: bool = False) -> Iterator[dict[str, Any]]:
        """The items of one partition, by sort key."""
        order = {"ScanIndexForward": False} if newest_first else {}
        return self.query(
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": {"S": pk}},
            **order,
        )

    def batch_put(self, requests: list[dict[str, Any]], what: str) -> None:
        """Put up to 25 items, retrying those DynamoDB leaves unprocessed."""
        pending: dict[str, list[dict[str, Any]]] = {self.name: requests}
        for attempt in range(self._batch_attempts):
            if attempt:
                time.sleep(min(self._backoff_base * 2 ** (attempt - 1), 5.0))
            response = self.call("batch_write_item", RequestItems=pending)
            pending = {t: r for t, r in (response.get("UnprocessedItems") or {}).items() if r}
            if not pending:
                return
        left = sum(len(r) for r in pending.values())
        raise Unavailable(f"the DynamoDB store left {left} {what} unwritten; retry")
