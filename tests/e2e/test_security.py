"""The Content-Security-Policy in a real browser: enforced on our pages, and the admin
(select2 autocompletes, calendars, rating swatches) works under it without violations.

The `page` fixture fails any test whose pages report a CSP violation in the console.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from audits.models import Audit, RatingLevel

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_admin_pages_run_under_the_policy(page: Page, demo):
    audit = Audit.objects.filter(status=Audit.Status.ISSUED).order_by("pk").first()
    assert audit is not None
    log_in(page, "admin")
    for path in (
        "/admin/",
        "/admin/audits/ratinglevel/",
        "/admin/audits/auditquestion/",
        f"/admin/audits/audit/{audit.pk}/change/",
        "/admin/recommendations/recommendation/add/",
    ):
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, path
    # The audit's dates have the admin's calendar links: its JavaScript ran.
    page.goto(f"/admin/audits/audit/{audit.pk}/change/")
    expect(page.locator(".datetimeshortcuts").first).to_be_visible()
    # An autocomplete (select2) opens and searches.
    page.goto("/admin/recommendations/recommendation/add/")
    page.locator(".field-audit .select2-selection").click()
    page.keyboard.type(audit.title[:4])
    expect(page.locator(".select2-results__option").first).to_contain_text(audit.title[:4])
    # The rating swatches are drawn (an SVG, not a blocked style attribute).
    page.goto("/admin/audits/ratinglevel/")
    level = RatingLevel.objects.order_by("pk").first()
    assert level is not None
    expect(page.locator(f"svg rect[fill='{level.colour}']").first).to_be_attached()


def test_inline_script_and_style_are_blocked(browser: Browser, live_server, reference_data):
    """The control for the console check above: an injected inline script does not run,
    an inline style does not apply, and Chromium says so in the console."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    reports: list[str] = []
    page.on("console", lambda message: reports.append(message.text))
    page.goto("/login/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.head.append(script);
            document.body.setAttribute("style", "background: rgb(255, 0, 0)");
        }"""
    )
    assert page.evaluate("() => window.injected") is None
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(255, 0, 0)"
    context.close()
    assert sum("Content Security Policy" in text for text in reports) >= 2, reports
