"""Server-rendered pages: Jinja2 templates with autoescaping, so every value a
document, a receipt or a form carries is HTML-escaped wherever it appears.

Views here turn verdicts into what the officer reads (dates in Vietnam time,
checks, reasons with what to do next); routes stay in ``app.py``.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

from chalicelib.domain.checks import checklist, next_step
from chalicelib.domain.reasons import EXPLANATIONS, Reason
from chalicelib.domain.verify import Verdict
from chalicelib.errors import DocsealError
from chalicelib.web.strings import ERRORS, strings_for

WEB = Path(__file__).resolve().parent
VIETNAM = dt.timezone(dt.timedelta(hours=7))
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
    """An ISO date or time as dd/mm/yyyy (times in Vietnam time)."""
    if not value:
        return ""
    if len(value) == 10:
        y, m, d = value.split("-")
        return f"{d}/{m}/{y}"
    when = dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(VIETNAM)
    return when.strftime("%d/%m/%Y")


def moment(value: str | None) -> str:
    if not value:
        return ""
    when = dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(VIETNAM)
    return when.strftime("%H:%M:%S %d/%m/%Y (UTC+7)")


def _field_value(value: str) -> str:
    if len(value) == 10 and value[4] == "-" and value[7] == "-":
        return day(value)
    if len(value) == 20 and value.endswith("Z") and "T" in value:
        return moment(value)
    return value


def reason_view(code: str, lang: str) -> dict[str, str]:
    reason = Reason(code)
    index = 1 if lang == "en" else 0
    return {
        "code": code,
        "text": EXPLANATIONS[reason][index],
        "next": next_step(reason)[index],
    }


def verdict_view(
    verdict: Verdict,
    lang: str,
    qr_text: str,
    receipt: str | None,
    page: int = 0,
    disclose: tuple[str, ...] | None = None,
) -> dict[str, Any]:
    data = verdict.to_dict()
    index = 1 if lang == "en" else 0
    doc = data["document"]
    document = None
    if doc is not None:
        document = {
            "type_name": (doc["type_name_en"] if lang == "en" else doc["type_name_vi"])
            or doc["type"],
            "issuer_name": (doc["issuer"]["name_en"] if lang == "en" else doc["issuer"]["name_vi"])
            or doc["issuer"]["code"],
            "issuer_code": doc["issuer"]["code"],
            "authorised": doc["issuer"]["authorised_for_type"],
            "holder_name": doc["holder"]["full_name"],
            "holder_masked": doc["holder"]["id_masked"],
            "dob": day(doc["holder"]["dob"]),
            "issued_at": day(doc["issued_at"]),
            "expires_at": day(doc["expires_at"]) if doc["expires_at"] else "",
            "id": doc["id"],
            "fields": [
                (f["label_en"] if lang == "en" else f["label_vi"], _field_value(f["value"]))
                for f in doc["fields"]
                if disclose is None or f["code"] in disclose
            ],
        }
    return {
        "ok": data["verdict"] == "VALID",
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
        "qr_text": qr_text,
        "receipt": receipt,
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
