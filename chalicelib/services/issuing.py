"""Issuing a result: check everything, sign, store, render.

Nothing is stored unless every check passes. With an ``Idempotency-Key`` the
same request returns the same document; the same key with another body is a
409. The key is claimed before signing, with the document id decided then,
so a retry after a failure (say, key custody was down) completes the same
document instead of creating a second one.

``issue_from`` is the API's door: the JSON body as sent and the caller's
principal; it checks the role and every value (``chalicelib.domain.inputs``)
before ``issue`` checks the request against the catalogue, the issuer, the
identity records and the keys.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import secrets
from collections.abc import Callable, Mapping

from chalicelib.domain import claims, cose, qrtext
from chalicelib.domain.authorization import actor_of
from chalicelib.domain.catalogue import CATALOGUE, DocType
from chalicelib.domain.claims import Holder, SignedDocument
from chalicelib.domain.content import (
    MAX_NAME,
    VIETNAM,
    check_fields,
    clean_text,
    expiry_of,
    fold_name,
)
from chalicelib.domain.idnumber import check_against, holder_ref
from chalicelib.domain.inputs import Body, issue_request
from chalicelib.domain.inputs import IssueRequest as IssueRequest  # the CLI's and demo's import
from chalicelib.domain.models import DocumentRecord, IdempotencyRecord, SigningKey
from chalicelib.domain.principal import Principal
from chalicelib.errors import (
    Conflict,
    ErrorCode,
    Forbidden,
    IdentityNotIssuable,
    NoActiveKey,
    NotFound,
    OutOfScope,
    ValidationFailed,
)
from chalicelib.ports import (
    Clock,
    Counters,
    DocumentRepository,
    IdentityRepository,
    IssuerRepository,
    KeyCustody,
    KeyRepository,
)
from chalicelib.services.audit import AuditLog
from chalicelib.services.sealing import Sealer
from chalicelib.services.signing import sign_document


@dataclasses.dataclass(frozen=True)
class Issued:
    id: str
    qr_text: str
    record: DocumentRecord
    replayed: bool = False


class IssueService:
    def __init__(
        self,
        issuers: IssuerRepository,
        keys: KeyRepository,
        documents: DocumentRepository,
        identities: IdentityRepository,
        counters: Counters,
        custody: KeyCustody,
        clock: Clock,
        pepper: bytes,
        sealer: Sealer,
        public_url: str,
        audit: AuditLog,
        doc_types: Mapping[str, DocType] | Callable[[], Mapping[str, DocType]] | None = None,
    ) -> None:
        self._audit = audit
        self._issuers = issuers
        self._keys = keys
        self._documents = documents
        self._identities = identities
        self._counters = counters
        self._custody = custody
        self._clock = clock
        self._pepper = pepper
        self._sealer = sealer
        self._public_url = public_url
        # a mapping, or a function returning the live catalogue (admins add types)
        self._doc_types = CATALOGUE if doc_types is None else doc_types

    def issue_from(
        self, body: Body, principal: Principal, idempotency_key: str | None = None
    ) -> Issued:
        """``POST /api/v1/documents``: an issuer's request as sent, issued under
        their own issuer code (``WRONG_ROLE`` for anyone else; the value
        errors of ``domain.inputs.issue_request``, then those of ``issue``)."""
        if principal.role != "issuer":
            raise Forbidden("this needs the role issuer", code=ErrorCode.WRONG_ROLE)
        request = issue_request(body, principal.issuer or "")
        return self.issue(request, idempotency_key, actor=actor_of(principal))

    def issue(self, req: IssueRequest, idempotency_key: str | None = None, *, actor: str) -> Issued:
        """Sign and store one document; the audit trail names ``actor`` (the
        request's principal, or the operator on the CLI) as who issued it."""
        now = self._clock.now()
        # 1. The document type.
        types = self._doc_types() if callable(self._doc_types) else self._doc_types
        doc_type = types.get(req.type)
        if doc_type is None:
            raise ValidationFailed(
                f"unknown document type {req.type!r}", code=ErrorCode.UNKNOWN_TYPE
            )
        # 2. The issuer: known, active, authorised for the type.
        issuer = self._issuers.get_issuer(req.issuer)
        if issuer is None:
            raise NotFound(f"unknown issuer {req.issuer!r}", code=ErrorCode.UNKNOWN_ISSUER)
        if issuer.status != "active":
            raise Forbidden("the issuer is suspended", code=ErrorCode.ISSUER_SUSPENDED)
        if req.type not in issuer.allowed_types:
            raise OutOfScope(f"issuer {issuer.code} may not issue {req.type}")
        # 3. The fields, against the catalogue.
        fields = check_fields(doc_type, req.fields)
        name = clean_text(req.holder_name, "the holder's name", MAX_NAME)
        if req.holder_dob > now.astimezone(VIETNAM).date():
            raise ValidationFailed("the date of birth is in the future", code=ErrorCode.INVALID_DOB)
        # 4. The holder's ID number: shape, birth year, then the identity record.
        check_against(req.holder_id, req.holder_dob)
        ref = holder_ref(req.holder_id, self._pepper)
        identity = self._identities.get_identity(ref)
        if identity is None:
            raise IdentityNotIssuable("no identity record for this ID number")
        check_against(req.holder_id, req.holder_dob, identity.gender)
        if identity.status != "active":
            raise IdentityNotIssuable(
                f"the identity record is {identity.status}", code=ErrorCode.IDENTITY_INACTIVE
            )
        if identity.dob != req.holder_dob:
            raise ValidationFailed(
                "the date of birth differs from the identity record",
                code=ErrorCode.HOLDER_DOB_MISMATCH,
            )
        if fold_name(identity.full_name) != fold_name(name):
            raise ValidationFailed(
                "the name differs from the identity record", code=ErrorCode.HOLDER_NAME_MISMATCH
            )
        # 5. The signing key: active and the issuer's.
        key = self._signing_key(req.issuer, req.kid)
        # 6. Validity period.
        expires_at = expiry_of(req.expires, doc_type, now)
        # 7. Idempotency: claim the key (and the document id) before signing.
        doc_id = claims.doc_id_text(secrets.token_bytes(16))
        if idempotency_key is not None:
            claimed = self._documents.claim_idempotency(
                IdempotencyRecord(req.issuer, idempotency_key, self._hash(req, ref), doc_id)
            )
            if claimed.request_hash != self._hash(req, ref):
                raise Conflict(
                    "this Idempotency-Key was used with a different request",
                    code=ErrorCode.IDEMPOTENCY_KEY_REUSED,
                )
            existing = self._documents.get_document(claimed.document_id)
            if existing is not None:
                return self._issued(existing, replayed=True)
            doc_id = claimed.document_id
        # 8. Sign and store; a lost race on the same id returns the winner.
        list_number = 1
        list_id = f"{req.issuer}/{list_number}"
        signed = SignedDocument(
            issuer=req.issuer,
            issued_at=now.replace(microsecond=0),
            not_before=now.replace(microsecond=0),
            expires_at=expires_at,
            id=doc_id,
            type=req.type,
            holder=Holder(req.holder_id, name, req.holder_dob),
            fields=fields,
            status_list_number=list_number,
            status_index=self._counters.next_counter(f"status:{list_id}"),
        )
        qr_text = self._sign(signed, key)
        record = DocumentRecord(
            id=doc_id,
            type=req.type,
            issuer=req.issuer,
            kid=key.kid,
            holder_ref=ref,
            issued_at=signed.issued_at,
            expires_at=expires_at,
            status_list=list_id,
            status_index=signed.status_index,
            sealed_qr=self._sealer.seal(doc_id, qr_text),
        )
        try:
            self._documents.create_document(record)
        except Conflict:
            winner = self._documents.get_document(doc_id)
            if winner is None:
                raise
            return self._issued(winner, replayed=True)
        self._audit.record(
            actor,
            "document.issue",
            doc_id,
            {"issuer": req.issuer, "type": req.type, "kid": key.kid},
        )
        return Issued(doc_id, qr_text, record)

    def reissue(self, old_id: str, actor: str, corrections: dict[str, str] | None = None) -> Issued:
        """A corrected or re-keyed copy signed with the issuer's active key: same
        holder, type and expiry, the fields with ``corrections`` applied (checked
        against the catalogue), a new id that ``supersedes`` the old one, whose
        verdict becomes DOCUMENT_SUPERSEDED pointing here."""
        old = self._documents.get_document(old_id)
        if old is None:
            raise NotFound("no such document", code=ErrorCode.DOCUMENT_NOT_FOUND)
        if old.status != "valid":
            raise Conflict(f"the document is {old.status}", code=ErrorCode.DOCUMENT_NOT_VALID)
        issuer = self._issuers.get_issuer(old.issuer)
        if issuer is None or issuer.status != "active":
            raise Forbidden("the issuer is suspended", code=ErrorCode.ISSUER_SUSPENDED)
        signed = claims.parse(cose.parse(qrtext.decode(self.qr_text(old))).payload)
        fields = dict(signed.fields)
        if corrections:
            types = self._doc_types() if callable(self._doc_types) else self._doc_types
            doc_type = types.get(old.type)
            if doc_type is None:
                raise ValidationFailed(
                    f"unknown document type {old.type!r}", code=ErrorCode.UNKNOWN_TYPE
                )
            fields = check_fields(doc_type, {**fields, **corrections})
        key = self._signing_key(old.issuer, None)
        now = self._clock.now().replace(microsecond=0)
        list_id = f"{old.issuer}/{signed.status_list_number}"
        new = signed._replace(
            fields=fields,
            issued_at=now,
            not_before=now,
            id=claims.doc_id_text(secrets.token_bytes(16)),
            supersedes=old.id,
            status_index=self._counters.next_counter(f"status:{list_id}"),
        )
        qr_text = self._sign(new, key)
        record = dataclasses.replace(
            old,
            id=new.id,
            kid=key.kid,
            issued_at=now,
            status_index=new.status_index,
            sealed_qr=self._sealer.seal(new.id, qr_text),
            supersedes=old.id,
        )
        self._documents.create_document(record)
        self._documents.save_document(
            dataclasses.replace(old, status="superseded", successor=new.id)
        )
        facts = {"supersedes": old.id, "corrected": ",".join(sorted(corrections or {}))}
        self._audit.record(actor, "document.reissue", new.id, facts)
        return Issued(new.id, qr_text, record)

    def reissue_key(self, kid: str, actor: str) -> list[tuple[str, str]]:
        """Re-issue every still-valid document a key signed: (old id, new id) pairs."""
        if self._keys.get_key(kid) is None:
            raise NotFound(f"unknown key {kid!r}", code=ErrorCode.UNKNOWN_KEY)
        done = []
        for record in self._documents.list_documents_by_key(kid):
            if record.status == "valid":
                done.append((record.id, self.reissue(record.id, actor).id))
        return done

    def qr_text(self, record: DocumentRecord) -> str:
        return self._sealer.open(record.id, record.sealed_qr)

    def _issued(self, record: DocumentRecord, replayed: bool) -> Issued:
        return Issued(record.id, self.qr_text(record), record, replayed=replayed)

    def _sign(self, doc: SignedDocument, key: SigningKey) -> str:
        return sign_document(doc, key, self._custody, self._public_url)

    def _signing_key(self, issuer: str, kid: str | None) -> SigningKey:
        keys = self._keys.list_keys(issuer)
        if kid is not None:
            chosen = next((k for k in keys if k.kid == kid), None)
            if chosen is None:
                raise NotFound(f"issuer {issuer} has no key {kid}", code=ErrorCode.UNKNOWN_KEY)
        else:
            active = [k for k in keys if k.status == "active"]
            if active:
                return max(active, key=lambda k: k.activated_at)
            if not keys:
                raise NoActiveKey(f"issuer {issuer} has no signing key")
            chosen = max(keys, key=lambda k: k.activated_at)
        if chosen.status == "retired":
            raise NoActiveKey(f"key {chosen.kid} is retired", code=ErrorCode.KEY_RETIRED)
        if chosen.status == "revoked":
            raise NoActiveKey(f"key {chosen.kid} is revoked", code=ErrorCode.KEY_REVOKED)
        return chosen

    @staticmethod
    def _hash(req: IssueRequest, ref: str) -> str:
        body = dataclasses.asdict(req) | {"holder_id": ref}
        canonical = json.dumps(body, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()
