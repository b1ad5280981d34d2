"""The officer's desk: one check from the verification page's form.

The form carries a file (photo, screenshot, scan, PDF) or a pasted QR text,
and optionally the person's ID number, typed or read from a photo of the QR
code on their chip ID card. Each docseal result found gets a verdict and,
when a document could be read, a signed receipt to file.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from chalicelib.domain.principal import Principal
from chalicelib.domain.reasons import Reason
from chalicelib.domain.verify import Verdict
from chalicelib.errors import BadRequest
from chalicelib.services.files import HINTS, FileVerifyService
from chalicelib.services.receipts import ReceiptService
from chalicelib.services.verifying import VerifyService, presented_id


@dataclasses.dataclass(frozen=True)
class DeskCheck:
    verdict: Verdict
    qr_text: str
    page: int = 0


@dataclasses.dataclass(frozen=True)
class DeskResult:
    checks: tuple[DeskCheck, ...]
    foreign: tuple[tuple[int, str], ...] = ()
    reasons: tuple[Reason, ...] = ()  # NO_QR_FOUND / NOT_A_DOCSEAL_CODE for a file
    hint: tuple[str, str] | None = None  # (vi, en)
    holder_id: str | None = None  # the number compared, typed or read from the card


class DeskService:
    def __init__(
        self, verifier: VerifyService, files: FileVerifyService, receipts: ReceiptService
    ) -> None:
        self._verifier = verifier
        self._files = files
        self._receipts = receipts

    def presented(self, holder_id: str | None, card: bytes | None) -> str | None:
        """The number of the person at the desk: typed, or read from a photo
        of their chip ID card's QR code (``INVALID_ID_NUMBER``,
        ``NOT_AN_ID_CARD_QR`` when neither reads)."""
        holder = presented_id((holder_id or "").strip() or None)
        if holder is None and card:
            holder = self._files.holder_from_card(card)
        return holder

    def check(
        self,
        *,
        qr_text: str | None = None,
        file: bytes | None = None,
        holder_id: str | None = None,
        card: bytes | None = None,
        texts: Sequence[tuple[int, str]] = (),
    ) -> DeskResult:
        """Verify a file, a pasted QR text, or ``texts`` (page, QR text) that
        an earlier check of this desk read, against the presented holder."""
        holder = self.presented(holder_id, card)
        if texts:
            return DeskResult(
                tuple(DeskCheck(self._verifier.verify(t, holder), t, p) for p, t in texts),
                holder_id=holder,
            )
        if file:
            found = self._files.verify_file(file, holder)
            checks = tuple(
                DeskCheck(verdict, text, page)
                for (page, verdict), text in zip(found.verdicts, found.texts, strict=True)
            )
            hint = HINTS.get(found.scan.hint) if Reason.NO_QR_FOUND in found.reasons else None
            return DeskResult(checks, found.foreign, found.reasons, hint, holder)
        text = (qr_text or "").strip()
        if not text:
            raise BadRequest(
                "choose a photo, screenshot or PDF, or paste the QR code's text",
                code="MISSING_FILE",
            )
        return DeskResult((DeskCheck(self._verifier.verify(text, holder), text),), holder_id=holder)

    def receipt(self, qr_text: str, holder_id: str | None, officer: Principal | None) -> str:
        """Verify ``qr_text`` again and sign a receipt of that check: signed
        only when someone asks for one, never for every anonymous check."""
        return self._receipts.issue(self._verifier.verify(qr_text, holder_id), officer)
