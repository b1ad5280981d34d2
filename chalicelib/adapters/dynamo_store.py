"""The AWS store: one DynamoDB table, single-table design.

Table: ``pk`` (S, hash) / ``sk`` (S, range), on-demand billing, one global
secondary index ``gsi1`` on ``gsi1pk`` / ``gsi1sk`` (projection ALL). Every
item carries an ``entity`` attribute and the flat record of
``chalicelib.adapters.records`` as top-level attributes (bytes as ``B``,
integers as ``N``, absent times as ``NULL``).

Items (entity: pk / sk / gsi1pk / gsi1sk):

- issuer: ``ISSUER#{code}`` / ``A`` / ``ISSUERS`` / code
- key: ``KEY#{kid}`` / ``A`` / ``KEYS#{issuer}`` / kid
- key-index: ``KEYS`` / ``{issuer}#{kid}`` (a full copy of the key, no gsi1)
- active-key: ``ACTIVE#{issuer}`` / ``A``, with ``kid``: the issuer's one active key
- document: ``DOC#{id}`` / ``A`` / ``DOCS#KID#{kid}`` / ``{issued_at}#{id}``, plus
  ``holder_ref`` (documents by key, for re-issuing)
- identity: ``ID#{holder_ref}`` / ``A``
- idempotency: ``IDEM#{scope}#{key}`` / ``A`` (scope is an issuer code, no ``#``)
- counter: ``COUNTER#{name}`` / ``A``, numeric ``value``

Listing keys. Every key is written twice in one ``TransactWriteItems``: the
main item (``KEY#{kid}``, what ``get_key`` reads) and a full copy in the
well-known partition ``KEYS`` with sort key ``{issuer}#{kid}``. ``list_keys()``
is one strongly consistent query of that partition and ``list_keys(issuer)``
the same query with ``begins_with(sk, "{issuer}#")`` (the issuer is also
compared exactly, so a ``#`` in a code cannot leak another issuer's keys). No
Scan is needed (a Scan would read every document and identity), and unlike the
``gsi1`` entry — kept on the main item for ad-hoc use — the partition can be
read with ``ConsistentRead``: issuance never signs with a key that was revoked
a moment ago. ``replace_key`` is a compare-and-set on the main item's status
(and issuer) in the same transaction that rewrites the copy, so the two never
diverge.

One active key per issuer. A query cannot be a write condition, so each
issuer with an active key has a marker item ``ACTIVE#{issuer}`` naming it.
``create_key`` of an active key puts the marker, on ``attribute_not_exists``,
in the transaction that writes the key: of N creations at once one commits and
the others are cancelled whole (``Conflict``, ``KEY_ALREADY_ACTIVE``). A
``replace_key`` that takes a key out of ``active`` (retirement, rotation,
revocation) deletes the marker in its transaction, on the condition that it
names that key. Tables written before markers existed hold active keys
without one; before such a write the key is marked (only while it is still
active), so they need no migration.

Issuers are listed from ``gsi1`` (``ISSUERS``), which is eventually
consistent. Every ``get_item`` is strongly consistent, every Query follows
``LastEvaluatedKey``, a failed write condition is ``Conflict``, and every other
backend failure becomes ``Unavailable`` (the message names the operation and
error code, never an item's contents).
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import Binary, TypeDeserializer, TypeSerializer
from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.adapters import records as rec
from chalicelib.domain.audit import AuditEntry
from chalicelib.domain.catalogue import DocType
from chalicelib.domain.models import (
    DocumentRecord,
    IdempotencyRecord,
    IdentityRecord,
    Issuer,
    LinkView,
    ShareLink,
    SigningKey,
)
from chalicelib.errors import Conflict, NotFound, Unavailable

SK = "A"
KEYS_PARTITION = "KEYS"
AUDIT_PARTITION = "AUDIT"
GSI1 = "gsi1"
BATCH_SIZE = 25
_RESERVED = frozenset({"pk", "sk", "gsi1pk", "gsi1sk", "entity"})

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


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


def _to_item(entity: str, pk: str, sk: str, body: dict[str, Any], **extra: str) -> dict[str, Any]:
    assert not _RESERVED & body.keys(), "a record field shadows a table attribute"
    plain = {**body, "pk": pk, "sk": sk, "entity": entity, **extra}
    return {name: _serializer.serialize(value) for name, value in plain.items()}


def _from_item(item: dict[str, Any]) -> dict[str, Any]:
    return {name: _plain(_deserializer.deserialize(value)) for name, value in item.items()}


# A link's record (and its views) outlive its expiry by this much, so the
# citizen still sees a recently expired link and who opened it.
LINK_RETENTION = dt.timedelta(days=30)


def _epoch(when: dt.datetime) -> int:
    return int(when.timestamp())


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _unavailable(operation: str, exc: Exception) -> Unavailable:
    code = _code(exc) if isinstance(exc, ClientError) else type(exc).__name__
    return Unavailable(f"the DynamoDB store failed ({operation}: {code or 'error'})")


def _issuer_item(issuer: Issuer) -> dict[str, Any]:
    return _to_item(
        "issuer",
        f"ISSUER#{issuer.code}",
        SK,
        rec.issuer_to(issuer),
        gsi1pk="ISSUERS",
        gsi1sk=issuer.code,
    )


def _document_item(doc: DocumentRecord) -> dict[str, Any]:
    body = rec.document_to(doc)
    return _to_item(
        "document",
        f"DOC#{doc.id}",
        SK,
        body,
        gsi1pk=f"DOCS#KID#{doc.kid}",
        gsi1sk=f"{body['issued_at']}#{doc.id}",  # one second can hold several documents
    )


def _marker_key(issuer: str) -> dict[str, Any]:
    return {"pk": {"S": f"ACTIVE#{issuer}"}, "sk": {"S": SK}}


def _marker_item(key: SigningKey) -> dict[str, Any]:
    return _to_item(
        "active-key", f"ACTIVE#{key.issuer}", SK, {"issuer": key.issuer, "kid": key.kid}
    )


def _already_active(key: SigningKey) -> Conflict:
    return Conflict(f"issuer {key.issuer} already has an active key", code="KEY_ALREADY_ACTIVE")


def _key_items(key: SigningKey) -> tuple[dict[str, Any], dict[str, Any]]:
    body = rec.key_to(key)
    main = _to_item("key", f"KEY#{key.kid}", SK, body, gsi1pk=f"KEYS#{key.issuer}", gsi1sk=key.kid)
    index = _to_item("key-index", KEYS_PARTITION, f"{key.issuer}#{key.kid}", body)
    return main, index


class DynamoStore:
    backend = "dynamodb"

    def __init__(
        self,
        table_name: str,
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
        self.table_name = table_name
        self._client = client
        self._page_size = page_size
        self._batch_attempts = max(1, batch_attempts)
        self._backoff_base = backoff_base

    @classmethod
    def create_table(cls, client: Any, table_name: str) -> None:
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
            raise _unavailable("create_table", exc) from exc

    # Low-level helpers
    def _call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response: dict[str, Any] = getattr(self._client, operation)(**kwargs)
        except (ClientError, BotoCoreError) as exc:
            raise _unavailable(operation, exc) from exc
        return response

    def _get(self, pk: str, sk: str = SK) -> dict[str, Any] | None:
        response = self._call(
            "get_item",
            TableName=self.table_name,
            Key={"pk": {"S": pk}, "sk": {"S": sk}},
            ConsistentRead=True,
        )
        item = response.get("Item")
        return None if item is None else _from_item(item)

    def _create(self, item: dict[str, Any], what: str) -> None:
        try:
            self._client.put_item(
                TableName=self.table_name,
                Item=item,
                ConditionExpression="attribute_not_exists(pk)",
            )
        except ClientError as exc:
            if _code(exc) == "ConditionalCheckFailedException":
                raise Conflict(f"{what} already exists") from exc
            raise _unavailable("put_item", exc) from exc
        except BotoCoreError as exc:
            raise _unavailable("put_item", exc) from exc

    def _put(self, item: dict[str, Any]) -> None:
        self._call("put_item", TableName=self.table_name, Item=item)

    def _create_all(self, items: list[dict[str, Any]], conflict: str) -> None:
        """Create every item or none (Conflict if any already exists)."""
        self._transact(
            [
                {
                    "Put": {
                        "TableName": self.table_name,
                        "Item": item,
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                }
                for item in items
            ],
            conflict,
        )

    def _transact(
        self,
        items: list[dict[str, Any]],
        conflict: str,
        conflicts: Mapping[int, Conflict] | None = None,
    ) -> None:
        """Write ``items`` all or none; a failed condition is ``Conflict(conflict)``,
        or ``conflicts[i]`` when item ``i``'s condition is one of those that failed."""
        try:
            self._client.transact_write_items(TransactItems=items)
        except ClientError as exc:
            if _code(exc) == "TransactionCanceledException":
                reasons = exc.response.get("CancellationReasons") or []
                failed = [
                    i for i, r in enumerate(reasons) if r.get("Code") == "ConditionalCheckFailed"
                ]
                if failed:
                    named = [conflicts[i] for i in failed if conflicts and i in conflicts]
                    raise (named[0] if named else Conflict(conflict)) from exc
            raise _unavailable("transact_write_items", exc) from exc
        except BotoCoreError as exc:
            raise _unavailable("transact_write_items", exc) from exc

    def _query(self, **kwargs: Any) -> Iterator[dict[str, Any]]:
        kwargs["TableName"] = self.table_name
        if self._page_size is not None:
            kwargs["Limit"] = self._page_size
        while True:
            page = self._call("query", **kwargs)
            for item in page.get("Items", []):
                yield _from_item(item)
            last = page.get("LastEvaluatedKey")
            if not last:
                return
            kwargs["ExclusiveStartKey"] = last

    # Issuers
    def create_issuer(self, issuer: Issuer) -> None:
        self._create(_issuer_item(issuer), f"issuer {issuer.code}")

    def save_issuer(self, issuer: Issuer) -> None:
        self._put(_issuer_item(issuer))

    def get_issuer(self, code: str) -> Issuer | None:
        body = self._get(f"ISSUER#{code}")
        return None if body is None else rec.issuer_from(body)

    def list_issuers(self) -> list[Issuer]:
        issuers = [
            rec.issuer_from(body)
            for body in self._query(
                IndexName=GSI1,
                KeyConditionExpression="gsi1pk = :p",
                ExpressionAttributeValues={":p": {"S": "ISSUERS"}},
            )
        ]
        return sorted(issuers, key=lambda i: i.code)

    # Keys
    def create_key(self, key: SigningKey) -> None:
        items = [
            {
                "Put": {
                    "TableName": self.table_name,
                    "Item": item,
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            }
            for item in _key_items(key)
        ]
        if key.status == "active":
            self._mark_unmarked_active(key.issuer)
            items.append(self._claim_active(key))
        self._transact(
            items, f"key {key.kid} already exists", {len(items) - 1: _already_active(key)}
        )

    def replace_key(self, key: SigningKey, *, expected_status: str) -> None:
        main, index = _key_items(key)
        items: list[dict[str, Any]] = [
            {
                "Put": {
                    "TableName": self.table_name,
                    "Item": main,
                    "ConditionExpression": "#status = :expected AND #issuer = :issuer",
                    "ExpressionAttributeNames": {"#status": "status", "#issuer": "issuer"},
                    "ExpressionAttributeValues": {
                        ":expected": {"S": expected_status},
                        ":issuer": {"S": key.issuer},
                    },
                }
            },
            {"Put": {"TableName": self.table_name, "Item": index}},
        ]
        conflicts: dict[int, Conflict] = {}
        if expected_status == "active" and key.status != "active":
            items.append(self._release_active(key))
        elif key.status == "active" and expected_status != "active":
            self._mark_unmarked_active(key.issuer)
            items.append(self._claim_active(key))
            conflicts[len(items) - 1] = _already_active(key)
        self._transact(items, f"key {key.kid} is no longer {expected_status}", conflicts)

    def _claim_active(self, key: SigningKey) -> dict[str, Any]:
        """The transaction item that makes ``key`` its issuer's one active key."""
        return {
            "Put": {
                "TableName": self.table_name,
                "Item": _marker_item(key),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }

    def _release_active(self, key: SigningKey) -> dict[str, Any]:
        """The transaction item that frees the issuer as ``key`` stops being
        active: its marker goes. A marker naming another key (a table from
        before markers that holds two active keys) stays, unchanged meanwhile."""
        marker = _marker_key(key.issuer)
        stored = self._get(marker["pk"]["S"])
        if stored is not None and stored.get("kid") != key.kid:
            return {
                "ConditionCheck": {
                    "TableName": self.table_name,
                    "Key": marker,
                    "ConditionExpression": "#kid = :other",
                    "ExpressionAttributeNames": {"#kid": "kid"},
                    "ExpressionAttributeValues": {":other": {"S": str(stored.get("kid"))}},
                }
            }
        return {
            "Delete": {
                "TableName": self.table_name,
                "Key": marker,
                "ConditionExpression": "attribute_not_exists(pk) OR #kid = :kid",
                "ExpressionAttributeNames": {"#kid": "kid"},
                "ExpressionAttributeValues": {":kid": {"S": key.kid}},
            }
        }

    def _mark_unmarked_active(self, issuer: str) -> None:
        """A table written before markers existed holds active keys without
        one: mark such a key, while it is still active, so that the condition
        of the write about to be made sees it."""
        marker = _marker_key(issuer)
        if self._get(marker["pk"]["S"]) is not None:
            return
        active = [k for k in self.list_keys(issuer) if k.status == "active"]
        if not active:
            return
        try:
            self._transact(
                [
                    {
                        "ConditionCheck": {
                            "TableName": self.table_name,
                            "Key": {"pk": {"S": f"KEY#{active[0].kid}"}, "sk": {"S": SK}},
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

    def get_key(self, kid: str) -> SigningKey | None:
        body = self._get(f"KEY#{kid}")
        return None if body is None else rec.key_from(body)

    def list_keys(self, issuer: str | None = None) -> list[SigningKey]:
        query: dict[str, Any] = {
            "ConsistentRead": True,
            "KeyConditionExpression": "pk = :p",
            "ExpressionAttributeValues": {":p": {"S": KEYS_PARTITION}},
        }
        if issuer is not None:
            query["KeyConditionExpression"] = "pk = :p AND begins_with(sk, :prefix)"
            query["ExpressionAttributeValues"][":prefix"] = {"S": f"{issuer}#"}
        keys = [rec.key_from(body) for body in self._query(**query)]
        if issuer is not None:
            keys = [k for k in keys if k.issuer == issuer]
        return sorted(keys, key=lambda k: (k.issuer, k.kid))

    # Documents
    def create_document(self, doc: DocumentRecord) -> None:
        item = _document_item(doc)
        # the holder's index entry: "my documents" without a scan
        index = _to_item(
            "holder-doc", f"HOLDER#{doc.holder_ref}", f"{item['gsi1sk']['S']}#{doc.id}", {}
        )
        self._create_all([item, index], f"document {doc.id} already exists")

    def save_document(self, doc: DocumentRecord, *, expected_status: str | None = None) -> None:
        condition: dict[str, Any] = {"ConditionExpression": "attribute_exists(pk)"}
        if expected_status is not None:
            condition = {
                "ConditionExpression": "attribute_exists(pk) AND #status = :expected",
                "ExpressionAttributeNames": {"#status": "status"},
                "ExpressionAttributeValues": {":expected": {"S": expected_status}},
            }
        try:
            self._client.put_item(TableName=self.table_name, Item=_document_item(doc), **condition)
        except ClientError as exc:
            if _code(exc) != "ConditionalCheckFailedException":
                raise _unavailable("put_item", exc) from exc
            if expected_status is not None and self.get_document(doc.id) is not None:
                raise Conflict(f"document {doc.id} is no longer {expected_status}") from exc
            raise NotFound(f"no document {doc.id}", code="DOCUMENT_NOT_FOUND") from exc
        except BotoCoreError as exc:
            raise _unavailable("put_item", exc) from exc

    def list_documents_by_key(self, kid: str) -> list[DocumentRecord]:
        bodies = self._query(
            IndexName=GSI1,
            KeyConditionExpression="gsi1pk = :p",
            ExpressionAttributeValues={":p": {"S": f"DOCS#KID#{kid}"}},
        )
        return [rec.document_from(b) for b in bodies]

    def list_documents(self, holder_ref: str) -> list[DocumentRecord]:
        entries = self._query(
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": {"S": f"HOLDER#{holder_ref}"}},
            ScanIndexForward=False,
        )
        found = [self.get_document(str(e["sk"]).rsplit("#", 1)[1]) for e in entries]
        return [d for d in found if d is not None]

    def get_document(self, doc_id: str) -> DocumentRecord | None:
        body = self._get(f"DOC#{doc_id}")
        return None if body is None else rec.document_from(body)

    # Identities
    def put_identities(self, records: Sequence[IdentityRecord]) -> None:
        # A batch may not name one item twice: the last record of a holder wins,
        # as with the sequential upserts of the SQLite adapter.
        latest = {r.holder_ref: r for r in records}
        items = [
            _to_item("identity", f"ID#{r.holder_ref}", SK, rec.identity_to(r))
            for r in latest.values()
        ]
        for start in range(0, len(items), BATCH_SIZE):
            chunk = items[start : start + BATCH_SIZE]
            self._batch_put([{"PutRequest": {"Item": item}} for item in chunk])

    def _batch_put(self, requests: list[dict[str, Any]]) -> None:
        pending: dict[str, list[dict[str, Any]]] = {self.table_name: requests}
        for attempt in range(self._batch_attempts):
            if attempt:
                time.sleep(min(self._backoff_base * 2 ** (attempt - 1), 5.0))
            response = self._call("batch_write_item", RequestItems=pending)
            pending = {t: r for t, r in (response.get("UnprocessedItems") or {}).items() if r}
            if not pending:
                return
        left = sum(len(r) for r in pending.values())
        raise Unavailable(f"the DynamoDB store left {left} identity records unwritten; retry")

    def get_identity(self, holder_ref: str) -> IdentityRecord | None:
        body = self._get(f"ID#{holder_ref}")
        return None if body is None else rec.identity_from(body)

    # Idempotency
    def claim_idempotency(self, record: IdempotencyRecord) -> IdempotencyRecord:
        pk = f"IDEM#{record.scope}#{record.key}"
        item = _to_item("idempotency", pk, SK, rec.idempotency_to(record))
        try:
            self._create(item, "idempotency key")
        except Conflict:
            stored = self._get(pk)
            if stored is None:  # the winner's record cannot vanish; do not guess
                raise Unavailable("the idempotency record could not be read back") from None
            return rec.idempotency_from(stored)
        return record

    # Counters
    def save_doc_type(self, doc_type: DocType) -> None:
        self._put(
            _to_item(
                "doc-type",
                f"DOCTYPE#{doc_type.code}",
                SK,
                rec.doc_type_to(doc_type),
                gsi1pk="DOCTYPES",
                gsi1sk=doc_type.code,
            )
        )

    def list_doc_types(self) -> list[DocType]:
        bodies = self._query(
            IndexName=GSI1,
            KeyConditionExpression="gsi1pk = :p",
            ExpressionAttributeValues={":p": {"S": "DOCTYPES"}},
        )
        return [rec.doc_type_from(b) for b in bodies]

    def save_type_note(self, doc_type: str, note_vi: str, note_en: str) -> None:
        if note_vi or note_en:
            body = {"doc_type": doc_type, "note_vi": note_vi, "note_en": note_en}
            self._put(
                _to_item(
                    "type-note",
                    f"TYPENOTE#{doc_type}",
                    SK,
                    body,
                    gsi1pk="TYPENOTES",
                    gsi1sk=doc_type,
                )
            )
        else:
            self._call(
                "delete_item",
                TableName=self.table_name,
                Key={"pk": {"S": f"TYPENOTE#{doc_type}"}, "sk": {"S": SK}},
            )

    def list_type_notes(self) -> dict[str, tuple[str, str]]:
        notes = self._query(
            IndexName=GSI1,
            KeyConditionExpression="gsi1pk = :p",
            ExpressionAttributeValues={":p": {"S": "TYPENOTES"}},
        )
        return {str(b["doc_type"]): (str(b["note_vi"]), str(b["note_en"])) for b in notes}

    # Share links: items carry a `ttl` attribute (epoch seconds) for DynamoDB's TTL
    def create_link(self, link: ShareLink) -> None:
        keep = _epoch(link.expires_at + LINK_RETENTION)
        main = _to_item(
            "link",
            f"LINK#{link.id}",
            SK,
            rec.link_to(link),
            gsi1pk=f"LINKS#{link.holder_ref}",
            gsi1sk=str(rec.iso(link.created_at)),
        )
        main["expires_epoch"] = {"N": str(_epoch(link.expires_at))}
        main["ttl"] = {"N": str(keep)}
        token = _to_item("link-token", f"LINKTOKEN#{link.token_hash}", SK, {"link_id": link.id})
        token["ttl"] = {"N": str(keep)}
        self._create_all([main, token], f"link {link.id} already exists")

    def get_link(self, link_id: str) -> ShareLink | None:
        body = self._get(f"LINK#{link_id}")
        return None if body is None else rec.link_from(body)

    def find_link(self, token_hash: str) -> ShareLink | None:
        entry = self._get(f"LINKTOKEN#{token_hash}")
        return None if entry is None else self.get_link(str(entry["link_id"]))

    def list_links(self, holder_ref: str) -> list[ShareLink]:
        bodies = self._query(
            IndexName=GSI1,
            KeyConditionExpression="gsi1pk = :p",
            ExpressionAttributeValues={":p": {"S": f"LINKS#{holder_ref}"}},
            ScanIndexForward=False,
        )
        return [rec.link_from(b) for b in bodies]

    def claim_view(self, link_id: str, now: dt.datetime) -> ShareLink | None:
        try:
            response = self._client.update_item(
                TableName=self.table_name,
                Key={"pk": {"S": f"LINK#{link_id}"}, "sk": {"S": SK}},
                UpdateExpression="SET #views = #views + :one",
                ConditionExpression=(
                    "attribute_exists(pk) AND #revoked = :null AND expires_epoch > :now "
                    "AND (#max = :null OR #views < #max)"
                ),
                ExpressionAttributeNames={
                    "#views": "views",
                    "#revoked": "revoked_at",
                    "#max": "max_views",
                },
                ExpressionAttributeValues={
                    ":one": {"N": "1"},
                    ":null": {"NULL": True},
                    ":now": {"N": str(_epoch(now))},
                },
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            if _code(exc) == "ConditionalCheckFailedException":
                return None
            raise _unavailable("update_item", exc) from exc
        except BotoCoreError as exc:
            raise _unavailable("update_item", exc) from exc
        return rec.link_from(_from_item(response["Attributes"]))

    def revoke_link(self, link_id: str, now: dt.datetime) -> None:
        try:
            self._client.update_item(
                TableName=self.table_name,
                Key={"pk": {"S": f"LINK#{link_id}"}, "sk": {"S": SK}},
                UpdateExpression="SET #revoked = :now",
                ConditionExpression="attribute_exists(pk) AND #revoked = :null",
                ExpressionAttributeNames={"#revoked": "revoked_at"},
                ExpressionAttributeValues={
                    ":now": {"S": str(rec.iso(now))},
                    ":null": {"NULL": True},
                },
            )
        except ClientError as exc:
            if _code(exc) != "ConditionalCheckFailedException":
                raise _unavailable("update_item", exc) from exc
        except BotoCoreError as exc:
            raise _unavailable("update_item", exc) from exc

    def add_view(self, view: LinkView) -> None:
        item = _to_item(
            "link-view",
            f"LINKVIEWS#{view.link_id}",
            f"{rec.iso(view.at)}#{secrets.token_hex(4)}",
            rec.view_to(view),
        )
        item["ttl"] = {"N": str(_epoch(view.at + LINK_RETENTION + dt.timedelta(days=30)))}
        self._put(item)

    def list_views(self, link_id: str) -> list[LinkView]:
        bodies = self._query(
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": {"S": f"LINKVIEWS#{link_id}"}},
            ScanIndexForward=False,
        )
        return [rec.view_from(b) for b in bodies]

    def append_audit(self, entry: AuditEntry) -> None:
        item = _to_item("audit", AUDIT_PARTITION, f"{entry.seq:012d}", rec.audit_to(entry))
        self._create(item, f"audit entry {entry.seq}")

    def last_audit(self) -> AuditEntry | None:
        page = self._call(
            "query",
            TableName=self.table_name,
            KeyConditionExpression="pk = :p",
            ExpressionAttributeValues={":p": {"S": AUDIT_PARTITION}},
            ScanIndexForward=False,
            Limit=1,
            ConsistentRead=True,
        )
        items = page.get("Items") or []
        return rec.audit_from(_from_item(items[0])) if items else None

    def list_audit(self, after: int = 0, limit: int = 100) -> list[AuditEntry]:
        if limit <= 0:
            return []
        out: list[AuditEntry] = []
        for body in self._query(
            KeyConditionExpression="pk = :p AND sk > :after",
            ExpressionAttributeValues={
                ":p": {"S": AUDIT_PARTITION},
                ":after": {"S": f"{max(after, 0):012d}"},
            },
            ConsistentRead=True,
        ):
            out.append(rec.audit_from(body))
            if len(out) >= limit:
                break
        return out

    def count_hit(self, bucket: str, expires_at: dt.datetime) -> int:
        response = self._call(
            "update_item",
            TableName=self.table_name,
            Key={"pk": {"S": f"HIT#{bucket}"}, "sk": {"S": SK}},
            UpdateExpression="SET #e = :entity, #ttl = :ttl ADD #c :one",
            ExpressionAttributeNames={"#e": "entity", "#c": "count", "#ttl": "ttl"},
            ExpressionAttributeValues={
                ":entity": {"S": "hit"},
                ":one": {"N": "1"},
                ":ttl": {"N": str(_epoch(expires_at))},
            },
            ReturnValues="UPDATED_NEW",
        )
        try:
            return int(response["Attributes"]["count"]["N"])
        except (KeyError, TypeError, ValueError) as exc:
            raise Unavailable("the DynamoDB store returned no count") from exc

    def next_counter(self, name: str) -> int:
        response = self._call(
            "update_item",
            TableName=self.table_name,
            Key={"pk": {"S": f"COUNTER#{name}"}, "sk": {"S": SK}},
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
