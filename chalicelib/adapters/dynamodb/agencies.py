"""Verifying agencies in DynamoDB: ``AGENCY#{code}`` / ``A``, listed from
``gsi1`` (``AGENCIES`` / code), which is eventually consistent; one agency
is read strongly consistently."""

from __future__ import annotations

from chalicelib.adapters.dynamodb.table import SK, Table, to_item
from chalicelib.adapters.records import decode, encode
from chalicelib.domain.officers import Agency


class DynamoAgencies:
    def __init__(self, table: Table) -> None:
        self.table = table

    def create_agency(self, agency: Agency) -> None:
        item = to_item(
            "agency",
            f"AGENCY#{agency.code}",
            SK,
            encode(agency),
            gsi1pk="AGENCIES",
            gsi1sk=agency.code,
        )
        self.table.create(item, f"agency {agency.code}")

    def get_agency(self, code: str) -> Agency | None:
        body = self.table.get(f"AGENCY#{code}")
        return None if body is None else decode(Agency, body)

    def list_agencies(self) -> list[Agency]:
        return [decode(Agency, body) for body in self.table.index("AGENCIES")]
