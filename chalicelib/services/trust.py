"""The trust snapshot the verifier uses, read from storage and cached briefly.

A verification must not cost a full read of every issuer and key, but a key
revoked by an administrator must take effect quickly: the snapshot is
rebuilt after ``ttl`` seconds, and at once after a change made through this
process. Its ``as_of`` tells the officer how fresh it is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading

from chalicelib.domain.catalogue import CATALOGUE, ROOT_ISSUER
from chalicelib.domain.trust import TrustSnapshot
from chalicelib.ports import Clock, DocTypeRepository, IssuerRepository, KeyRepository


class TrustService:
    def __init__(
        self,
        issuers: IssuerRepository,
        keys: KeyRepository,
        doc_types: DocTypeRepository,
        clock: Clock,
        ttl: dt.timedelta,
    ) -> None:
        self._issuers = issuers
        self._keys = keys
        self._doc_types = doc_types
        self._clock = clock
        self._ttl = ttl
        self._snapshot: TrustSnapshot | None = None
        self._lock = threading.Lock()

    def snapshot(self) -> TrustSnapshot:
        now = self._clock.now()
        with self._lock:
            current = self._snapshot
            if current is not None and now - current.as_of < self._ttl:
                return current
        notes = self._doc_types.list_type_notes()
        catalogue = dict(CATALOGUE)
        catalogue.update({t.code: t for t in self._doc_types.list_doc_types()})
        doc_types = [
            dataclasses.replace(t, note_vi=notes[t.code][0], note_en=notes[t.code][1])
            if t.code in notes
            else t
            for t in catalogue.values()
        ]
        keys = [k for k in self._keys.list_keys() if k.issuer != ROOT_ISSUER]
        fresh = TrustSnapshot.build(self._issuers.list_issuers(), keys, doc_types, as_of=now)
        with self._lock:
            self._snapshot = fresh
        return fresh

    def invalidate(self) -> None:
        with self._lock:
            self._snapshot = None
