"""Share links: a citizen makes, lists and revokes them; a viewer opens them,
each opening verified again and counted, and holder checks are few."""

from __future__ import annotations

import datetime as dt

from chalicelib.domain.reasons import Reason
from chalicelib.errors import LinkUnavailable
from chalicelib.services.issuing import Issued
from chalicelib.services.links import MAX_HOLDER_CHECKS, CreatedLink, token_hash
from tests.service.conftest import (
    ADMIN,
    NAM,
    PUBLIC_URL,
    Docseal,
    citizen,
    issue,
    officer,
    refused,
)
from tests.support import BIRTH_FIELDS, HOLDER_ID

PHONE = "Điện thoại · Chrome"


def share(docseal: Docseal, **terms: object) -> tuple[Issued, CreatedLink]:
    issued = issue(docseal)
    return issued, docseal.links.create(citizen(), issued.id, **terms)


def token(created: CreatedLink) -> str:
    return created.url.rpartition("/s/")[2]


def views_of(docseal: Docseal, created: CreatedLink) -> int:
    link = docseal.repos.links.get_link(created.link.id)
    assert link is not None
    return link.views


# Making links ------------------------------------------------------------------


def test_a_new_link_keeps_only_its_tokens_hash_and_is_audited(docseal: Docseal) -> None:
    issued, created = share(docseal)
    link = created.link

    assert created.url.startswith(f"{PUBLIC_URL}/s/") and len(token(created)) == 32
    assert docseal.repos.links.find_link(token_hash(token(created))) == link
    assert token(created) not in repr(link)
    assert (link.doc_id, link.views, link.max_views, link.recipient) == (issued.id, 0, None, "")
    assert link.created_at == docseal.clock.now().replace(microsecond=0)
    assert link.expires_at == link.created_at + dt.timedelta(days=7)
    assert link.disclose == tuple(BIRTH_FIELDS)  # every field, in the document's order
    assert docseal.links.my_links(citizen()) == [(link, [])]
    entry = docseal.trail()[-1]
    assert (entry.actor, entry.action, entry.target) == ("citizen", "link.create", link.id)
    assert entry.details == {"document": issued.id, "until": "2026-11-08T08:01:00Z"}


def test_a_link_is_made_on_the_terms_the_citizen_chose(docseal: Docseal) -> None:
    _, created = share(
        docseal,
        expires_in="12h",
        max_views=3,
        recipient="  Trường   Tiểu học Dịch Vọng ",
        disclose="registration_no, birth_place",
    )
    link = created.link
    assert link.expires_at - link.created_at == dt.timedelta(hours=12)
    assert (link.max_views, link.recipient) == (3, "Trường Tiểu học Dịch Vọng")
    assert link.disclose == ("birth_place", "registration_no")


def test_terms_out_of_bounds_are_refused_and_nothing_is_made(docseal: Docseal) -> None:
    issued = issue(docseal)
    me = citizen()
    for terms, code in [
        ({"expires_in": 0}, "INVALID_EXPIRY"),
        ({"expires_in": 0.5}, "INVALID_EXPIRY"),
        ({"expires_in": 1e-300}, "INVALID_EXPIRY"),
        ({"expires_in": "31d"}, "INVALID_EXPIRY"),
        ({"expires_in": "soon"}, "INVALID_EXPIRY"),
        ({"max_views": 0}, "INVALID_MAX_VIEWS"),
        ({"max_views": True}, "INVALID_MAX_VIEWS"),
        ({"max_views": 1001}, "INVALID_MAX_VIEWS"),
        ({"recipient": "x" * 121}, "INVALID_FIELD_VALUE"),
        ({"recipient": 5}, "BAD_REQUEST"),
        ({"disclose": ["eye_colour"]}, "UNKNOWN_FIELD"),
        ({"disclose": {"birth_place": True}}, "BAD_REQUEST"),
    ]:
        with refused(code):
            docseal.links.create(me, issued.id, **terms)  # type: ignore[arg-type]
    assert docseal.links.my_links(me) == []


