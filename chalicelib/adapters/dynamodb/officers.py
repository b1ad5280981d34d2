"""Officer accounts in DynamoDB: ``OFFICER#{subject}`` / ``A``, listed from
``gsi1`` (``OFFICERS`` / ``{agency}#{subject}``).

A subject is the key, so "one account per subject across every agency" is
the creation's ``attribute_not_exists`` condition. A change (disable,
enable) is a compare-and-set on the stored agency and status, so of two
disablings at once one wins. ``get_officer`` reads strongly consistently
(the sign-in session asks on every request); the lists come from the
eventually consistent index, and one agency's are the ``begins_with`` of
its code and ``#`` with the agency then compared exactly.
"""

from __future__ import annotations

from typing import Any

from chalicelib.adapters.dynamodb.table import (
    GSI1,
    SK,
    ConditionFailed,
    Table,
    to_item,
)
from chalicelib.adapters.records import decode, encode
from chalicelib.domain.officers import OfficerAccount
from chalicelib.errors import Conflict, NotFound

PARTITION = "OFFICERS"


def _item(account: OfficerAccount) -> dict[str, Any]:
    return to_item(
        "officer",
        f"OFFICER#{account.subject}",
        SK,
        encode(account),
        gsi1pk=PARTITION,
        gsi1sk=f"{account.agency}#{account.subject}",
    )


class DynamoOfficers:
    def __init__(self, table: Table) -> None:
        self.table = table

    def create_officer(self, account: OfficerAccount) -> None:
        self.table.create(_item(account), "an officer account with this subject")

    def replace_officer(self, account: OfficerAccount, *, expected_status: str) -> None:
        try:
            self.table.conditional(
                "put_item",
                TableName=self.table.name,
                Item=_item(account),
                ConditionExpression=(
                    "attribute_exists(pk) AND #status = :expected AND #agency = :agency"
                ),
                ExpressionAttributeNames={"#status": "status", "#agency": "agency"},
                ExpressionAttributeValues={
                    ":expected": {"S": expected_status},
                    ":agency": {"S": account.agency},
                },
            )
        except ConditionFailed as exc:
            if self.get_officer(account.subject) is None:
                raise NotFound("no such officer account") from exc.__cause__
            raise Conflict("the officer account was changed meanwhile") from exc.__cause__

    def get_officer(self, subject: str) -> OfficerAccount | None:
        body = self.table.get(f"OFFICER#{subject}")
        return None if body is None else decode(OfficerAccount, body)

    def list_officers(self, agency: str | None = None) -> list[OfficerAccount]:
        if agency is None:
            bodies = self.table.index(PARTITION)
        else:
            bodies = self.table.query(
                IndexName=GSI1,
                KeyConditionExpression="gsi1pk = :p AND begins_with(gsi1sk, :a)",
                ExpressionAttributeValues={":p": {"S": PARTITION}, ":a": {"S": f"{agency}#"}},
            )
        accounts = [decode(OfficerAccount, body) for body in bodies]
        found = [a for a in accounts if agency is None or a.agency == agency]
        return sorted(found, key=lambda a: (a.agency, a.subject))
