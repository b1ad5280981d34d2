"""Officer accounts in SQLite: one row per subject, with its agency and
status as columns (the list by agency, the compare-and-set of a change)."""

from __future__ import annotations

from chalicelib.adapters.records import decode, encode
from chalicelib.adapters.sqlite.db import Database, dumps
from chalicelib.domain.officers import OfficerAccount
from chalicelib.errors import Conflict, NotFound


class SqliteOfficers:
    def __init__(self, db: Database) -> None:
        self._db = db

    def create_officer(self, account: OfficerAccount) -> None:
        with self._db.tx() as db:
            db.execute(
                "INSERT INTO officers (subject, agency, status, body) VALUES (?, ?, ?, ?)",
                (account.subject, account.agency, account.status, dumps(encode(account))),
            )

    def replace_officer(self, account: OfficerAccount, *, expected_status: str) -> None:
        with self._db.tx() as db:
            row = db.execute(
                "SELECT agency, status FROM officers WHERE subject = ?", (account.subject,)
            ).fetchone()
            if row is None:
                raise NotFound("no such officer account")
            if (row[0], row[1]) != (account.agency, expected_status):
                raise Conflict("the officer account was changed meanwhile")
            db.execute(
                "UPDATE officers SET status = ?, body = ? WHERE subject = ?",
                (account.status, dumps(encode(account)), account.subject),
            )

    def get_officer(self, subject: str) -> OfficerAccount | None:
        body = self._db.one("SELECT body FROM officers WHERE subject = ?", subject)
        return None if body is None else decode(OfficerAccount, body)

    def list_officers(self, agency: str | None = None) -> list[OfficerAccount]:
        if agency is None:
            rows = self._db.all("SELECT body FROM officers ORDER BY agency, subject")
        else:
            rows = self._db.all(
                "SELECT body FROM officers WHERE agency = ? ORDER BY subject", agency
            )
        return [decode(OfficerAccount, b) for b in rows]
