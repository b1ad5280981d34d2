"""Officer accounts in memory, one per subject."""

from __future__ import annotations

import threading

from chalicelib.domain.officers import OfficerAccount
from chalicelib.errors import Conflict, NotFound


class MemoryOfficers:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._accounts: dict[str, OfficerAccount] = {}

    def create_officer(self, account: OfficerAccount) -> None:
        with self._lock:
            if account.subject in self._accounts:
                raise Conflict("an officer account with this subject already exists")
            self._accounts[account.subject] = account

    def replace_officer(self, account: OfficerAccount, *, expected_status: str) -> None:
        with self._lock:
            stored = self._accounts.get(account.subject)
            if stored is None:
                raise NotFound("no such officer account")
            if stored.agency != account.agency or stored.status != expected_status:
                raise Conflict("the officer account was changed meanwhile")
            self._accounts[account.subject] = account

    def get_officer(self, subject: str) -> OfficerAccount | None:
        with self._lock:
            return self._accounts.get(subject)

    def list_officers(self, agency: str | None = None) -> list[OfficerAccount]:
        with self._lock:
            found = [a for a in self._accounts.values() if agency is None or a.agency == agency]
        return sorted(found, key=lambda a: (a.agency, a.subject))
