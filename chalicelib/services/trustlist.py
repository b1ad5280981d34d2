"""Publishing the signed trust list and its status lists, and the root key
that signs them (created and rotated by administrators, held in custody
like any signing key, under the reserved issuer code ``TRUST-ROOT``)."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import threading
from typing import Any

from chalicelib.domain import trustlist
from chalicelib.domain.catalogue import ROOT_ISSUER, DocType
from chalicelib.domain.models import SigningKey
from chalicelib.errors import Conflict, ErrorCode, Unavailable
from chalicelib.ports import (
    Clock,
    DocTypeRepository,
    DocumentRepository,
    IssuerRepository,
    KeyCustody,
    KeyRepository,
)
from chalicelib.services.audit import AuditLog
from chalicelib.services.keys import make_key, retire_key

VALIDITY = dt.timedelta(hours=24)
# W3C Bitstring Status List: at least 131,072 entries, so that one document's
# bit says little about whose it is, and documents issued after an export stay
# within the list until the next one.
LIST_SIZE = 131_072
CACHE = dt.timedelta(minutes=5)


@dataclasses.dataclass(frozen=True)
class Published:
    jws: str
    root_kid: str
    issued_at: dt.datetime
    next_update: dt.datetime


class TrustListService:
    def __init__(
        self,
        issuers: IssuerRepository,
        keys: KeyRepository,
        documents: DocumentRepository,
        doc_types: DocTypeRepository,
        custody: KeyCustody,
        clock: Clock,
        audit: AuditLog,
    ) -> None:
        self._issuers = issuers
        self._keys = keys
        self._documents = documents
        self._defined_types = doc_types
        self._custody = custody
        self._clock = clock
        self._audit = audit
        self._lock = threading.Lock()
        self._cached: Published | None = None

    # The root key ------------------------------------------------------------

    def roots(self) -> list[SigningKey]:
        return self._keys.list_keys(ROOT_ISSUER)

    def create_root(self, existing: str | None = None, *, actor: str) -> SigningKey:
        """A new root key, or with ``existing`` one already in custody (on AWS the
        template's ``alias/docseal-<stage>/trust-root``). ``Conflict``
        (KEY_ALREADY_ACTIVE) while a root is active: the store's conditional
        write decides between administrators creating one at once."""
        if any(k.status == "active" for k in self.roots()):
            raise Conflict(
                "an active root key exists; rotate it", code=ErrorCode.KEY_ALREADY_ACTIVE
            )
        key = make_key(self._keys, self._custody, ROOT_ISSUER, self._clock.now(), existing)
        self._audit.record(actor, "root.create", key.kid)
        self._forget()
        return key

    def rotate_root(self, existing: str | None = None, *, actor: str) -> SigningKey:
        for old in [k for k in self.roots() if k.status == "active"]:
            retire_key(self._keys, old, self._clock.now())
            self._audit.record(actor, "root.retire", old.kid)
        return self.create_root(existing, actor=actor)

    def pinned_roots(self) -> dict[str, Any]:
        """What an offline verifier pins: every root key not revoked."""
        return {
            "keys": [
                {"kid": k.kid, "public_key": base64.b64encode(k.public_key_der).decode()}
                for k in self.roots()
                if k.status != "revoked"
            ]
        }

    # The list ------------------------------------------------------------------

    def publish(self) -> Published:
        now = self._clock.now()
        with self._lock:
            cached = self._cached
        if cached is not None and now - cached.issued_at < CACHE:
            return cached
        active = [k for k in self.roots() if k.status == "active"]
        if not active:
            raise Unavailable(
                "no trust-list root key yet: create one with `docseal trust root create`",
                code=ErrorCode.NO_ROOT_KEY,
            )
        root = active[0]
        issued_at = now.replace(microsecond=0)
        issuers = self._issuers.list_issuers()
        keys = [k for k in self._keys.list_keys() if k.issuer != ROOT_ISSUER]
        lists: dict[str, tuple[list[int], int]] = {}
        superseded: dict[str, list[int]] = {}
        for key in keys:
            for record in self._documents.list_documents_by_key(key.kid):
                revoked, length = lists.get(record.status_list, ([], 0))
                if record.status != "valid":
                    revoked.append(record.status_index)
                if record.status == "superseded":
                    superseded.setdefault(record.status_list, []).append(record.status_index)
                needed = record.status_index + 1
                size = max(LIST_SIZE, -(-needed // LIST_SIZE) * LIST_SIZE)
                lists[record.status_list] = (revoked, max(length, size))
        body = trustlist.payload(
            issuers,
            keys,
            lists,
            issued_at,
            issued_at + VALIDITY,
            self._doc_types(),
            superseded=superseded,
        )
        signing_input = trustlist.signing_input(body, root.kid)
        jws = trustlist.assemble(signing_input, self._custody.sign(root.custody_ref, signing_input))
        published = Published(jws, root.kid, issued_at, issued_at + VALIDITY)
        with self._lock:
            self._cached = published
        return published

    def _doc_types(self) -> list[DocType]:
        from chalicelib.domain.catalogue import CATALOGUE

        types = dict(CATALOGUE)
        types.update({t.code: t for t in self._defined_types.list_doc_types()})
        return list(types.values())

    def _forget(self) -> None:
        with self._lock:
            self._cached = None
