"""What the page tests share: posting the desk form as a browser does, and
reading back what a page hands to its forms."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from chalicelib.domain.principal import Principal
from tests.functional.conftest import World

FORM = {
    "Content-Type": "application/x-www-form-urlencoded",
    "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",  # what a browser sends
}
_TICKET = re.compile(r'name="ticket" value="([^"]+)"')


def post_form(world: World, path: str, fields: dict[str, str], **headers: str) -> Any:
    return world.client.http.post(path, body=urlencode(fields), headers={**FORM, **headers})


def desk_check(world: World, qr_text: str, holder_id: str = "", lang: str = "vi") -> str:
    """The desk form posted with a pasted QR text: the result page's HTML."""
    r = post_form(world, "/", {"qr_text": qr_text, "holder_id": holder_id, "lang": lang})
    assert r.status_code == 200, r.body[-500:]
    return str(r.body.decode())


def tickets(html: str) -> list[str]:
    return _TICKET.findall(html)


def form_ticket(html: str, action: str) -> str:
    """The ticket of the first form posting to ``action``."""
    for form in re.findall(r"<form\b[^>]*>.*?</form>", html, re.DOTALL):
        if f'action="{action}"' in form and (found := _TICKET.search(form)):
            return found.group(1)
    raise AssertionError(f"no form to {action} with a ticket")


def signed_in(world: World, principal: Principal) -> tuple[dict[str, str], str]:
    """A session for ``principal`` sealed as the sign-in callback seals it (the
    provider's part is tested in test_signin.py): the Cookie header and the
    session's CSRF token for its forms."""
    service = world.container.signin
    session = service.new_session(principal)
    return {"Cookie": f"docseal_session={service.seal_session(session)}"}, service.csrf_token(
        session
    )
