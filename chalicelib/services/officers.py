"""Verifying agencies and their officer accounts (issue 14): administrators
list, add, disable and re-enable them; sign-in asks ``officer_agency`` who an
officer acts for (``ports.OfficerDirectory``).

Every change is recorded on the audit trail under the ``actor`` the door
names (the administrator on the API, the operator on the CLI), with public
ids only: the agency code and the officer's provider subject, never the
officer's name or e-mail address.

``officer_agency`` reads the store each time it is asked, with no cache: a
disabled officer's next request is refused, on every Lambda instance.
"""

from __future__ import annotations

from chalicelib.domain import officers as rules
from chalicelib.domain.officers import Agency, OfficerAccount
from chalicelib.errors import Conflict, ErrorCode, NotFound
from chalicelib.ports import AgencyRepository, Clock, OfficerRepository
from chalicelib.services.audit import AuditLog


class OfficerService:
    def __init__(
        self,
        agencies: AgencyRepository,
        officers: OfficerRepository,
        clock: Clock,
        audit: AuditLog,
    ) -> None:
        self._agencies = agencies
        self._officers = officers
        self._clock = clock
        self._audit = audit

    # Agencies ------------------------------------------------------------------

    def add_agency(self, code: str, name: str, *, actor: str) -> Agency:
        """A new verifying agency (``INVALID_AGENCY_CODE``, ``INVALID_NAME``;
        ``AGENCY_EXISTS`` if the code is taken)."""
        agency = rules.new_agency(code, name, self._clock.now())
        try:
            self._agencies.create_agency(agency)
        except Conflict as exc:
            raise Conflict(f"agency {code} already exists", code=ErrorCode.AGENCY_EXISTS) from exc
        self._audit.record(actor, "agency.add", agency.code)
        return agency

    def list_agencies(self) -> list[Agency]:
        """Every agency, by code."""
        return self._agencies.list_agencies()

    def agency(self, code: str) -> Agency:
        """The agency ``code``; ``UNKNOWN_AGENCY`` (404) if there is none,
        a code of the wrong shape included."""
        found = self._agencies.get_agency(code) if rules.is_agency_code(code) else None
        if found is None:
            raise NotFound(f"no agency {code!r}", code=ErrorCode.UNKNOWN_AGENCY)
        return found

    # Officer accounts ------------------------------------------------------------

    def add_officer(
        self, agency: str, subject: str, name: str, email: str = "", *, actor: str
    ) -> OfficerAccount:
        """A new active account for the provider subject ``subject`` in
        ``agency`` (``UNKNOWN_AGENCY``; ``INVALID_SUBJECT``, ``INVALID_NAME``,
        ``INVALID_EMAIL``; ``OFFICER_EXISTS`` if the subject has an account in
        any agency, disabled ones included)."""
        self.agency(agency)
        account = rules.new_officer(agency, subject, name, email, self._clock.now())
        try:
            self._officers.create_officer(account)
        except Conflict as exc:
            raise Conflict(
                "this subject already has an officer account (`docseal officer list` shows "
                "which agency's)",
                code=ErrorCode.OFFICER_EXISTS,
            ) from exc
        self._audit.record(actor, "officer.add", account.subject, {"agency": agency})
        return account

    def list_officers(self, agency: str | None = None) -> list[OfficerAccount]:
        """Every account, or one agency's (``UNKNOWN_AGENCY`` if it has none
        such), by agency and subject."""
        if agency is not None:
            self.agency(agency)
        return self._officers.list_officers(agency)

    def disable_officer(self, agency: str, subject: str, *, actor: str) -> OfficerAccount:
        """Disable an account: from the officer's next request on, sign-in no
        longer names their agency. ``OFFICER_ALREADY_DISABLED`` (409) if it
        is disabled (of two disablings at once, one wins)."""
        return self._switch(agency, subject, active=False, actor=actor)

    def enable_officer(self, agency: str, subject: str, *, actor: str) -> OfficerAccount:
        """Enable a disabled account again (``OFFICER_ALREADY_ACTIVE`` if it is active)."""
        return self._switch(agency, subject, active=True, actor=actor)

    def _switch(self, agency: str, subject: str, *, active: bool, actor: str) -> OfficerAccount:
        """One status change, compare-and-set on the stored status, audited."""
        account = self._account(agency, subject)
        if account.active() == active:
            raise self._already(account)
        now = self._clock.now()
        changed = rules.enabled(account) if active else rules.disabled(account, now)
        try:
            self._officers.replace_officer(
                changed, expected_status="disabled" if active else "active"
            )
        except Conflict as exc:
            raise self._already(changed) from exc
        action = "officer.enable" if active else "officer.disable"
        self._audit.record(actor, action, subject, {"agency": agency})
        return changed

    # The officer directory (ports.OfficerDirectory) --------------------------------

    def officer_agency(self, subject: str) -> tuple[str, str] | None:
        """``(agency code, agency name)`` of the active account of ``subject``
        in an active agency; None otherwise (no account, disabled, or a
        subject no account could have)."""
        if not rules.is_subject(subject):
            return None
        account = self._officers.get_officer(subject)
        if account is None or not account.active():
            return None
        agency = self._agencies.get_agency(account.agency)
        if agency is None or agency.status != "active":
            return None
        return agency.code, agency.name

    # -----------------------------------------------------------------------------

    def _account(self, agency: str, subject: str) -> OfficerAccount:
        self.agency(agency)
        account = self._officers.get_officer(subject) if rules.is_subject(subject) else None
        if account is None or account.agency != agency:
            raise NotFound(
                f"agency {agency} has no officer account with this subject",
                code=ErrorCode.UNKNOWN_OFFICER,
            )
        return account

    @staticmethod
    def _already(account: OfficerAccount) -> Conflict:
        if account.active():
            return Conflict(
                "this officer account is already active", code=ErrorCode.OFFICER_ALREADY_ACTIVE
            )
        return Conflict(
            "this officer account is already disabled", code=ErrorCode.OFFICER_ALREADY_DISABLED
        )
