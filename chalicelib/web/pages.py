"""Server-rendered pages: Jinja2 templates with autoescaping, so every value a
document, a receipt or a form carries is HTML-escaped wherever it appears.

Views here turn verdicts into what the officer reads (dates in Vietnam time,
checks, reasons with what to do next); routes stay in ``app.py``.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from chalicelib.domain import display, inputs
from chalicelib.domain.catalogue import RECEIPT_TYPE
from chalicelib.domain.checks import checklist, next_step
from chalicelib.domain.idnumber import SHARED_DIGITS, mask
from chalicelib.domain.reasons import EXPLANATIONS, Reason
from chalicelib.domain.verify import Verdict
from chalicelib.errors import DocsealError
from chalicelib.web.strings import ERRORS, strings_for

WEB = Path(__file__).resolve().parent
VIETNAM = display.VIETNAM
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-store",
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
# The 500 page when even the template cannot be rendered.
FALLBACK_500 = (
    '<!doctype html><html lang="vi"><meta charset="utf-8"><title>docseal</title>'
    "<h1>Đã có lỗi / Something went wrong</h1><p>Hãy thử lại sau ít phút. "
    'Try again in a few minutes.</p><p><a href="/">docseal</a></p></html>'
)
STATIC = {
    "docseal.css": "text/css; charset=utf-8",
    "docseal.js": "text/javascript; charset=utf-8",
}


@functools.cache
def _env() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(WEB / "templates")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def render(template: str, lang: str, **context: Any) -> str:
    return str(_env().get_template(template).render(t=strings_for(lang), lang=lang, **context))


def static_file(name: str) -> tuple[bytes, str] | None:
    kind = STATIC.get(name)
    return ((WEB / "static" / name).read_bytes(), kind) if kind else None


def day(value: str | None) -> str:
    """An ISO date, or an RFC 3339 instant, as dd/mm/yyyy (instants in Vietnam
    time); anything else as given."""
    if not value:
        return ""
    when = inputs.read_date(value)
    if when is not None:
        return display.date_text(when)
    moment_ = display.read_instant(value)
    return display.instant_date_text(moment_) if moment_ else value


def moment(value: str | None) -> str:
    """An RFC 3339 instant as ``HH:MM:SS dd/mm/yyyy (UTC+7)``; anything else as given."""
    if not value:
        return ""
    when = display.read_instant(value)
    return display.instant_text(when) if when else value


def reason_view(code: str, lang: str) -> dict[str, str]:
    reason = Reason(code)
    index = 1 if lang == "en" else 0
    return {
        "code": code,
        "text": EXPLANATIONS[reason][index],
        "next": next_step(reason)[index],
    }


def _state(valid: bool, reasons: list[str]) -> str:
    """valid, not_holder (a genuine document shown by someone else), or invalid."""
    if valid:
        return "valid"
    return "not_holder" if reasons == [Reason.HOLDER_MISMATCH.value] else "invalid"


def verdict_view(
    verdict: Verdict,
    lang: str,
    page: int = 0,
    disclose: tuple[str, ...] | None = None,
    ticket: str = "",
) -> dict[str, Any]:
    """What the officer reads of one verdict. ``disclose``: the only field
    codes a share link may show; ``ticket``: what the page's holder and
    receipt forms hand back instead of the QR text."""
    data = verdict.to_dict()
    index = 1 if lang == "en" else 0
    doc = data["document"]
    trust = verdict.trust
    document = None
    receipt_of = None

    type_name, issuer_name = display.names_in(trust, lang)

    if doc is not None:
        shown = [f for f in doc["fields"] if disclose is None or f["code"] in disclose]
        document = {
            "type_name": (doc["type_name_en"] if lang == "en" else doc["type_name_vi"])
            or doc["type"],
            "issuer_name": (doc["issuer"]["name_en"] if lang == "en" else doc["issuer"]["name_vi"])
            or doc["issuer"]["code"],
            "issuer_code": doc["issuer"]["code"],
            "authorised": doc["issuer"]["authorised_for_type"],
            "holder_name": doc["holder"]["full_name"],
            "holder_masked": doc["holder"]["id_masked"]
            if disclose is None or verdict.document is None
            else mask(verdict.document.holder.id_number, SHARED_DIGITS),
            "dob": day(doc["holder"]["dob"]),
            "issued_at": day(doc["issued_at"]),
            "expires_at": day(doc["expires_at"]) if doc["expires_at"] else "",
            "id": doc["id"],
            "fields": [
                (
                    f["label_en"] if lang == "en" else f["label_vi"],
                    display.show(f["kind"], f["value"], lang, type_name, issuer_name),
                )
                for f in shown
            ],
        }
        if "receipt_of" in data and verdict.verdict == "VALID":
            recorded = data["receipt_of"]
            receipt_of = {
                "state": _state(recorded["verdict"] == "VALID", recorded["reasons"]),
                "words": display.show("verdict", recorded["verdict"] or "", lang),
            }
    receipt_type = doc is not None and doc["type"] == RECEIPT_TYPE
    return {
        "ok": data["verdict"] == "VALID",
        "state": _state(data["verdict"] == "VALID", data["reasons"]),
        "receipt_of": receipt_of,
        "page": page,
        "reasons": [reason_view(r, lang) for r in data["reasons"]],
        "checks": [
            {"text": (c.en if index else c.vi), "state": state}
            for c, state in checklist(
                verdict.reasons, verdict.holder_match is not None, doc is not None
            )
        ],
        "document": document,
        "holder_match": verdict.holder_match,
        "checked_at": moment(data["checked_at"]),
        "trust_as_of": moment(data["trust_as_of"]),
        "ticket": ticket,
        "can_compare": doc is not None and verdict.holder_match is None and not receipt_type,
        "can_receipt": doc is not None and not receipt_type,
        "note": (
            doc["acceptance_note"][("vi", "en")[index]] if doc and doc["acceptance_note"] else ""
        ),
    }


def error_text(exc: DocsealError, lang: str) -> str:
    """What went wrong, in the page's language; the stable code stays visible."""
    index = 1 if lang == "en" else 0
    if exc.code in ERRORS:
        text = ERRORS[exc.code][index]
    elif exc.code in Reason.__members__:
        text = EXPLANATIONS[Reason(exc.code)][index]
    else:
        text = exc.message if exc.http_status < 500 else ("Lỗi máy chủ.", "Server error.")[index]
    return f"{text} ({exc.code})"
