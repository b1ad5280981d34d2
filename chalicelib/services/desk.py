"""The officer's desk: one check from the verification page's form.

The form carries a file (photo, screenshot, scan, PDF) or a pasted QR text,
and optionally the person's ID number, typed or read from a photo of the QR
code on their chip ID card. Each docseal result found gets a verdict and,
when a document could be read, a signed receipt to file.
"""

from __future__ import annotations

import dataclasses

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
    receipt: str | None
    page: int = 0


@dataclasses.dataclass(frozen=True)
class DeskResult:
    checks: tuple[DeskCheck, ...]
    foreign: tuple[tuple[int, str], ...] = ()
    reasons: tuple[Reason, ...] = ()  # NO_QR_FOUND / NOT_A_DOCSEAL_CODE for a file
    hint: tuple[str, str] | None = None  # (vi, en)


class DeskService:
    def __init__(
        self, verifier: VerifyService, files: FileVerifyService, receipts: ReceiptService
    ) -> None:
        self._verifier = verifier
        self._files = files
        self._receipts = receipts

    def check(
        self,
        *,
        qr_text: str | None = None,
        file: bytes | None = None,
        holder_id: str | None = None,
        card: bytes | None = None,
        officer: Principal | None = None,
    ) -> DeskResult:
        holder = presented_id((holder_id or "").strip() or None)
        if holder is None and card:
            holder = self._files.holder_from_card(card)
        if file:
            found = self._files.verify_file(file, holder)
            checks = tuple(
                self._checked(verdict, text, officer, page)
                for (page, verdict), text in zip(found.verdicts, found.texts, strict=True)
            )
            hint = HINTS.get(found.scan.hint) if Reason.NO_QR_FOUND in found.reasons else None
            return DeskResult(checks, found.foreign, found.reasons, hint)
        text = (qr_text or "").strip()
        if not text:
            raise BadRequest(
                "choose a photo, screenshot or PDF, or paste the QR code's text",
                code="MISSING_FILE",
            )
        return DeskResult((self._checked(self._verifier.verify(text, holder), text, officer),))

    def _checked(
        self, verdict: Verdict, text: str, officer: Principal | None, page: int = 0
    ) -> DeskCheck:
        return DeskCheck(verdict, text, self._receipts.offer(verdict, officer), page)
