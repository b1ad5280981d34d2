"""The trust model's records: issuers, signing keys, documents, identities.

Plain frozen dataclasses; stores persist them, services change them by
building new ones (``dataclasses.replace``). Times are aware UTC datetimes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Literal

KeyStatus = Literal["active", "retired", "revoked"]
DocumentStatus = Literal["valid", "revoked", "superseded"]
IdentityStatus = Literal["active", "deceased", "revoked"]
IssuerStatus = Literal["active", "suspended"]
Gender = Literal["male", "female"]
LinkState = Literal["active", "expired", "revoked", "used_up"]

KEY_STATUSES: tuple[KeyStatus, ...] = ("active", "retired", "revoked")
DOCUMENT_STATUSES: tuple[DocumentStatus, ...] = ("valid", "revoked", "superseded")
IDENTITY_STATUSES: tuple[IdentityStatus, ...] = ("active", "deceased", "revoked")
GENDERS: tuple[Gender, ...] = ("male", "female")


@dataclasses.dataclass(frozen=True)
class Issuer:
    code: str
    name_vi: str
    name_en: str
    allowed_types: frozenset[str]
    area: str = ""
    status: IssuerStatus = "active"

    def to_dict(self) -> dict[str, object]:
        """What the trust list, the API and the command line show of an issuer."""
        return {
            "code": self.code,
            "name_vi": self.name_vi,
            "name_en": self.name_en,
            "allowed_types": sorted(self.allowed_types),
            "area": self.area,
            "status": self.status,
        }


@dataclasses.dataclass(frozen=True)
class SigningKey:
    kid: str  # hex of the 8-byte key id
    issuer: str
    public_key_der: bytes  # SubjectPublicKeyInfo, DER
    status: KeyStatus
    activated_at: dt.datetime
    custody: str  # "local" or "kms"
    custody_ref: str  # keystore file name or KMS key id
    retired_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None
    revocation_reason: str = ""


# At most one active key per issuer (the trust-list root included): every
# store refuses a write that makes a key active while its issuer has another,
# and a key that stops being active frees its issuer.


def claims_active(key: SigningKey, was: str | None) -> bool:
    """Storing ``key`` over a key of status ``was`` (None: a new key) makes it
    its issuer's active key, which the store must refuse if there is another."""
    return key.status == "active" and was != "active"


def releases_active(key: SigningKey, was: str | None) -> bool:
    """Storing ``key`` over an active key frees its issuer for a new one."""
    return was == "active" and key.status != "active"


@dataclasses.dataclass(frozen=True)
class DocumentRecord:
    id: str
    type: str
    issuer: str
    kid: str
    holder_ref: str  # HMAC of the holder's ID number, never the number
    issued_at: dt.datetime
    expires_at: dt.datetime | None
    status_list: str
    status_index: int
    sealed_qr: bytes  # the QR text, encrypted at rest (it carries the ID number)
    status: DocumentStatus = "valid"
    status_reason: str = ""
    successor: str = ""
    supersedes: str = ""


@dataclasses.dataclass(frozen=True)
class IdentityRecord:
    holder_ref: str
    full_name: str
    dob: dt.date
    gender: Gender
    status: IdentityStatus


@dataclasses.dataclass(frozen=True)
class IdempotencyRecord:
    scope: str  # issuer code
    key: str
    request_hash: str
    document_id: str


@dataclasses.dataclass(frozen=True)
class ShareLink:
    """A citizen's link to one document: only the token's hash is kept."""

    id: str  # public id, for listing and revoking
    token_hash: str  # SHA-256 of the secret token, hex
    doc_id: str
    holder_ref: str  # the owner (HMAC of their ID number)
    created_at: dt.datetime
    expires_at: dt.datetime
    disclose: tuple[str, ...]  # field codes shown to the viewer
    recipient: str = ""
    max_views: int | None = None
    views: int = 0
    revoked_at: dt.datetime | None = None

    def state(self, now: dt.datetime) -> LinkState:
        """Revoked, else expired, else used up, else active: the first that holds."""
        if self.revoked_at is not None:
            return "revoked"
        if now >= self.expires_at:
            return "expired"
        if self.max_views is not None and self.views >= self.max_views:
            return "used_up"
        return "active"

    def usable(self, now: dt.datetime) -> bool:
        """Whether a view may be counted at ``now``."""
        return self.state(now) == "active"


@dataclasses.dataclass(frozen=True)
class LinkView:
    """One opening of a share link, as the citizen sees it: no IP address."""

    link_id: str
    at: dt.datetime
    device: str  # coarse: "Điện thoại · Chrome"
    agency: str = ""  # the signed-in officer's agency, if any
