"""Identity records from the population register's exports: all-or-nothing
for a small list, streamed in bounded memory for a file of any size. Each
import goes on the audit trail under ``actor`` (counts only, no one's data)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping

from chalicelib.domain.idnumber import check_against, holder_ref
from chalicelib.domain.inputs import read_date
from chalicelib.domain.models import GENDERS, IDENTITY_STATUSES, IdentityRecord
from chalicelib.errors import DocsealError, ErrorCode, ValidationFailed
from chalicelib.ports import IdentityRepository, Seen
from chalicelib.services.audit import AuditLog

IDENTITY_COLUMNS = ("id_number", "full_name", "dob", "gender", "status")
MAX_IMPORT_ROWS = 100_000


@dataclasses.dataclass(frozen=True)
class RowError:
    row: int  # 1-based data row (the header is row 0)
    code: ErrorCode
    message: str


class ImportRejected(ValidationFailed):
    code = ErrorCode.IMPORT_REJECTED

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} row(s) are invalid; nothing was imported")
        self.errors = errors

    def to_dict(self) -> dict[str, dict[str, str]]:
        out = super().to_dict()
        out["error"]["rows"] = [dataclasses.asdict(e) for e in self.errors[:100]]  # type: ignore[assignment]
        return out


class IdentityImport:
    def __init__(self, identities: IdentityRepository, pepper: bytes, audit: AuditLog) -> None:
        self._identities = identities
        self._pepper = pepper
        self._audit = audit

    def import_identities(self, rows: Iterable[Mapping[str, str]], *, actor: str) -> int:
        """Validate every row, then store all of them, or none."""
        records: list[IdentityRecord] = []
        errors: list[RowError] = []
        for number, row in enumerate(rows, start=1):
            if number > MAX_IMPORT_ROWS:
                errors.append(
                    RowError(number, ErrorCode.TOO_MANY_ROWS, f"at most {MAX_IMPORT_ROWS}")
                )
                break
            try:
                records.append(self._identity(row))
            except DocsealError as exc:
                errors.append(RowError(number, exc.code, exc.message))
        if errors:
            raise ImportRejected(errors)
        if not records:
            raise ValidationFailed("the file has no rows", code=ErrorCode.IMPORT_EMPTY)
        self._identities.put_identities(records)
        self._audit.record(actor, "identity.import", "identities", {"rows": len(records)})
        return len(records)

    def import_stream(
        self,
        rows: Iterable[Mapping[str, str]],
        seen: Seen,
        on_reject: Callable[[RowError], None],
        on_progress: Callable[[int], None] | None = None,
        batch: int = 500,
        *,
        actor: str,
    ) -> tuple[int, int]:
        """Import rows as they come, in batches, in bounded memory: good rows are
        stored (an upsert, so importing a file again changes nothing, and a
        status change such as ``deceased`` takes effect), bad rows go to
        ``on_reject`` with their reason. A row repeating an earlier ID number
        with the same content is skipped; with different content it is
        rejected (DUPLICATE_ROW). Returns (imported, rejected)."""
        imported = rejected = 0
        pending: list[IdentityRecord] = []
        for number, row in enumerate(rows, start=1):
            try:
                record = self._identity(row)
                fingerprint = "|".join(
                    (record.full_name, record.dob.isoformat(), record.gender, record.status)
                )
                earlier = seen.remember(record.holder_ref, fingerprint)
                if earlier is not None and earlier != fingerprint:
                    raise ValidationFailed(
                        "this ID number appeared earlier in the file with other data",
                        code=ErrorCode.DUPLICATE_ROW,
                    )
            except DocsealError as exc:
                rejected += 1
                on_reject(RowError(number, exc.code, exc.message))
                continue
            if earlier is None:
                pending.append(record)
            if len(pending) >= batch:
                self._identities.put_identities(pending)
                imported += len(pending)
                pending = []
            if on_progress is not None:
                on_progress(number)
        if pending:
            self._identities.put_identities(pending)
            imported += len(pending)
        facts = {"rows": imported, "rejected": rejected}
        self._audit.record(actor, "identity.import", "identities", facts)
        return imported, rejected

    def _identity(self, row: Mapping[str, str]) -> IdentityRecord:
        missing = [c for c in IDENTITY_COLUMNS if not (row.get(c) or "").strip()]
        if missing:
            raise ValidationFailed(f"empty: {', '.join(missing)}", code=ErrorCode.MISSING_COLUMN)
        dob = read_date(row["dob"].strip())
        if dob is None:
            raise ValidationFailed("dob must be YYYY-MM-DD", code=ErrorCode.INVALID_DOB)
        gender = row["gender"].strip()
        status = row["status"].strip()
        if gender not in GENDERS:
            raise ValidationFailed("gender must be male or female", code=ErrorCode.INVALID_GENDER)
        if status not in IDENTITY_STATUSES:
            raise ValidationFailed(
                "status must be active, deceased or revoked", code=ErrorCode.INVALID_STATUS
            )
        number = row["id_number"].strip()
        check_against(number, dob, gender)
        name = row["full_name"].strip()
        if len(name) > 128:
            raise ValidationFailed("full_name is longer than 128", code=ErrorCode.INVALID_NAME)
        return IdentityRecord(
            holder_ref=holder_ref(number, self._pepper),
            full_name=name,
            dob=dob,
            gender=gender,
            status=status,
        )