def test_only_the_holder_shares_and_sees_their_documents_and_links(docseal: Docseal) -> None:
    issued, created = share(docseal)
    stranger = citizen(NAM)
    with refused("DOCUMENT_NOT_FOUND"):
        docseal.links.create(stranger, issued.id)
    with refused("LINK_NOT_FOUND"):
        docseal.links.my_link(stranger, created.link.id)
    with refused("LINK_NOT_FOUND"):
        docseal.links.revoke(stranger, created.link.id)
    with refused("WRONG_ROLE"):
        docseal.links.my_documents(officer())
    assert docseal.links.my_documents(stranger) == []
    assert [d.id for d in docseal.links.my_documents(citizen())] == [issued.id]


# Opening links -----------------------------------------------------------------


def test_opening_verifies_again_counts_the_view_and_logs_who(docseal: Docseal) -> None:
    _, created = share(docseal)
    opened = docseal.links.open(token(created), PHONE, viewer=officer())

    assert opened.verdict.verdict == "VALID" and opened.link.views == 1
    (view,) = docseal.links.views(citizen(), created.link.id)
    assert (view.device, view.agency) == (PHONE, "Công an Hà Nội (CA-HANOI)")
    assert view.at == docseal.clock.now().replace(microsecond=0)
    docseal.links.open(token(created), "Máy tính · Firefox")
    assert views_of(docseal, created) == 2


def test_a_reload_within_the_hour_costs_no_view(docseal: Docseal) -> None:
    _, created = share(docseal)
    first = docseal.links.open(token(created), PHONE)
    docseal.later(minutes=59)
    again = docseal.links.open(token(created), PHONE, seen=first.seen)
    assert again.seen == first.seen and views_of(docseal, created) == 1
    docseal.later(minutes=1)
    assert docseal.links.open(token(created), PHONE, seen=first.seen).seen != first.seen
    assert views_of(docseal, created) == 2
    docseal.links.open(token(created), PHONE, seen="1793000000.forged")
    assert views_of(docseal, created) == 3


def test_a_link_with_max_views_is_used_up(docseal: Docseal) -> None:
    _, created = share(docseal, max_views=2)
    docseal.links.open(token(created), PHONE)
    last = docseal.links.open(token(created), PHONE)
    with refused(LinkUnavailable.code):
        docseal.links.open(token(created), PHONE)
    link = docseal.links.my_link(citizen(), created.link.id)
    assert link.views == 2 and link.state(docseal.clock.now()) == "used_up"
    # the browser that had the last view may still reload it within the hour
    assert docseal.links.open(token(created), PHONE, seen=last.seen).link.views == 2


def test_an_expired_link_opens_for_nobody(docseal: Docseal) -> None:
    _, created = share(docseal, expires_in="1h")
    opened = docseal.links.open(token(created), PHONE)
    now = docseal.later(hours=1)
    with refused(LinkUnavailable.code):
        docseal.links.open(token(created), PHONE)
    with refused(LinkUnavailable.code):
        docseal.links.open(token(created), PHONE, seen=opened.seen)
    with refused(LinkUnavailable.code):
        docseal.links.revisit(created.link.id)
    assert docseal.links.my_link(citizen(), created.link.id).state(now) == "expired"


def test_a_revoked_link_opens_for_nobody_and_the_revocation_is_audited(docseal: Docseal) -> None:
    issued, created = share(docseal)
    opened = docseal.links.open(token(created), PHONE)
    now = docseal.later(minutes=5)
    revoked = docseal.links.revoke(citizen(), created.link.id)

    assert (revoked.revoked_at, revoked.state(now)) == (now, "revoked")
    with refused(LinkUnavailable.code):
        docseal.links.open(token(created), PHONE, seen=opened.seen)
    with refused(LinkUnavailable.code):
        docseal.links.revisit(created.link.id)
    entry = docseal.trail()[-1]
    assert (entry.action, entry.target, entry.details) == (
        "link.revoke",
        created.link.id,
        {"document": issued.id},
    )


