"""Verifying an uploaded photo, screenshot, scan or PDF: every code in it.

Each docseal code found gets its own verdict; codes that are not docseal's
are listed as such, never dropped; a file without any code gets
``NO_QR_FOUND`` with a hint the officer can act on. A file that was damaged
but could still be shown (a truncated photo) carries a note saying so,
whatever its verdict.

``verify_upload`` is the API's door, counted against the caller's ``VERIFY``
budget before the file is scanned; ``verify_file`` is not metered (the desk
counts its own checks, the operator's CLI is not limited).
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from chalicelib.domain.caller import Caller
from chalicelib.domain.idcard import NotAnIdCard, parse_card
from chalicelib.domain.idnumber import mask
from chalicelib.domain.intake import ScanResult, is_docseal
from chalicelib.domain.reasons import Reason, explain
from chalicelib.domain.verify import Verdict
from chalicelib.ports import FileScanner
from chalicelib.services.ratelimit import VERIFY, RateLimiter
from chalicelib.services.verifying import VerifyService

PREVIEW = 80
_LONG_DIGITS = re.compile(r"\d{9,}")


def _mask(match: re.Match[str]) -> str:
    return mask(match.group(0))


HINTS = {
    "too_small": ("Mã QR trong ảnh quá nhỏ.", "The QR code in the image is too small."),
    "blurred": ("Ảnh bị mờ.", "The image is blurred."),
    "cropped_or_absent": (
        "Mã QR bị cắt mất hoặc không có trong ảnh.",
        "The QR code is cut off or not in the picture.",
    ),
    "timeout": (
        "Không đọc xong ảnh trong thời gian cho phép.",
        "The image could not be read in time.",
    ),
}

# What is known about the file itself (``ScanResult.notes``), in both languages.
NOTES = {
    "incomplete": (
        "Tệp bị hỏng hoặc không đầy đủ; đã đọc phần hiển thị được.",
        "The file is damaged or incomplete; the part that can be shown was read.",
    ),
}


@dataclasses.dataclass(frozen=True)
class FileVerdict:
    scan: ScanResult
    verdicts: tuple[tuple[int, Verdict], ...]  # (page, verdict) per docseal code
    foreign: tuple[tuple[int, str], ...]  # (page, preview) per code that is not docseal's
    texts: tuple[str, ...] = ()  # the QR text behind each verdict, in the same order

    @property
    def reasons(self) -> tuple[Reason, ...]:
        if self.verdicts:
            return ()
        return (Reason.NOT_A_DOCSEAL_CODE,) if self.foreign else (Reason.NO_QR_FOUND,)

    @property
    def notes(self) -> tuple[tuple[str, str, str], ...]:
        """(code, Vietnamese, English) for each known note about the file."""
        return tuple((n, *NOTES[n]) for n in self.scan.notes if n in NOTES)

    @property
    def verdict(self) -> str:
        ok = self.verdicts and all(v.verdict == "VALID" for _, v in self.verdicts)
        return "VALID" if ok else "INVALID"

    def to_dict(self) -> dict[str, Any]:
        results: list[dict[str, Any]] = [
            {"page": page, **verdict.to_dict()} for page, verdict in self.verdicts
        ]
        for page, preview in self.foreign:
            results.append(
                {
                    "page": page,
                    "verdict": "INVALID",
                    "reasons": [Reason.NOT_A_DOCSEAL_CODE.value],
                    "explanations": [explain(Reason.NOT_A_DOCSEAL_CODE)],
                    "text_preview": preview,
                }
            )
        # An INVALID file's reasons at the top, as a QR text's verdict gives
        # them: the file's own (no code found ...) and every code's, each once.
        reasons = {r.value: explain(r) for r in self.reasons}
        if self.verdict != "VALID":
            for result in results:
                for code, text in zip(result["reasons"], result["explanations"], strict=True):
                    reasons.setdefault(code, text)
        out: dict[str, Any] = {
            "verdict": self.verdict,
            "reasons": list(reasons),
            "explanations": list(reasons.values()),
            "source": {
                "format": self.scan.format,
                "pages": self.scan.pages,
                "codes_found": len(self.scan.codes),
                "decoders": list(self.scan.decoders),
            },
            "results": results,
        }
        if len(self.verdicts) == 1:  # one code: its two answers at the top too
            only = results[0]
            out["document_valid"] = only["document_valid"]
            out["holder_match"] = only["holder_match"]
            if "receipt_of" in only:
                out["receipt_of"] = only["receipt_of"]
        if Reason.NO_QR_FOUND in self.reasons and self.scan.hint in HINTS:
            vi, en = HINTS[self.scan.hint]
            out["hint"] = {"code": self.scan.hint, "vi": vi, "en": en}
        if self.notes:
            out["notes"] = [{"code": code, "vi": vi, "en": en} for code, vi, en in self.notes]
        return out


class FileVerifyService:
    def __init__(
        self,
        scanner: FileScanner,
        verifier: VerifyService,
        limiter: RateLimiter | None = None,  # None: an offline verifier, which no door reaches
    ) -> None:
        self._scanner = scanner
        self._verifier = verifier
        self._limiter = limiter

    def verify_upload(self, data: bytes, holder_id: str | None, caller: Caller) -> FileVerdict:
        """An uploaded file's verdicts, within the caller's ``VERIFY`` budget."""
        if self._limiter is not None:
            self._limiter.check(VERIFY, caller)
        return self.verify_file(data, holder_id)

    def verify_file(self, data: bytes, holder_id: str | None = None) -> FileVerdict:
        scan = self._scanner.scan(data)
        verdicts: list[tuple[int, Verdict]] = []
        texts: list[str] = []
        foreign: list[tuple[int, str]] = []
        for code in scan.codes:
            text = code.text
            if text is not None and is_docseal(text):
                verdicts.append((code.page, self._verifier.verify(text, holder_id)))
                texts.append(text)
            else:
                shown = text if text is not None else code.data.hex()
                # Another system's code may hold an ID number (the chip ID card's does).
                foreign.append((code.page, _LONG_DIGITS.sub(_mask, shown[:PREVIEW])))
        return FileVerdict(scan, tuple(verdicts), tuple(foreign), tuple(texts))

    def holder_from_card(self, data: bytes) -> str:
        """The ID number in a photo of a chip ID card's QR code (unsigned)."""
        scan = self._scanner.scan(data)
        if not scan.codes:
            raise NotAnIdCard("no QR code was found in the photo of the ID card")
        for code in scan.codes:
            if code.text is None:
                continue
            try:
                return parse_card(code.text).id_number
            except NotAnIdCard:
                continue
        raise NotAnIdCard("the QR code in the photo is not a chip ID card's")
