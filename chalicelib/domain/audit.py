"""The audit trail: an append-only, hash-chained log of who changed what.

Each entry holds the SHA-256 of the previous one, over a canonical JSON form
of its own fields, so editing, removing or reordering any entry breaks every
hash after it; ``first_break`` finds where. Entries name documents, keys,
issuers and links by their public ids: never an ID number or a token.

An entry's time is kept to the whole second, the precision every answer
shows (``domain.views.iso``), so anyone holding an exported entry can
recompute its hash from what they were shown: the canonical form is the JSON
of ``seq``, ``at`` (``YYYY-MM-DDTHH:MM:SS.000000Z``), ``actor``, ``action``,
``target``, ``details`` and ``prev`` with sorted keys and no spaces, as
UTF-8 with non-ASCII characters written as themselves (not ``\\u`` escapes).
Entries written before this rule keep their microseconds and still verify.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping

GENESIS = "0" * 64


@dataclasses.dataclass(frozen=True)
class AuditEntry:
    seq: int  # 1, 2, 3 ... without gaps
    at: dt.datetime
    actor: str  # a token's subject, "cli", or an issuer code
    action: str  # e.g. "key.revoke"
    target: str  # the public id acted on
    details: Mapping[str, str]
    prev: str  # the previous entry's hash (GENESIS for the first)
    hash: str


def _canonical(
    seq: int,
    at: dt.datetime,
    actor: str,
    action: str,
    target: str,
    details: Mapping[str, str],
    prev: str,
) -> bytes:
    body = {
        "seq": seq,
        "at": at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor": actor,
        "action": action,
        "target": target,
        "details": dict(details),
        "prev": prev,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def next_entry(
    head: AuditEntry | None,
    at: dt.datetime,
    actor: str,
    action: str,
    target: str,
    details: Mapping[str, str] | None = None,
) -> AuditEntry:
    seq = 1 if head is None else head.seq + 1
    at = at.replace(microsecond=0)
    prev = GENESIS if head is None else head.hash
    facts = {k: str(v) for k, v in (details or {}).items()}
    digest = hashlib.sha256(_canonical(seq, at, actor, action, target, facts, prev)).hexdigest()
    return AuditEntry(seq, at, actor, action, target, facts, prev, digest)


def first_break(entries: Iterable[AuditEntry]) -> int | None:
    """The sequence number of the first entry that does not chain, or None."""
    expected_seq, prev = 1, GENESIS
    for entry in entries:
        recomputed = hashlib.sha256(
            _canonical(
                entry.seq,
                entry.at,
                entry.actor,
                entry.action,
                entry.target,
                entry.details,
                entry.prev,
            )
        ).hexdigest()
        if entry.seq != expected_seq or entry.prev != prev or entry.hash != recomputed:
            return expected_seq
        expected_seq, prev = entry.seq + 1, entry.hash
    return None