def test_unknown_and_malformed_tokens_get_the_same_answer(docseal: Docseal) -> None:
    share(docseal)
    for bad in ("A" * 32, "short", None, "A" * 31 + "!"):
        with refused(LinkUnavailable.code):
            docseal.links.open(bad, PHONE)


def test_a_link_shows_what_became_of_its_document(docseal: Docseal) -> None:
    issued, created = share(docseal)
    docseal.revocation.revoke_document(issued.id, "issued in error", actor=ADMIN)
    opened = docseal.links.open(token(created), PHONE)
    assert opened.verdict.reasons == (Reason.DOCUMENT_REVOKED,)


def test_a_page_ticket_for_another_link_is_refused_before_counting(docseal: Docseal) -> None:
    _, created = share(docseal)
    _, other = share(docseal)
    with refused("TICKET_INVALID"):
        docseal.links.open(token(created), PHONE, ticket_link=other.link.id)
    assert views_of(docseal, created) == 0


def test_revisiting_from_a_ticket_verifies_again_without_counting(docseal: Docseal) -> None:
    _, created = share(docseal)
    docseal.links.open(token(created), PHONE)
    again = docseal.links.revisit(created.link.id, HOLDER_ID)
    assert again.verdict.holder_match is True and again.seen == ""
    assert views_of(docseal, created) == 1


# Holder checks -------------------------------------------------------------------


def test_holder_checks_are_logged_and_limited_for_the_links_whole_life(docseal: Docseal) -> None:
    _, created = share(docseal)
    first = docseal.links.open(token(created), PHONE, holder_id=HOLDER_ID)
    assert first.verdict.holder_match is True
    guesses = [f"001325{n:02d}2345" for n in range(50, 49 + MAX_HOLDER_CHECKS)]
    for guess in guesses:  # free reloads, but every check counts
        opened = docseal.links.open(token(created), PHONE, seen=first.seen, holder_id=guess)
        assert opened.verdict.reasons == (Reason.HOLDER_MISMATCH,)
    with refused("HOLDER_CHECKS_USED_UP"):
        docseal.links.open(token(created), PHONE, seen=first.seen, holder_id=HOLDER_ID)
    docseal.later(days=1)  # another day, another viewer: the budget is the link's
    with refused("HOLDER_CHECKS_USED_UP"):
        docseal.links.open(token(created), "Máy tính · Edge", holder_id=HOLDER_ID)

    log = docseal.links.views(citizen(), created.link.id)
    assert sum("holder check" in v.device for v in log) == MAX_HOLDER_CHECKS
    # a view without a check still opens
    assert docseal.links.open(token(created), PHONE).verdict.holder_match is None


def test_a_check_already_counted_by_the_pages_ticket_is_not_counted_again(
    docseal: Docseal,
) -> None:
    _, created = share(docseal)
    first = docseal.links.open(token(created), PHONE, holder_id=HOLDER_ID)
    for _ in range(MAX_HOLDER_CHECKS + 1):
        again = docseal.links.open(
            token(created), PHONE, seen=first.seen, holder_id=HOLDER_ID, rechecked=True
        )
        assert again.verdict.holder_match is True
    log = docseal.links.views(citizen(), created.link.id)
    assert sum("holder check" in v.device for v in log) == 1


def test_revoking_a_revoked_link_changes_nothing_and_records_nothing(docseal: Docseal) -> None:
    _, created = share(docseal)
    first = docseal.links.revoke(citizen(), created.link.id)
    docseal.later(minutes=5)
    again = docseal.links.revoke(citizen(), created.link.id)
    assert again == first and first.revoked_at is not None
    assert docseal.actions().count("link.revoke") == 1
