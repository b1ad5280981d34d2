"""Page tickets: what a page hands back to the server, sealed.

A verification page must let the officer compare the holder, download a
receipt or switch language without the page carrying what it was shown from:
a share page must never hold the signed QR text (every field and the full ID
number can be decoded from it), and a desk page need not. So a page carries
an opaque ticket instead: the state it came from (the QR texts checked, or
the share link's id, the number the officer typed), encrypted and
authenticated with Fernet (AES-128-CBC + HMAC-SHA256, ``cryptography``'s
well-reviewed construction) under a key derived (HKDF-SHA256) from the
payload secret, and expiring after ``TICKET_SECONDS``. Nobody without the
server's secret can read a ticket or make one, and a ticket for one link
cannot open another (the link id is inside).
"""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from chalicelib.errors import BadRequest, ErrorCode
from chalicelib.ports import Clock

TICKET_SECONDS = 3600  # a page left open for an hour still downloads its receipt
MAX_TICKET_CHARS = 16384


class TicketExpired(BadRequest):
    code = ErrorCode.TICKET_EXPIRED


class PageTickets:
    def __init__(self, secret: bytes, clock: Clock) -> None:
        key = HKDF(hashes.SHA256(), 32, salt=None, info=b"docseal page ticket v1").derive(secret)
        self._fernet = Fernet(base64.urlsafe_b64encode(key))
        self._clock = clock

    def seal(self, state: dict[str, Any]) -> str:
        """``state`` (JSON-serialisable) as an opaque URL-safe ticket."""
        body = json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode()
        now = int(self._clock.now().timestamp())
        return self._fernet.encrypt_at_time(body, now).decode("ascii")

    def open(self, ticket: object, *kinds: str) -> dict[str, Any]:
        """The state sealed in ``ticket`` if it is a ticket of one of ``kinds``
        (its ``"k"``).

        Raises ``TicketExpired`` (400) after ``TICKET_SECONDS`` and
        ``BadRequest`` ``TICKET_INVALID`` (400) for anything else."""
        invalid = BadRequest("this page has expired or was changed", code=ErrorCode.TICKET_INVALID)
        if not isinstance(ticket, str) or not ticket or len(ticket) > MAX_TICKET_CHARS:
            raise invalid
        now = int(self._clock.now().timestamp())
        try:
            body = self._fernet.decrypt_at_time(ticket.encode("ascii"), TICKET_SECONDS, now)
        except (InvalidToken, UnicodeEncodeError):
            try:  # told apart only to say "expired": the ticket is authentic
                self._fernet.extract_timestamp(ticket.encode("ascii"))
            except (InvalidToken, UnicodeEncodeError):
                raise invalid from None
            raise TicketExpired("this page is more than an hour old: check again") from None
        state = json.loads(body)
        if not isinstance(state, dict) or state.get("k") not in kinds:
            raise invalid
        return state
