"""The citizen's own pages (signing in is ``signin``): their documents, the
links they made (with who opened them), making and revoking a link."""

from __future__ import annotations

import base64
from typing import Any

from chalice.app import Response

from chalicelib import bootstrap
from chalicelib.domain.principal import Principal
from chalicelib.domain.views import iso, link_view
from chalicelib.errors import DocsealError
from chalicelib.routes.pages.base import (
    ANY_TYPES,
    bp,
    lang,
    page_form,
    page_guarded,
    render,
    request,
    session,
)
from chalicelib.web import pages


def _citizen() -> Principal | None:
    principal = session()
    return principal if principal is not None and principal.role == "citizen" else None


def _me_page(
    principal: Principal,
    reader: str,
    status: int = 200,
    cookies: tuple[str, ...] = (),
    **extra: Any,
) -> Response:
    c = bootstrap.container()
    now = c.clock.now()
    docs = []
    for record in c.links.my_documents(principal):
        signed = c.links.signed(record)
        spec = c.trust.snapshot().doc_types.get(record.type)
        docs.append(
            {
                "id": record.id,
                "type_name": (spec.name_en if reader == "en" else spec.name_vi)
                if spec
                else record.type,
                "issued_at": pages.day(iso(record.issued_at)),
                "status": record.status,
                "fields": [
                    (
                        code,
                        (f.label_en if reader == "en" else f.label_vi)
                        if spec and (f := spec.field(code))
                        else code,
                    )
                    for code in signed.fields
                ],
            }
        )
    links = []
    for link, openings in c.links.my_links(principal):
        item = link_view(link, openings, now)
        item["created"] = pages.moment(item["created_at"])
        item["expires"] = pages.moment(item["expires_at"])
        item["log"] = [{**v, "when": pages.moment(v["at"])} for v in item["log"]]
        links.append(item)
    return render("me.html", reader, status, cookies=cookies, documents=docs, links=links, **extra)


@bp.route("/me", methods=["GET", "POST"], content_types=ANY_TYPES)
@page_guarded
def me_page() -> Response:
    """My documents and links; POSTed with a ticket by the language switch
    of the page that has just shown a new link, which stays on screen."""
    c = bootstrap.container()
    form = page_form(c.settings.max_body_bytes) if request().method == "POST" else None
    reader = lang(form.fields if form else None)
    principal = _citizen()
    if principal is None:
        return render("signin.html", reader, 401, error="", next_path="/me")
    if form is not None and form.fields.get("ticket"):
        state = c.tickets.open(form.fields["ticket"], "created")
        if state.get("o") == c.links.owner(principal):
            return _created_page(principal, reader, 200, str(state["u"]))
    return _me_page(principal, reader, created=None, message="")


def _created_page(principal: Principal, reader: str, status: int, url: str) -> Response:
    """The citizen's page with a link just created: its URL and QR code are
    shown this once (only a hash of the token is stored)."""
    c = bootstrap.container()
    qr = base64.b64encode(c.qr.png(url, "")).decode()
    ticket = c.tickets.seal({"k": "created", "u": url, "o": c.links.owner(principal)})
    return _me_page(
        principal,
        reader,
        status,
        created={"url": url, "qr": qr},
        message="",
        switch={"action": "/me", "ticket": ticket},
    )


@bp.route("/me/links", methods=["POST"], content_types=ANY_TYPES)
@page_guarded
def me_create_link() -> Response:
    c = bootstrap.container()
    form = page_form(c.settings.max_body_bytes)
    reader = lang(form.fields)
    principal = _citizen()
    if principal is None:
        return render("signin.html", reader, 401, error="", next_path="/me")
    chosen = [k.removeprefix("field:") for k in form.fields if k.startswith("field:")]
    max_views = form.fields.get("max_views", "").strip()
    try:
        created = c.links.create(
            principal,
            form.fields.get("doc_id", ""),
            expires_in=form.fields.get("expires_in") or None,
            max_views=int(max_views) if max_views.isdigit() else (max_views or None),
            recipient=form.fields.get("recipient") or None,
            disclose=chosen,
        )
    except DocsealError as exc:
        return _me_page(
            principal, reader, exc.http_status, created=None, message=pages.error_text(exc, reader)
        )
    return _created_page(principal, reader, 201, created.url)


@bp.route("/me/links/{link_id}/revoke", methods=["POST"], content_types=ANY_TYPES)
@page_guarded
def me_revoke_link(link_id: str) -> Response:
    c = bootstrap.container()
    form = page_form(c.settings.max_body_bytes)
    reader = lang(form.fields)
    principal = _citizen()
    if principal is None:
        return render("signin.html", reader, 401, error="", next_path="/me")
    try:
        c.links.revoke(principal, link_id)
    except DocsealError as exc:
        return _me_page(
            principal, reader, exc.http_status, created=None, message=pages.error_text(exc, reader)
        )
    return _me_page(principal, reader, created=None, message="")
