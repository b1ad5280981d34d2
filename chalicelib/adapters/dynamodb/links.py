"""Share links and their views in DynamoDB. Items carry a ``ttl`` attribute
(epoch seconds, from ``domain.retention``) for the table's TTL.

Items: the link ``LINK#{id}`` / ``A`` (``gsi1``: ``LINKS#{holder_ref}`` /
created_at; plus ``expires_epoch``, which the view claim's condition
compares); ``LINKTOKEN#{token_hash}`` / ``A`` naming the link; each view
``LINKVIEWS#{link_id}`` / ``{at}#{random}``.
"""

from __future__ import annotations

import datetime as dt
import secrets

from chalicelib.adapters.dynamodb.table import (
    SK,
    ConditionFailed,
    Table,
    epoch,
    from_item,
    key,
    to_item,
)
from chalicelib.adapters.records import decode, encode, iso
from chalicelib.domain.models import LinkView, ShareLink
from chalicelib.domain.retention import link_kept_until, view_kept_until


class DynamoLinks:
    def __init__(self, table: Table) -> None:
        self.table = table

    def create_link(self, link: ShareLink) -> None:
        keep = epoch(link_kept_until(link))
        main = to_item(
            "link",
            f"LINK#{link.id}",
            SK,
            encode(link),
            gsi1pk=f"LINKS#{link.holder_ref}",
            gsi1sk=str(iso(link.created_at)),
        )
        main["expires_epoch"] = {"N": str(epoch(link.expires_at))}
        main["ttl"] = {"N": str(keep)}
        token = to_item("link-token", f"LINKTOKEN#{link.token_hash}", SK, {"link_id": link.id})
        token["ttl"] = {"N": str(keep)}
        self.table.create_all([main, token], f"link {link.id} already exists")

    def get_link(self, link_id: str) -> ShareLink | None:
        body = self.table.get(f"LINK#{link_id}")
        return None if body is None else decode(ShareLink, body)

    def find_link(self, token_hash: str) -> ShareLink | None:
        entry = self.table.get(f"LINKTOKEN#{token_hash}")
        return None if entry is None else self.get_link(str(entry["link_id"]))

    def list_links(self, holder_ref: str) -> list[ShareLink]:
        bodies = self.table.index(f"LINKS#{holder_ref}", newest_first=True)
        return [decode(ShareLink, b) for b in bodies]

    def claim_view(self, link_id: str, now: dt.datetime) -> ShareLink | None:
        """One conditional UpdateItem and no read before it: DynamoDB makes it atomic."""
        try:
            response = self.table.conditional(
                "update_item",
                TableName=self.table.name,
                Key=key(f"LINK#{link_id}"),
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
                    ":now": {"N": str(epoch(now))},
                },
                ReturnValues="ALL_NEW",
            )
        except ConditionFailed:
            return None
        return decode(ShareLink, from_item(response["Attributes"]))

    def revoke_link(self, link_id: str, now: dt.datetime) -> None:
        try:
            self.table.conditional(
                "update_item",
                TableName=self.table.name,
                Key=key(f"LINK#{link_id}"),
                UpdateExpression="SET #revoked = :now",
                ConditionExpression="attribute_exists(pk) AND #revoked = :null",
                ExpressionAttributeNames={"#revoked": "revoked_at"},
                ExpressionAttributeValues={":now": {"S": str(iso(now))}, ":null": {"NULL": True}},
            )
        except ConditionFailed:
            pass  # unknown, or revoked already: the first revocation stays

    def add_view(self, view: LinkView) -> None:
        item = to_item(
            "link-view",
            f"LINKVIEWS#{view.link_id}",
            f"{iso(view.at)}#{secrets.token_hex(4)}",
            encode(view),
        )
        item["ttl"] = {"N": str(epoch(view_kept_until(view)))}
        self.table.put(item)

    def list_views(self, link_id: str) -> list[LinkView]:
        bodies = self.table.partition(f"LINKVIEWS#{link_id}", newest_first=True)
        return [decode(LinkView, b) for b in bodies]
