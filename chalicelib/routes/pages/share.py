"""A citizen's share link, ``/s/<token>``: the live verdict and only the
fields they chose.

Nothing here carries the document's QR text, an undisclosed field or the full
ID number: the holder form posts the number the officer typed (or the card
photo) back to this URL and ``DeskService.open_link`` compares it with the
link's document; the receipt form and the language switch post a sealed
ticket naming the link.
"""

from __future__ import annotations

from chalice.app import Response

from chalicelib import bootstrap
from chalicelib.domain.devices import coarse_device
from chalicelib.domain.views import iso, link_view
from chalicelib.errors import LinkUnavailable, TooManyRequests
from chalicelib.http import error_headers
from chalicelib.routes.pages.base import (
    ANY_TYPES,
    bp,
    caller,
    lang,
    page_form,
    page_guarded,
    render,
    request,
    request_cookies,
)
from chalicelib.web import pages

SEEN = "docseal_seen"  # a share link's counted view in this browser (Path=/s/<token>)


@bp.route("/s/{token}", methods=["GET", "POST"], content_types=ANY_TYPES)
@page_guarded
def shared(token: str) -> Response:
    c = bootstrap.container()
    form = page_form(c.settings.intake.max_file_bytes) if request().method == "POST" else None
    reader = lang(form.fields if form else None)
    seen = request_cookies().get(SEEN)
    try:
        check = c.desk.open_link(
            caller(),
            token,
            coarse_device(request().headers.get("user-agent")),
            seen=seen,
            holder_id=form.fields.get("holder_id") if form else None,
            card=form.files.get("card") if form else None,
            ticket=form.fields.get("ticket") if form else None,
        )
    except TooManyRequests as exc:
        response = render("unavailable.html", reader, 429, limited=True)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except LinkUnavailable:
        return render("unavailable.html", reader, 404, limited=False)
    opened, error = check.opened, check.error
    cookies: tuple[str, ...] = ()
    if opened.seen and opened.seen != seen:
        cookies = (f"{SEEN}={opened.seen}; Path=/s/{token}; HttpOnly; SameSite=Lax; Max-Age=3600",)
    result = pages.verdict_view(
        opened.verdict, reader, disclose=opened.link.disclose, ticket=check.ticket
    )
    response = render(
        "shared.html",
        reader,
        error.http_status if error else 200,
        cookies=cookies,
        results=[result],
        link=link_view(opened.link, None, c.clock.now()),
        expires=pages.moment(iso(opened.link.expires_at)),
        action=f"/s/{token}",
        shared=True,
        error=pages.error_text(error, reader) if error else "",
        switch={"action": f"/s/{token}", "ticket": check.ticket} if check.holder_id else None,
    )
    if error is not None:
        response.headers.update(error_headers(error))
    return response
