"""The signed trust list offline verifiers run from.

A compact JWS (ES256) over a JSON payload: the issuers with their scopes, the
keys with statuses and times, the catalogue's type codes, ``issued_at`` and
``next_update``, and one revocation status list per issuer status list: a
zlib-compressed bitstring (``bits``) where bit *i* (most significant bit
first, as in the W3C Bitstring Status List) is set when the document with
status index *i* is revoked or superseded, and a second one of the same
length (``superseded``) where bit *i* is set when that document was
superseded by a re-issue. A list without ``superseded`` (an older export)
reads every set bit as revoked; a verifier that does not know ``superseded``
still refuses every set bit. The signer is the framework's root key; a
verifier pins the root public keys it accepts.

``open_trust_list`` refuses, each with its own reason, a list whose signature
fails, one signed by an unknown root key, and one past ``next_update``.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import json
import zlib
from collections.abc import Iterable, Mapping
from typing import Any

from chalicelib.domain import cose, inputs, views
from chalicelib.domain.catalogue import CATALOGUE, DocType
from chalicelib.domain.claims import SignedDocument
from chalicelib.domain.models import Issuer, SigningKey
from chalicelib.domain.trust import TrustSnapshot
from chalicelib.domain.verify import DocumentState
from chalicelib.errors import DocsealError, ErrorCode

TYP = "docseal-trust+jws"
MAX_LIST_BYTES = 4 * 1024 * 1024
MAX_BITS = 1 << 24


class TrustListRefused(DocsealError):
    """An offline trust list that must not be used; ``code`` says why."""

    http_status = 422


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _when(text: Any) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))


def bitstring(revoked: Iterable[int], length: int) -> str:
    """Base64url of the zlib-compressed bitstring with the given bits set."""
    size = max(length, 1)
    bits = bytearray((size + 7) // 8)
    for index in revoked:
        if 0 <= index < size:
            bits[index // 8] |= 0x80 >> (index % 8)
    return _b64(zlib.compress(bytes(bits), 9))


def payload(
    issuers: Iterable[Issuer],
    keys: Iterable[SigningKey],
    status_lists: Mapping[str, tuple[list[int], int]],
    issued_at: dt.datetime,
    next_update: dt.datetime,
    doc_types: Iterable[DocType] = (),
    superseded: Mapping[str, Iterable[int]] | None = None,
) -> dict[str, Any]:
    """``status_lists``: list name -> (indexes revoked or superseded, length);
    ``superseded``: list name -> the indexes among those that were superseded."""
    replaced = superseded or {}
    return {
        "doc_types": [views.doc_type_view(t) for t in doc_types],
        "issued_at": views.iso(issued_at),
        "next_update": views.iso(next_update),
        "issuers": [views.issuer_view(i) for i in sorted(issuers, key=lambda i: i.code)],
        "keys": [views.trust_list_key_view(k) for k in sorted(keys, key=lambda k: k.kid)],
        "status_lists": {
            name: {
                "length": length,
                "bits": bitstring(revoked, length),
                "superseded": bitstring(replaced.get(name, ()), length),
            }
            for name, (revoked, length) in sorted(status_lists.items())
        },
    }


def signing_input(body: Mapping[str, Any], root_kid: str) -> bytes:
    header = {"alg": "ES256", "kid": root_kid, "typ": TYP}
    encoded = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"{_b64(json.dumps(header).encode())}.{_b64(encoded.encode())}".encode("ascii")


def assemble(signing_input_bytes: bytes, raw_signature: bytes) -> str:
    return f"{signing_input_bytes.decode('ascii')}.{_b64(raw_signature)}"


@dataclasses.dataclass(frozen=True)
class OfflineTrust:
    snapshot: TrustSnapshot
    next_update: dt.datetime
    status_lists: Mapping[str, bytes]  # list name -> the uncompressed bitstring
    lengths: Mapping[str, int]
    # list name -> the uncompressed "superseded" bitstring (absent in older exports)
    superseded: Mapping[str, bytes] = dataclasses.field(default_factory=dict)

    knows_identities = False  # identity records are not exported

    def document_state(self, doc: SignedDocument) -> DocumentState | None:
        """The document's bits in its issuer's status list: revoked, superseded
        (the successor's id is not exported), or not covered by the list."""
        state = self.state_at(doc.status_list, doc.status_index)
        if state == "valid":
            return None
        if state == "revoked":
            return DocumentState("revoked")
        if state == "superseded":
            return DocumentState("superseded")
        return DocumentState("unknown")

    def identity_status(self, id_number: str) -> None:
        return None

    def state_at(self, list_name: str, index: int) -> str:
        """ "revoked", "superseded", "valid", or "unknown" when the list is
        missing or too short."""
        bits = self.status_lists.get(list_name)
        if bits is None or not 0 <= index < self.lengths.get(list_name, 0):
            return "unknown"
        if not _bit(bits, index):
            return "valid"
        return "superseded" if _bit(self.superseded.get(list_name, b""), index) else "revoked"


def _bit(bits: bytes, index: int) -> bool:
    byte = index // 8
    return byte < len(bits) and bool(bits[byte] & (0x80 >> (index % 8)))


def _inflate(text: Any, length: int) -> bytes:
    """A bitstring of ``length`` bits from its base64url zlib form, bounded."""
    raw = zlib.decompressobj().decompress(_unb64(str(text)), MAX_LIST_BYTES)
    if not 0 <= length <= MAX_BITS or len(raw) < (length + 7) // 8:
        raise ValueError("a status list is shorter than its length")
    return raw


def open_trust_list(jws: str, roots: Mapping[str, bytes], now: dt.datetime) -> OfflineTrust:
    """Check a trust list against pinned root keys (kid -> SPKI DER) and use it."""
    try:
        head_b64, body_b64, sig_b64 = jws.strip().split(".")
        header = inputs.load_json(_unb64(head_b64))
        signature = _unb64(sig_b64)
    except (ValueError, TypeError) as exc:
        raise TrustListRefused(
            "the trust list is malformed", code=ErrorCode.TRUST_LIST_MALFORMED
        ) from exc
    if not isinstance(header, dict) or header.get("alg") != "ES256" or header.get("typ") != TYP:
        raise TrustListRefused("the trust list is malformed", code=ErrorCode.TRUST_LIST_MALFORMED)
    root = roots.get(str(header.get("kid")))
    if root is None:
        raise TrustListRefused(
            "the trust list is signed by an unknown root key",
            code=ErrorCode.TRUST_LIST_UNKNOWN_ROOT,
        )
    signed = f"{head_b64}.{body_b64}".encode("ascii")
    if not cose.verify_raw_signature(cose.load_public_key(root), signature, signed):
        raise TrustListRefused(
            "the trust list's signature does not verify", code=ErrorCode.TRUST_LIST_BAD_SIGNATURE
        )
    try:
        body = inputs.load_json(_unb64(body_b64))
        issued_at = _when(body["issued_at"])
        next_update = _when(body["next_update"])
        issuers = [
            Issuer(
                i["code"],
                i["name_vi"],
                i["name_en"],
                frozenset(i["allowed_types"]),
                i.get("area", ""),
                i["status"],
            )
            for i in body["issuers"]
        ]
        keys = [
            SigningKey(
                kid=k["kid"],
                issuer=k["issuer"],
                public_key_der=base64.b64decode(k["public_key"]),
                status=k["status"],
                activated_at=_when(k["activated_at"]),  # type: ignore[arg-type]
                custody="offline",
                custody_ref="",
                retired_at=_when(k.get("retired_at")),
                revoked_at=_when(k.get("revoked_at")),
                revocation_reason=k.get("revocation_reason") or "",
            )
            for k in body["keys"]
        ]
        lists: dict[str, bytes] = {}
        lengths: dict[str, int] = {}
        superseded: dict[str, bytes] = {}
        for name, entry in body["status_lists"].items():
            length = int(entry["length"])
            lists[str(name)], lengths[str(name)] = _inflate(entry["bits"], length), length
            if "superseded" in entry:
                superseded[str(name)] = _inflate(entry["superseded"], length)
    except (KeyError, ValueError, TypeError, zlib.error) as exc:
        raise TrustListRefused(
            "the trust list's content is malformed", code=ErrorCode.TRUST_LIST_MALFORMED
        ) from exc
    if issued_at is None or next_update is None:
        raise TrustListRefused("the trust list has no dates", code=ErrorCode.TRUST_LIST_MALFORMED)
    if now >= next_update:
        raise TrustListRefused(
            f"the trust list was due for an update at {views.iso(next_update)}",
            code=ErrorCode.TRUST_LIST_EXPIRED,
        )
    types = dict(CATALOGUE)
    try:
        types.update({t.code: t for t in map(DocType.from_dict, body.get("doc_types") or [])})
    except (KeyError, ValueError, TypeError) as exc:
        raise TrustListRefused(
            "the trust list's content is malformed", code=ErrorCode.TRUST_LIST_MALFORMED
        ) from exc
    snapshot = TrustSnapshot.build(issuers, keys, types.values(), as_of=issued_at)
    return OfflineTrust(snapshot, next_update, lists, lengths, superseded)
