"""Issuers in DynamoDB: ``ISSUER#{code}`` / ``A``, listed from ``gsi1``
(``ISSUERS`` / code), which is eventually consistent."""

from __future__ import annotations

from typing import Any

from chalicelib.adapters.dynamodb.table import SK, Table, to_item
from chalicelib.adapters.records import decode, encode
from chalicelib.domain.models import Issuer


def _item(issuer: Issuer) -> dict[str, Any]:
    return to_item(
        "issuer", f"ISSUER#{issuer.code}", SK, encode(issuer), gsi1pk="ISSUERS", gsi1sk=issuer.code
    )


class DynamoIssuers:
    def __init__(self, table: Table) -> None:
        self.table = table

    def create_issuer(self, issuer: Issuer) -> None:
        self.table.create(_item(issuer), f"issuer {issuer.code}")

    def save_issuer(self, issuer: Issuer) -> None:
        self.table.put(_item(issuer))

    def get_issuer(self, code: str) -> Issuer | None:
        body = self.table.get(f"ISSUER#{code}")
        return None if body is None else decode(Issuer, body)

    def list_issuers(self) -> list[Issuer]:
        issuers = [decode(Issuer, body) for body in self.table.index("ISSUERS")]
        return sorted(issuers, key=lambda i: i.code)
