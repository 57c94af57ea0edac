"""End-to-end tests in real Chromium (Debian's /usr/bin/chromium) against a live server.

Playwright drives the browser; axe-core (axe-playwright-python) checks every page for
WCAG 2.1 AA. Screenshots of each checked page land in artifacts/screenshots/ (git-ignored),
kept by CI as artefacts.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from audits.demo import DEMO_PASSWORD, load_demo

from ..conftest import ensure_rating_scales

# Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
# between browser steps are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
# WCAG 2.1 A and AA, plus axe's best practices (landmarks, heading order, ...).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    }
}
_axe = Axe()
SETTLE_DELAY_MS = 100


# Per module, not per session: while Playwright runs, its event loop makes Django hand this
# thread a different database connection, which would break later transactional tests.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); "
            "the end-to-end tests never download a browser."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            # A closed network: no background requests to Google's services.
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


@pytest.fixture
def reference_data(transactional_db) -> None:
    ensure_rating_scales()


@pytest.fixture
def demo(reference_data, today):
    return load_demo(today=today)


@pytest.fixture
def page(browser: Browser, live_server, request) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url,
        locale="sv-SE",
        timezone_id="Europe/Stockholm",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # Chromium reports what the Content-Security-Policy blocked as console errors: every
    # page a test visits must run under the strict policy without tripping it.
    csp_violations: list[str] = []

    def _csp_violation(message) -> None:
        if "Content Security Policy" in message.text:
            csp_violations.append(f"{page.url}: {message.text}")

    page.on("console", _csp_violation)
    # No request may leave the server: anything not to the live server fails the test.
    outside: list[str] = []

    def _only_our_server(route) -> None:
        url = route.request.url
        # chrome:// and chrome-extension:// are the browser's own PDF viewer, loaded
        # from inside Chromium when a PDF opens: no network is involved.
        if url.startswith((live_server.url, "data:", "chrome://", "chrome-extension://")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.route("**/*", _only_our_server)
    # htmx settles a swap 20 ms after it; a test that types on inside that window races
    # the page and fails once in a hundred runs. Stretched, the window makes such a test
    # fail every time, where it can be seen and fixed.
    page.add_init_script(
        "document.addEventListener('DOMContentLoaded', () => {"
        f" if (window.htmx) htmx.config.defaultSettleDelay = {SETTLE_DELAY_MS}; }});"
    )
    page.screenshot_dir = SCREENSHOTS / _slug(request.node.name)  # type: ignore[attr-defined]
    yield page
    # The page as the test left it: the first thing to look at when a test fails.
    page.screenshot_dir.mkdir(parents=True, exist_ok=True)  # type: ignore[attr-defined]
    page.screenshot(path=str(page.screenshot_dir / "last.png"), full_page=True)  # type: ignore[attr-defined]
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
    assert not csp_violations, f"Content-Security-Policy violations: {csp_violations}"
    assert not outside, f"Requests left the server: {outside}"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:80]


def check_page(page: Page, name: str) -> None:
    """Axe finds no WCAG 2.1 AA violation on the page as it is now; keep a screenshot."""
    # New content fades in while htmx settles it: axe would measure a half-drawn page.
    settled(page)
    folder: Path = page.screenshot_dir  # type: ignore[attr-defined]
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{_slug(name)}.png"), full_page=True)
    results = _axe.run(page, options=AXE_OPTIONS)
    violations = results.response["violations"]
    details = [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:5])
        for v in violations
    ]
    assert not violations, f"axe on {name} ({page.url}):\n" + "\n".join(details)


# htmx marks the element whose request is in flight, and the target while it is swapped
# and settled; the server's focus instruction runs when the settling mark comes off.
BUSY = ".htmx-request, .htmx-swapping, .htmx-settling"


def settled(page: Page) -> None:
    """Wait until no htmx request, swap or settle is under way. A keyboard user who tabs
    on while the page still moves focus (after an inline save) would have it taken back:
    people don't press keys that fast, a test does."""
    page.wait_for_function("(busy) => !document.querySelector(busy)", arg=BUSY)


def tab_to(page: Page, target: Locator, *, limit: int = 250, back: bool = False) -> None:
    """Press Tab (or Shift+Tab) until `target` has the focus: proves it is reachable by
    keyboard, in the page's own tab order."""
    handle = target.element_handle()
    assert handle is not None, f"{target} is not on the page"
    key = "Shift+Tab" if back else "Tab"
    settled(page)
    for _ in range(limit):
        if page.evaluate("(el) => document.activeElement === el", handle):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{target} was not reached with {limit} presses of {key}")


def log_in(page: Page, username: str) -> None:
    """Log in by keyboard alone."""
    page.goto("/login/")
    tab_to(page, page.locator("#id_username"))
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/")
    expect(page.locator("form[action='/logout/']")).to_be_visible()
