"""The officer's verification desk: the form, a camera URL, receipts.

Each route reads the form and hands it to ``DeskService``, which meters the
check, reads the page's ticket and decides what a receipt may be; the route
renders what comes back.
"""

from __future__ import annotations

from chalice.app import Response

from chalicelib import bootstrap
from chalicelib.errors import DocsealError
from chalicelib.http import error_headers, json_response, pdf_response
from chalicelib.routes.pages.base import (
    ANY_TYPES,
    bp,
    caller,
    lang,
    page_form,
    page_guarded,
    render,
)
from chalicelib.services.desk import DeskResult
from chalicelib.services.receipts import receipt_json
from chalicelib.web import pages


@bp.route("/", methods=["GET"])
@page_guarded
def home() -> Response:
    return render("home.html", lang(), error="", qr_text="")


@bp.route("/", methods=["POST"], content_types=ANY_TYPES)
@page_guarded
def home_check() -> Response:
    """The plain form POST: works without JavaScript, and carries /v's fragment.
    A ``ticket`` instead of a file or text re-checks what this page checked
    before (the holder form, the language switch)."""
    c = bootstrap.container()
    form = page_form(c.settings.intake.max_file_bytes)
    reader = lang(form.fields)
    try:
        result = c.desk.check(
            caller=caller(),
            qr_text=form.fields.get("qr_text"),
            file=form.files.get("file"),
            holder_id=form.fields.get("holder_id"),
            card=form.files.get("card"),
            ticket=form.fields.get("ticket"),
        )
    except DocsealError as exc:
        response = render(
            "home.html",
            reader,
            exc.http_status,
            error=pages.error_text(exc, reader),
            qr_text=form.fields.get("qr_text", ""),
        )
        response.headers.update(error_headers(exc))
        return response
    return desk_result(result, reader)


def desk_result(result: DeskResult, reader: str) -> Response:
    if result.share_link:  # a citizen's share link, pasted or scanned: open it
        return Response(
            body="",
            status_code=303,
            headers={"Location": f"{result.share_link}?lang={reader}"},
        )
    return render(
        "result.html",
        reader,
        results=[
            pages.verdict_view(x.verdict, reader, page=x.page, ticket=x.ticket)
            for x in result.checks
        ],
        foreign=[{"page": page, "preview": preview} for page, preview in result.foreign],
        reasons=[pages.reason_view(r.value, reader) for r in result.reasons],
        hint=(result.hint[1] if reader == "en" else result.hint[0]) if result.hint else "",
        notes=[
            {"code": code, "text": en if reader == "en" else vi} for code, vi, en in result.notes
        ],
        switch={"action": "/", "ticket": result.ticket} if result.checks else None,
    )


def camera_text(text: str) -> Response:
    """A camera URL whose ``#`` a reader app encoded (``/v%23DS1%3A…``): the
    payload reached the path, so verify it as the page would have."""
    c = bootstrap.container()
    return desk_result(c.desk.check(caller=caller(), qr_text=text), lang())


@bp.route("/v", methods=["GET"])
@page_guarded
def verify_page() -> Response:
    """What a phone camera opens from a docseal QR code; the payload is in the fragment."""
    return render("camera.html", lang())


@bp.route("/receipt", methods=["POST"], content_types=ANY_TYPES)
@page_guarded
def receipt() -> Response:
    """Sign a receipt of a check this page showed, when the officer asks for
    it, as a PDF or, where the service allows it, as JSON."""
    c = bootstrap.container()
    form = page_form(c.settings.max_body_bytes)
    signed = c.desk.receipt(caller(), form.fields.get("ticket", ""))
    name = f"docseal-receipt-{signed.document_id}"
    if form.fields.get("format") == "json" and "json" in signed.formats:
        return json_response(
            receipt_json(signed.verdict, signed.qr_text),
            headers={"Content-Disposition": f'attachment; filename="{name}.json"'},
        )
    return pdf_response(c.documents.pdf_for(signed.qr_text), f"{name}.pdf", "attachment")
