"""The officer's desk: the checks the verification pages ask for.

The desk form carries a file (photo, screenshot, scan, PDF) or a pasted QR
text, and optionally the person's ID number, typed or read from a photo of the
QR code on their chip ID card. Each docseal result found gets a verdict and,
when a document could be read, a receipt the officer may ask for. A share
link's page is a desk check too: of the link's document, against the number
the officer typed, with only the fields the citizen chose shown.

What a page hands back to check again (the language switch, the holder form,
a receipt) is a sealed ticket (``chalicelib.services.tickets``), made and read
here only: a desk ticket names the QR texts checked, a share ticket only the
link, never its document's QR text.

Every check here is metered, once per request, against the caller's budget:
``VERIFY`` for the desk form, a camera URL and a receipt, ``LINKS`` for a
share link's page (``chalicelib.services.ratelimit``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from chalicelib.domain import qrtext
from chalicelib.domain.caller import Caller
from chalicelib.domain.inputs import presented_id
from chalicelib.domain.intake import FoundCode
from chalicelib.domain.reasons import Reason
from chalicelib.domain.verify import Verdict
from chalicelib.errors import BadRequest, DocsealError, ErrorCode
from chalicelib.services.files import HINTS, FileVerifyService
from chalicelib.services.links import HolderChecksUsedUp, LinkService, OpenedLink
from chalicelib.services.ratelimit import LINKS, VERIFY, RateLimiter
from chalicelib.services.receipts import ReceiptService
from chalicelib.services.tickets import PageTickets
from chalicelib.services.verifying import VerifyService


@dataclasses.dataclass(frozen=True)
class DeskCheck:
    verdict: Verdict
    qr_text: str
    page: int = 0
    ticket: str = ""  # hands this one check back: its receipt


@dataclasses.dataclass(frozen=True)
class DeskResult:
    checks: tuple[DeskCheck, ...]
    foreign: tuple[tuple[int, str], ...] = ()
    reasons: tuple[Reason, ...] = ()  # NO_QR_FOUND / NOT_A_DOCSEAL_CODE for a file
    hint: tuple[str, str] | None = None  # (vi, en)
    holder_id: str | None = None  # the number compared, typed or read from the card
    ticket: str = ""  # hands every check back (the language switch); "" when none
    notes: tuple[tuple[str, str, str], ...] = ()  # (code, vi, en) about the file: incomplete
    share_link: str = ""  # "/s/<token>": what was given is a share link, to be opened


@dataclasses.dataclass(frozen=True)
class ShareCheck:
    """A share link's page: its verdict (``opened``), the number it was
    compared with, if any, and why a number could not be compared, shown on
    the page rather than instead of it."""

    opened: OpenedLink
    holder_id: str | None
    ticket: str  # names the link and the number compared: never the QR text
    error: DocsealError | None = None


@dataclasses.dataclass(frozen=True)
class SignedReceipt:
    """A receipt just signed: its own verdict, its QR text, and the forms it
    may be handed out in. A share link's is a PDF only, its holder named by
    the masked ID number: the viewer was never shown more."""

    verdict: Verdict
    qr_text: str
    formats: tuple[str, ...]

    @property
    def document_id(self) -> str:
        assert self.verdict.document is not None  # ReceiptService.open saw to that
        return self.verdict.document.id


class DeskService:
    def __init__(
        self,
        verifier: VerifyService,
        files: FileVerifyService,
        receipts: ReceiptService,
        links: LinkService,
        tickets: PageTickets,
        limiter: RateLimiter,
    ) -> None:
        self._verifier = verifier
        self._files = files
        self._receipts = receipts
        self._links = links
        self._tickets = tickets
        self._limiter = limiter

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
        caller: Caller,
        *,
        qr_text: str | None = None,
        file: bytes | None = None,
        holder_id: str | None = None,
        card: bytes | None = None,
        ticket: str | None = None,
    ) -> DeskResult:
        """Verify a file, a pasted QR text, or what an earlier check of this
        desk read (its ``ticket``), against the presented holder; a ticket's
        number stands unless another is typed or a card is given."""
        self._limiter.check(VERIFY, caller)
        texts: list[tuple[int, str]] = []
        if ticket:
            state = self._tickets.open(ticket, "desk")
            texts = [(int(p), str(q)) for p, q in state["q"]]
            if not holder_id and not card:
                holder_id = state.get("h")
        holder = self.presented(holder_id, card)
        if texts:
            checks = tuple(DeskCheck(self._verifier.verify(t, holder), t, p) for p, t in texts)
            return self._sealed(DeskResult(checks, holder_id=holder))
        if file:
            found = self._files.verify_file(file, holder)
            checks = tuple(
                DeskCheck(verdict, text, page)
                for (page, verdict), text in zip(found.verdicts, found.texts, strict=True)
            )
            if not checks and (link := _share_link_in(found.scan.codes)):
                return DeskResult((), share_link=link)
            hint = HINTS.get(found.scan.hint) if Reason.NO_QR_FOUND in found.reasons else None
            return self._sealed(
                DeskResult(checks, found.foreign, found.reasons, hint, holder, notes=found.notes)
            )
        text = (qr_text or "").strip()
        if qrtext.is_blank(text):
            raise BadRequest(
                "choose a photo, screenshot or PDF, or paste the QR code's text",
                code=ErrorCode.MISSING_FILE,
            )
        if shared := qrtext.share_link_path(text):
            return DeskResult((), share_link=shared)
        checks = (DeskCheck(self._verifier.verify(text, holder), text),)
        return self._sealed(DeskResult(checks, holder_id=holder))

    def _sealed(self, result: DeskResult) -> DeskResult:
        def ticket(checks: tuple[DeskCheck, ...]) -> str:
            state = {"k": "desk", "q": [[x.page, x.qr_text] for x in checks], "h": result.holder_id}
            return self._tickets.seal(state)

        return dataclasses.replace(
            result,
            checks=tuple(dataclasses.replace(x, ticket=ticket((x,))) for x in result.checks),
            ticket=ticket(result.checks) if result.checks else "",
        )

    def open_link(
        self,
        caller: Caller,
        token: str,
        device: str,
        *,
        seen: str | None = None,
        holder_id: str | None = None,
        card: bytes | None = None,
        ticket: str | None = None,
    ) -> ShareCheck:
        """Open a share link from its URL token, within the caller's ``LINKS``
        budget, and compare its holder with the number typed (or read from
        ``card``); ``ticket``: this link's page, checked before, whose number
        stands and is not counted again. The caller's principal, an officer,
        is named to the citizen in the link's log.

        Raises ``RATE_LIMITED`` before anything else, ``TICKET_INVALID`` for
        another link's ticket and ``LinkUnavailable`` for a link that cannot
        be opened; a number that cannot be compared (a bad number or card,
        the link's holder checks used up) is the ``ShareCheck``'s error."""
        self._limiter.check(LINKS, caller)
        sealed: dict[str, Any] = self._tickets.open(ticket, "share") if ticket else {}
        holder: str | None = None
        error: DocsealError | None = None
        try:
            holder = self.presented(holder_id, card)
        except DocsealError as exc:
            error = exc
        if holder is None and error is None and not card:
            holder = sealed.get("h")  # the number this page checked: not counted again

        def opened_with(number: str | None) -> OpenedLink:
            return self._links.open(
                token,
                device,
                caller.principal,
                seen=seen,
                holder_id=number,
                ticket_link=sealed.get("l") if sealed else None,
                rechecked=number is not None and number == sealed.get("h"),
            )

        try:
            opened = opened_with(holder)
        except HolderChecksUsedUp as exc:
            error, holder = exc, None
            opened = opened_with(None)
        sealed_now = self._tickets.seal({"k": "share", "l": opened.link.id, "h": holder})
        return ShareCheck(opened, holder, sealed_now, error)

    def receipt(self, caller: Caller, ticket: str) -> SignedReceipt:
        """Sign a receipt of the check a page's ``ticket`` names, checked again
        now, within the caller's ``VERIFY`` budget: only when someone asks for
        one, never for every anonymous check. The caller's principal, an
        officer, has their agency recorded on it."""
        self._limiter.check(VERIFY, caller)
        state = self._tickets.open(ticket, "desk", "share")
        if state["k"] == "share":
            opened = self._links.revisit(state.get("l"), state.get("h"))
            text = self._receipts.issue(opened.verdict, caller.principal, masked=True)
            formats: tuple[str, ...] = ("pdf",)
        else:
            _page, qr_text = state["q"][0]
            checked = self._verifier.verify(str(qr_text), state.get("h"))
            text = self._receipts.issue(checked, caller.principal)
            formats = ("pdf", "json")
        verdict, text = self._receipts.open(text)
        return SignedReceipt(verdict, text, formats)


def _share_link_in(codes: Sequence[FoundCode]) -> str:
    """The path of the first docseal share link among codes found in a file."""
    for code in codes:
        if code.text is not None and (link := qrtext.share_link_path(code.text)):
            return link
    return ""
