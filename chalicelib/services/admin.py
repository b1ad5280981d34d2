"""Administration of the trust framework: issuers, signing keys, identities."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from chalicelib.domain import claims
from chalicelib.domain.catalogue import (
    CATALOGUE,
    DEFINABLE_KINDS,
    FIELD_CODE,
    MAX_TYPE_FIELDS,
    RECEIPT_TYPE,
    ROOT_ISSUER,
    SERVICE_ISSUER,
    TYPE_CODE,
    DocType,
    FieldSpec,
)
from chalicelib.domain.idnumber import check_against, holder_ref
from chalicelib.domain.models import (
    GENDERS,
    IDENTITY_STATUSES,
    DocumentRecord,
    IdentityRecord,
    Issuer,
    SigningKey,
)
from chalicelib.errors import Conflict, DocsealError, ErrorCode, NotFound, ValidationFailed
from chalicelib.ports import (
    Clock,
    DocTypeRepository,
    DocumentRepository,
    IdentityRepository,
    IssuerRepository,
    KeyCustody,
    KeyRepository,
    Seen,
)
from chalicelib.services.audit import AuditLog
from chalicelib.services.keys import make_key, retire_key
from chalicelib.services.trust import TrustService

ISSUER_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{1,63}")
IDENTITY_COLUMNS = ("id_number", "full_name", "dob", "gender", "status")
MAX_IMPORT_ROWS = 100_000


MAX_NOTE = 500


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


class AdminService:
    def __init__(
        self,
        issuers: IssuerRepository,
        keys: KeyRepository,
        documents: DocumentRepository,
        identities: IdentityRepository,
        doc_types: DocTypeRepository,
        custody: KeyCustody,
        clock: Clock,
        pepper: bytes,
        trust: TrustService,
        audit: AuditLog | None = None,
        actor: str = "cli",
    ) -> None:
        self._issuers = issuers
        self._keys = keys
        self._documents = documents
        self._identities = identities
        self._doc_types = doc_types
        self._custody = custody
        self._clock = clock
        self._pepper = pepper
        self._trust = trust
        self._audit = audit
        self._actor = actor

    def _log(self, action: str, target: str, **details: object) -> None:
        if self._audit is not None:
            self._audit.record(self._actor, action, target, details)

    def add_issuer(
        self, code: str, name_vi: str, name_en: str, types: Iterable[str], area: str = ""
    ) -> Issuer:
        if not ISSUER_CODE.fullmatch(code):
            raise ValidationFailed(
                "an issuer code is 2-64 characters A-Z, 0-9 and '-'",
                code=ErrorCode.INVALID_ISSUER_CODE,
            )
        allowed = self._allowed_types(code, types)
        if code == ROOT_ISSUER:
            raise ValidationFailed(f"{ROOT_ISSUER} is reserved", code=ErrorCode.RESERVED_TYPE)
        if not name_vi.strip():
            raise ValidationFailed("the issuer needs a name", code=ErrorCode.INVALID_NAME)
        issuer = Issuer(code, name_vi.strip(), (name_en or name_vi).strip(), allowed, area)
        try:
            self._issuers.create_issuer(issuer)
        except Conflict as exc:
            raise Conflict(f"issuer {code} already exists", code=ErrorCode.ISSUER_EXISTS) from exc
        self._trust.invalidate()
        self._log("issuer.add", code, types=",".join(sorted(allowed)))
        return issuer

    def list_issuers(self) -> list[Issuer]:
        """Every issuer, by code."""
        return self._issuers.list_issuers()

    def list_keys(self, issuer: str | None = None) -> list[SigningKey]:
        """Every signing key, or one issuer's, by issuer and kid."""
        return self._keys.list_keys(issuer)

    def key_documents(self, kid: str) -> list[DocumentRecord]:
        """The documents a key signed, oldest first: what a re-issue would touch."""
        if self._keys.get_key(kid) is None:
            raise NotFound(f"unknown key {kid!r}", code=ErrorCode.UNKNOWN_KEY)
        return self._documents.list_documents_by_key(kid)

    def document(self, doc_id: str) -> DocumentRecord | None:
        """A stored document, or None (also for text that is no document id).
        No access check: the caller decides who may act on it."""
        return self._documents.get_document(doc_id) if claims.is_doc_id(doc_id) else None

    def _types(self) -> Mapping[str, DocType]:
        return self._trust.snapshot().doc_types

    def _allowed_types(self, code: str, types: Iterable[str]) -> frozenset[str]:
        """The types an issuer may issue: known ones, at least one, and the
        receipt type for docseal itself only."""
        allowed = frozenset(types)
        unknown = sorted(allowed - self._types().keys())
        if unknown or not allowed:
            raise ValidationFailed(
                f"unknown document types: {', '.join(unknown) or '(none given)'}",
                code=ErrorCode.UNKNOWN_TYPE,
            )
        if RECEIPT_TYPE in allowed and code != SERVICE_ISSUER:
            raise ValidationFailed(
                f"only docseal itself ({SERVICE_ISSUER}) signs {RECEIPT_TYPE}",
                code=ErrorCode.RESERVED_TYPE,
            )
        return allowed

    def define_doc_type(
        self,
        code: str,
        name_vi: str,
        name_en: str,
        fields: Sequence[tuple[str, str, str, bool] | tuple[str, str, str, bool, str]],
        default_validity_days: int | None = None,
    ) -> DocType:
        """Add a document type to the catalogue, or change one an administrator
        defined (built-in types and the receipt type stay as they are).
        ``fields``: (code, Vietnamese label, English label, required[, kind]),
        the kind one of ``DEFINABLE_KINDS`` (text when left out)."""
        if not TYPE_CODE.fullmatch(code or ""):
            raise ValidationFailed(
                "a type code is 3-64 characters a-z, 0-9 and '-'", code=ErrorCode.INVALID_TYPE_CODE
            )
        if code in CATALOGUE:
            raise Conflict(f"{code} is a built-in type", code=ErrorCode.TYPE_EXISTS)
        if not name_vi.strip():
            raise ValidationFailed("the type needs a name", code=ErrorCode.INVALID_NAME)
        if not fields or len(fields) > MAX_TYPE_FIELDS:
            raise ValidationFailed(
                f"a type has 1 to {MAX_TYPE_FIELDS} fields", code=ErrorCode.INVALID_FIELD_VALUE
            )
        specs: list[FieldSpec] = []
        for field_code, label_vi, label_en, required, *rest in fields:
            kind = next((k for k in DEFINABLE_KINDS if rest and k == rest[0]), None)
            if rest and kind is None:
                raise ValidationFailed(
                    f"field {field_code!r}: the kind is one of {', '.join(DEFINABLE_KINDS)}",
                    code=ErrorCode.INVALID_FIELD_KIND,
                )
            if not FIELD_CODE.fullmatch(field_code or "") or not label_vi.strip():
                raise ValidationFailed(
                    f"field {field_code!r}: a code a-z, 0-9, '_' and a label are needed",
                    code=ErrorCode.INVALID_FIELD_VALUE,
                )
            if any(f.code == field_code for f in specs):
                raise ValidationFailed(
                    f"field {field_code} is given twice", code=ErrorCode.DUPLICATE_FIELD
                )
            specs.append(
                FieldSpec(
                    field_code,
                    label_vi.strip(),
                    (label_en or label_vi).strip(),
                    required,
                    kind or "text",
                )
            )
        if default_validity_days is not None and not 1 <= default_validity_days <= 36500:
            raise ValidationFailed(
                "default_validity_days is 1 to 36500", code=ErrorCode.INVALID_FIELD_VALUE
            )
        doc_type = DocType(
            code, name_vi.strip(), (name_en or name_vi).strip(), tuple(specs), default_validity_days
        )
        self._doc_types.save_doc_type(doc_type)
        self._trust.invalidate()
        self._log("doctype.define", code, fields=",".join(f.code for f in specs))
        return doc_type

    def set_type_note(self, doc_type: str, note_vi: str, note_en: str = "") -> None:
        """The note shown with a document type (the legal basis for accepting
        it electronically); empty texts clear it."""
        if doc_type not in self._types():
            raise ValidationFailed(
                f"unknown document type {doc_type!r}", code=ErrorCode.UNKNOWN_TYPE
            )
        vi, en = note_vi.strip(), note_en.strip()
        if len(vi) > MAX_NOTE or len(en) > MAX_NOTE:
            raise ValidationFailed(
                f"a note is at most {MAX_NOTE} characters", code=ErrorCode.INVALID_FIELD_VALUE
            )
        if en and not vi:
            raise ValidationFailed(
                "give the note in Vietnamese first", code=ErrorCode.MISSING_FIELD
            )
        self._doc_types.save_type_note(doc_type, vi, en)
        self._trust.invalidate()
        self._log("doctype.note", doc_type, cleared=not vi)

    def revoke_document(self, doc_id: str, reason: str = "") -> DocumentRecord:
        """Revoke a document: every later verification says DOCUMENT_REVOKED.
        A revocation is final: revoking again is ``ALREADY_REVOKED`` and the
        first reason stays (the write is conditional, so of two at once one wins)."""
        for _attempt in range(3):  # a status changes at most twice: valid, superseded, revoked
            record = self._documents.get_document(doc_id)
            if record is None:
                raise NotFound("no such document", code=ErrorCode.DOCUMENT_NOT_FOUND)
            if record.status == "revoked":
                raise Conflict(
                    f"document {doc_id} is already revoked", code=ErrorCode.ALREADY_REVOKED
                )
            revoked = dataclasses.replace(
                record, status="revoked", status_reason=reason.strip()[:200]
            )
            try:
                self._documents.save_document(revoked, expected_status=record.status)
                break
            except Conflict:
                continue  # its status changed since it was read: look again
        else:
            raise Conflict(f"document {doc_id} kept changing; try again")
        self._log("document.revoke", doc_id, reason=revoked.status_reason)
        return revoked

    def create_key(self, issuer_code: str) -> SigningKey:
        """The issuer's active key; ``Conflict`` (KEY_ALREADY_ACTIVE) if it has
        one. The store's conditional write decides under concurrent calls; the
        check first only spares a custody key in the usual case."""
        if self._issuers.get_issuer(issuer_code) is None:
            raise NotFound(f"unknown issuer {issuer_code!r}", code=ErrorCode.UNKNOWN_ISSUER)
        if any(k.status == "active" for k in self._keys.list_keys(issuer_code)):
            raise Conflict(
                f"issuer {issuer_code} already has an active key; rotate it instead",
                code=ErrorCode.KEY_ALREADY_ACTIVE,
            )
        key = make_key(self._keys, self._custody, issuer_code, self._clock.now())
        self._trust.invalidate()
        self._log("key.create", key.kid, issuer=issuer_code, custody=key.custody)
        return key

    def rotate_key(self, issuer_code: str) -> SigningKey:
        """A new active key; the old one is retired: it signs nothing new and keeps
        verifying what it signed while active. Of two rotations at once, one wins
        and the other gets 409."""
        issuer = self._issuers.get_issuer(issuer_code)
        if issuer is None:
            raise NotFound(f"unknown issuer {issuer_code!r}", code=ErrorCode.UNKNOWN_ISSUER)
        if issuer.status != "active":
            raise Conflict(f"issuer {issuer_code} is suspended", code=ErrorCode.ISSUER_SUSPENDED)
        # every active key: a store from before the rule may hold two
        for active in [k for k in self._keys.list_keys(issuer_code) if k.status == "active"]:
            old = retire_key(self._keys, active, self._clock.now())
            self._trust.invalidate()
            self._log("key.retire", old.kid, issuer=issuer_code)
        return self.create_key(issuer_code)

    def revoke_key(self, kid: str, reason: str, effective: dt.datetime | None = None) -> SigningKey:
        """Compromise: every document under the key verifies INVALID (KEY_REVOKED)
        from ``effective`` (default now, never in the future, never before the
        key existed), and the verdict says when and why."""
        key = self._keys.get_key(kid) if isinstance(kid, str) else None
        if key is None:
            raise NotFound(f"unknown key {kid!r}", code=ErrorCode.UNKNOWN_KEY)
        if key.status == "revoked":
            raise Conflict(f"key {kid} is already revoked", code=ErrorCode.KEY_ALREADY_REVOKED)
        why = " ".join((reason or "").split())
        if not why or len(why) > 200:
            raise ValidationFailed(
                "give a reason of 1 to 200 characters", code=ErrorCode.MISSING_FIELD
            )
        now = self._clock.now().replace(microsecond=0)
        when = (effective or now).astimezone(dt.UTC).replace(microsecond=0)
        if when > now:
            raise ValidationFailed(
                "a revocation cannot take effect in the future",
                code=ErrorCode.INVALID_EFFECTIVE_TIME,
            )
        if when < key.activated_at:
            raise ValidationFailed(
                "a revocation cannot take effect before the key existed",
                code=ErrorCode.INVALID_EFFECTIVE_TIME,
            )
        revoked = dataclasses.replace(key, status="revoked", revoked_at=when, revocation_reason=why)
        try:
            self._keys.replace_key(revoked, expected_status=key.status)
        except Conflict as exc:
            raise Conflict(
                f"key {kid} was changed meanwhile", code=ErrorCode.KEY_ALREADY_REVOKED
            ) from exc
        self._trust.invalidate()
        self._log("key.revoke", kid, reason=why, effective=when.isoformat())
        return revoked

    def update_issuer(
        self,
        code: str,
        *,
        name_vi: str | None = None,
        name_en: str | None = None,
        area: str | None = None,
        types: Iterable[str] | None = None,
    ) -> Issuer:
        """Change names, area or the allowed document types. Narrowing the
        types affects verdicts at once: a document of a type the issuer may no
        longer issue verifies ISSUER_OUT_OF_SCOPE."""
        issuer = self._issuers.get_issuer(code)
        if issuer is None:
            raise NotFound(f"unknown issuer {code!r}", code=ErrorCode.UNKNOWN_ISSUER)
        changed = issuer
        if name_vi is not None:
            if not name_vi.strip():
                raise ValidationFailed("the issuer needs a name", code=ErrorCode.INVALID_NAME)
            changed = dataclasses.replace(changed, name_vi=name_vi.strip())
        if name_en is not None:
            changed = dataclasses.replace(changed, name_en=name_en.strip() or changed.name_vi)
        if area is not None:
            changed = dataclasses.replace(changed, area=area.strip())
        if types is not None:
            changed = dataclasses.replace(changed, allowed_types=self._allowed_types(code, types))
        self._issuers.save_issuer(changed)
        self._trust.invalidate()
        self._log("issuer.update", code, types=",".join(sorted(changed.allowed_types)))
        return changed

    def set_issuer_status(self, issuer_code: str, status: str) -> Issuer:
        """Suspend (no new issuance; existing documents keep verifying unless
        their key is revoked) or reinstate an issuer."""
        if status not in ("active", "suspended"):
            raise ValidationFailed("status is active or suspended", code=ErrorCode.INVALID_STATUS)
        issuer = self._issuers.get_issuer(issuer_code)
        if issuer is None:
            raise NotFound(f"unknown issuer {issuer_code!r}", code=ErrorCode.UNKNOWN_ISSUER)
        changed = dataclasses.replace(issuer, status=status)  # type: ignore[arg-type]
        self._issuers.save_issuer(changed)
        self._trust.invalidate()
        self._log("issuer.suspend" if status == "suspended" else "issuer.reinstate", issuer_code)
        return changed

    def import_identities(self, rows: Iterable[Mapping[str, str]]) -> int:
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
        self._log("identity.import", "identities", rows=len(records))
        return len(records)

    def import_stream(
        self,
        rows: Iterable[Mapping[str, str]],
        seen: Seen,
        on_reject: Callable[[RowError], None],
        on_progress: Callable[[int], None] | None = None,
        batch: int = 500,
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
        self._log("identity.import", "identities", rows=imported, rejected=rejected)
        return imported, rejected

    def _identity(self, row: Mapping[str, str]) -> IdentityRecord:
        missing = [c for c in IDENTITY_COLUMNS if not (row.get(c) or "").strip()]
        if missing:
            raise ValidationFailed(f"empty: {', '.join(missing)}", code=ErrorCode.MISSING_COLUMN)
        try:
            dob = dt.date.fromisoformat(row["dob"].strip())
        except ValueError as exc:
            raise ValidationFailed("dob must be YYYY-MM-DD", code=ErrorCode.INVALID_DOB) from exc
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
