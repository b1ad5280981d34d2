"""A citizen shares a result by link, in a real browser: sign in through the
local OpenID Connect provider, create a link, open it in another browser,
see the view in the log, revoke it and see the link die."""

from __future__ import annotations

from typing import Any

from tests.e2e.browser import DESK, PHONE, Demo, provider_account, sign_in

HOLDER = "001325012345"  # the demo birth registration's holder


def test_share_open_log_and_revoke(chromium: Any, demo: Demo) -> None:
    citizen = chromium.new_context(**PHONE)
    officer = chromium.new_context(**DESK)
    try:
        me = citizen.new_page()
        sign_in(me, demo, HOLDER)
        me.wait_for_selector("article.doc")
        assert "Trích lục khai sinh" in me.inner_text("article.doc")
        form = me.locator("form.link-form").first
        form.locator("select[name=expires_in]").select_option("3d")
        form.locator("input[name=recipient]").fill("Trường Tiểu học Dịch Vọng")
        form.locator("input[name=max_views]").fill("3")
        form.locator("input[name='field:registration_no']").uncheck()
        form.locator("button[type=submit]").click()
        me.wait_for_selector("#created")
        url = me.inner_text("#link-url").strip()
        assert url.startswith(demo.base + "/s/")
        assert me.get_attribute("#link-qr", "src").startswith("data:image/png;base64,")

        desk = officer.new_page()
        provider_account(
            demo,
            "officer.ubndx",
            {"groups": ["docseal-officer"], "agency": "UBND-X", "agency_name": "UBND phường X"},
        )
        sign_in(desk, demo, "officer.ubndx")
        desk.wait_for_selector(".agency")
        desk.goto(url)
        desk.wait_for_selector("#verdict")
        assert "valid" in desk.get_attribute("#verdict", "class").split()
        shown = desk.inner_text("main")
        assert "Bệnh viện Phụ sản Hà Nội" in shown and "125/2025" not in shown
        assert "Trường Tiểu học Dịch Vọng" in desk.inner_text("#shared-note")
        assert HOLDER not in desk.content()
        assert desk.query_selector("form.receipt")  # the receipt is offered

        me.goto(demo.base + "/me")
        row = me.locator("table.log tbody tr").first
        assert "UBND phường X (UBND-X)" in row.inner_text()
        assert "Máy tính" in row.inner_text()
        assert me.locator("article.link .views").first.inner_text() == "1"

        me.locator("form.revoke button").first.click()
        me.wait_for_selector("article.link.revoked")
        response = desk.goto(url)
        assert response.status == 404
        assert desk.inner_text("#unavailable")
    finally:
        citizen.close()
        officer.close()


def test_unknown_link_and_signed_out_me(chromium: Any, demo: Demo) -> None:
    context = chromium.new_context(**PHONE)
    try:
        page = context.new_page()
        response = page.goto(demo.base + "/s/" + "A" * 32)
        assert response.status == 404 and page.inner_text("#unavailable")
        response = page.goto(demo.base + "/me")
        assert response.status == 401 and page.query_selector("#signin-start")
    finally:
        context.close()
