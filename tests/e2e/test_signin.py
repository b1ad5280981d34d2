"""Signing in through the local OpenID Connect provider in Chromium: the
done-criterion walk-through (a citizen shares, an officer in another browser
opens the link from another site's page and is logged under their agency,
both sign out) and the attacks a browser can mount."""

from __future__ import annotations

from typing import Any

from tests.e2e.browser import DESK, PHONE, Demo, sign_in, sign_out

CITIZEN = "001325012345"
ELSEWHERE = "http://elsewhere.example/"  # another origin, served by the test itself


def page_elsewhere(context: Any, html: str) -> Any:
    """A page on another origin (Playwright answers for it; no network)."""
    context.route(ELSEWHERE, lambda route: route.fulfill(body=html, content_type="text/html"))
    page = context.new_page()
    page.goto(ELSEWHERE)
    return page


def test_citizen_shares_officer_opens_from_another_site_both_sign_out(
    chromium: Any, demo: Demo
) -> None:
    citizen = chromium.new_context(**PHONE)
    officer = chromium.new_context(**DESK)
    try:
        me = citizen.new_page()
        sign_in(me, demo, CITIZEN)
        me.wait_for_selector("article.doc")
        assert me.url.startswith(demo.base + "/me")
        session = next(c for c in citizen.cookies() if c["name"] == "docseal_session")
        assert session["httpOnly"] and session["sameSite"] == "Lax"
        form = me.locator("form.link-form").first
        form.locator("button[type=submit]").click()
        me.wait_for_selector("#created")
        url = me.inner_text("#link-url").strip()

        desk = officer.new_page()
        sign_in(desk, demo, "officer.thdv")
        assert "Trường Tiểu học Dịch Vọng (TH-DV)" in desk.inner_text(".agency")
        mail = page_elsewhere(officer, f'<a id="go" href="{url}">the link</a>')
        mail.click("#go")  # a top-level navigation from another site carries the session
        mail.wait_for_selector("#verdict")
        assert "valid" in mail.get_attribute("#verdict", "class").split()

        me.goto(demo.base + "/me")
        assert "TH-DV" in me.locator("table.log tbody tr").first.inner_text()

        for page in (mail, me):
            sign_out(page, demo)
        assert me.goto(demo.base + "/me").status == 401
    finally:
        citizen.close()
        officer.close()


def test_a_cross_site_post_creates_nothing(chromium: Any, demo: Demo) -> None:
    context = chromium.new_context(**PHONE)
    try:
        me = context.new_page()
        sign_in(me, demo, CITIZEN)
        doc_id = me.locator("input[name=doc_id]").first.get_attribute("value")
        before = me.locator("article.link").count()
        evil = page_elsewhere(
            context,
            f'<form id="f" method="post" action="{demo.base}/me/links">'
            f'<input name="doc_id" value="{doc_id}"><input name="expires_in" value="30d">'
            '</form><button id="go" onclick="document.getElementById(\'f\').submit()">go</button>',
        )
        with evil.expect_navigation():
            evil.click("#go")
        assert evil.url.startswith(demo.base) and evil.query_selector("#created") is None
        me.goto(demo.base + "/me")
        assert me.locator("article.link").count() == before
    finally:
        context.close()


def test_next_off_site_goes_home_and_a_tampered_session_is_none(chromium: Any, demo: Demo) -> None:
    context = chromium.new_context(**PHONE)
    try:
        page = context.new_page()
        sign_in(page, demo, "officer.thdv", next_path="https://evil.example/")
        assert page.url.startswith(demo.base + "/?") and page.query_selector(".agency")
        cookie = next(c for c in context.cookies() if c["name"] == "docseal_session")
        value = cookie["value"]
        cookie["value"] = value[:-5] + ("A" if value[-5] != "A" else "B") + value[-4:]
        context.add_cookies([cookie])
        page.goto(demo.base + "/")
        assert page.query_selector(".agency") is None and page.query_selector("#signin-link")
    finally:
        context.close()


def test_a_citizen_with_11_digits_gets_a_clear_page(page: Any, demo: Demo) -> None:
    sign_in(page, demo, "00132501234")
    assert "SIGNIN_REFUSED" in page.inner_text("#error")
    assert page.query_selector("#me-link") is None
    assert not [c for c in page.context.cookies() if c["name"] == "docseal_session"]
