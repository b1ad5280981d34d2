"""Signing keys in DynamoDB.

Items: the key ``KEY#{kid}`` / ``A`` (``gsi1``: ``KEYS#{issuer}`` / kid, kept
for ad-hoc use); a full copy in the partition ``KEYS`` / ``{issuer}#{kid}``;
and ``ACTIVE#{issuer}`` / ``A`` naming the issuer's one active key.

Listing keys. Every key is written twice in one ``TransactWriteItems``: the
main item (what ``get_key`` reads) and the copy. ``list_keys()`` is one
strongly consistent query of the ``KEYS`` partition and ``list_keys(issuer)``
the same query with ``begins_with(sk, "{issuer}#")`` (the issuer is also
compared exactly, so a ``#`` in a code cannot leak another issuer's keys). No
Scan is needed (a Scan would read every document and identity), and unlike
``gsi1`` the partition can be read with ``ConsistentRead``: issuance never
signs with a key that was revoked a moment ago. ``replace_key`` is a
compare-and-set on the main item's status (and issuer) in the same
transaction that rewrites the copy, so the two never diverge.

One active key per issuer. A query cannot be a write condition, so each
issuer with an active key has a marker item naming it. ``create_key`` of an
active key puts the marker, on ``attribute_not_exists``, in the transaction
that writes the key: of N creations at once one commits and the others are
cancelled whole (``Conflict``, ``KEY_ALREADY_ACTIVE``). A ``replace_key`` that
takes a key out of ``active`` deletes the marker in its transaction, on the
condition that it names that key. Tables written before markers existed hold
active keys without one; before such a write the key is marked (only while
it is still active), so they need no migration.
"""

from __future__ import annotations

from typing import Any

from chalicelib.adapters.dynamodb.table import SK, Table, key, to_item
from chalicelib.adapters.records import decode, encode
from chalicelib.domain.models import SigningKey, claims_active, releases_active
from chalicelib.errors import Conflict, ErrorCode

KEYS_PARTITION = "KEYS"


def key_items(k: SigningKey) -> tuple[dict[str, Any], dict[str, Any]]:
    """The key's main item and its copy in the ``KEYS`` partition."""
    body = encode(k)
    main = to_item("key", f"KEY#{k.kid}", SK, body, gsi1pk=f"KEYS#{k.issuer}", gsi1sk=k.kid)
    index = to_item("key-index", KEYS_PARTITION, f"{k.issuer}#{k.kid}", body)
    return main, index


def _already_active(k: SigningKey) -> Conflict:
    return Conflict(
        f"issuer {k.issuer} already has an active key", code=ErrorCode.KEY_ALREADY_ACTIVE
    )


class DynamoKeys:
    def __init__(self, table: Table) -> None:
        self.table = table

    def create_key(self, key: SigningKey) -> None:
        items = [
            {
                "Put": {
                    "TableName": self.table.name,
                    "Item": item,
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            }
            for item in key_items(key)
        ]
        conflicts: dict[int, Conflict] = {}
        if claims_active(key, None):
            self._mark_unmarked_active(key.issuer)
            items.append(self._claim_active(key))
            conflicts[len(items) - 1] = _already_active(key)
        self.table.transact(items, f"key {key.kid} already exists", conflicts)

    def replace_key(self, key: SigningKey, *, expected_status: str) -> None:
        main, index = key_items(key)
        items: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self.table.name,
                    "Item": main,
                    "ConditionExpression": "#status = :expected AND #issuer = :issuer",
                    "ExpressionAttributeNames": {"#status": "status", "#issuer": "issuer"},
                    "ExpressionAttributeValues": {
                        ":expected": {"S": expected_status},
                        ":issuer": {"S": key.issuer},
                    },
                }
            },
            {"Put": {"TableName": self.table.name, "Item": index}},
        ]
        conflicts: dict[int, Conflict] = {}
        if releases_active(key, expected_status):
            items.append(self._release_active(key))
        elif claims_active(key, expected_status):
            self._mark_unmarked_active(key.issuer)
            items.append(self._claim_active(key))
            conflicts[len(items) - 1] = _already_active(key)
        self.table.transact(items, f"key {key.kid} is no longer {expected_status}", conflicts)

    def get_key(self, kid: str) -> SigningKey | None:
        body = self.table.get(f"KEY#{kid}")
        return None if body is None else decode(SigningKey, body)

    def list_keys(self, issuer: str | None = None) -> list[SigningKey]:
        query: dict[str, Any] = {
            "ConsistentRead": True,
            "KeyConditionExpression": "pk = :p",
            "ExpressionAttributeValues": {":p": {"S": KEYS_PARTITION}},
        }
        if issuer is not None:
            query["KeyConditionExpression"] = "pk = :p AND begins_with(sk, :prefix)"
            query["ExpressionAttributeValues"][":prefix"] = {"S": f"{issuer}#"}
        keys = [decode(SigningKey, body) for body in self.table.query(**query)]
        if issuer is not None:
            keys = [k for k in keys if k.issuer == issuer]
        return sorted(keys, key=lambda k: (k.issuer, k.kid))

    def _claim_active(self, k: SigningKey) -> dict[str, Any]:
        """The transaction item that makes ``k`` its issuer's one active key."""
        marker = to_item("active-key", f"ACTIVE#{k.issuer}", SK, {"issuer": k.issuer, "kid": k.kid})
        return {
            "Put": {
                "TableName": self.table.name,
                "Item": marker,
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }

    def _release_active(self, k: SigningKey) -> dict[str, Any]:
        """The transaction item that frees the issuer as ``k`` stops being
        active: its marker goes. A marker naming another key (a table from
        before markers that holds two active keys) stays, unchanged meanwhile."""
        marker = key(f"ACTIVE#{k.issuer}")
        stored = self.table.get(f"ACTIVE#{k.issuer}")
        if stored is not None and stored.get("kid") != k.kid:
            return {
                "ConditionCheck": {
                    "TableName": self.table.name,
                    "Key": marker,
                    "ConditionExpression": "#kid = :other",
                    "ExpressionAttributeNames": {"#kid": "kid"},
                    "ExpressionAttributeValues": {":other": {"S": str(stored.get("kid"))}},
                }
            }
        return {
            "Delete": {
                "TableName": self.table.name,
                "Key": marker,
                "ConditionExpression": "attribute_not_exists(pk) OR #kid = :kid",
                "ExpressionAttributeNames": {"#kid": "kid"},
                "ExpressionAttributeValues": {":kid": {"S": k.kid}},
            }
        }

    def _mark_unmarked_active(self, issuer: str) -> None:
        """A table written before markers existed holds active keys without
        one: mark such a key, while it is still active, so that the condition
        of the write about to be made sees it."""
        if self.table.get(f"ACTIVE#{issuer}") is not None:
            return
        active = [k for k in self.list_keys(issuer) if k.status == "active"]
        if not active:
            return
        try:
            self.table.transact(
                [
                    {
                        "ConditionCheck": {
                            "TableName": self.table.name,
                            "Key": key(f"KEY#{active[0].kid}"),
                            "ConditionExpression": "#status = :active",
                            "ExpressionAttributeNames": {"#status": "status"},
                            "ExpressionAttributeValues": {":active": {"S": "active"}},
                        }
                    },
                    self._claim_active(active[0]),
                ],
                "marked meanwhile",
            )
        except Conflict:
            # it stopped being active, or another writer marked a key: either
            # way the condition of the write about to be made decides
            pass
