"""Who is calling: the roles a bearer token can carry."""

from __future__ import annotations

import dataclasses
from typing import Literal

Role = Literal["admin", "issuer", "citizen", "verifier"]
ROLES: tuple[Role, ...] = ("admin", "issuer", "citizen", "verifier")


@dataclasses.dataclass(frozen=True)
class Principal:
    subject: str
    role: Role
    issuer: str | None = None  # issuer code, role "issuer"
    holder_id: str | None = None  # 12-digit ID number, role "citizen"
    agency: str | None = None  # agency code, role "verifier"
    agency_name: str | None = None  # the agency's name, printed on receipts

    def agency_label(self) -> str:
        """The verifying officer's agency as receipts and access logs show it."""
        if self.role != "verifier" or not self.agency:
            return ""
        return f"{self.agency_name} ({self.agency})" if self.agency_name else self.agency
