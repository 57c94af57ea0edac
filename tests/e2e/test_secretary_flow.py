"""A board secretary answers an issued audit, promises measures and keeps them up to date;
then the auditor follows up. By keyboard alone."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
import weasyprint
from django.utils.translation import ngettext
from playwright.sync_api import Locator, Page, expect

from audits.demo import content
from audits.models import Audit
from recommendations.models import FollowUp, Measure, Recommendation, Response

from ..conftest import sv
from .conftest import check_page, log_in, tab_to

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FOLLOW_UP = content.VASTERBOTTEN_FOLLOW_UP
RESPONSE_PAGE = re.compile(r"//[^/]+/responses/\d+/(#[\w-]+)?$")
SAVE_RESPONSE = "main form[data-warn-unsaved] button[type=submit]"


def _awaiting_audit() -> Audit:
    return Audit.objects.get(region__code="vasterbotten", title=FOLLOW_UP["title"])


def _signed_pdf(folder: Path) -> Path:
    path = folder / "protokollsutdrag-hsn-2026.pdf"
    weasyprint.HTML(
        string="<h1>Protokollsutdrag</h1><p>Hälso- och sjukvårdsnämnden, yttrande.</p>"
    ).write_pdf(path)
    return path


def _choose_radio(page: Page, first: Locator, steps: int) -> None:
    """Pick a radio button the keyboard way: focus the group, Space, arrows."""
    tab_to(page, first)
    page.keyboard.press("Space")
    for _ in range(steps):
        page.keyboard.press("ArrowDown")


def _open_measure_form(page: Page) -> None:
    tab_to(page, page.locator("main a[href$='/measures/add/']").first)
    page.keyboard.press("Enter")
    page.wait_for_url("**/measures/add/")


def _fill_measure(page: Page, description: str, due: str, *, recommendation: int) -> None:
    tab_to(page, page.locator("#id_description"))
    page.keyboard.type(description)
    tab_to(page, page.locator("#id_recommendations input").nth(recommendation - 1))
    page.keyboard.press("Space")
    tab_to(page, page.locator("#id_responsible"))
    page.keyboard.type("Hälso- och sjukvårdsdirektör")
    tab_to(page, page.locator("#id_original_due_date"))
    page.keyboard.type(due)
    page.keyboard.press("Enter")
    page.wait_for_url(RESPONSE_PAGE)


def test_secretary_responds_with_measures_and_keeps_them_current(page: Page, demo, today, tmp_path):
    audit = _awaiting_audit()
    recommendations = list(audit.recommendations.order_by("number"))
    log_in(page, "sekreterare.vasterbotten")
    tab_to(page, page.locator("nav a[href='/inbox/']"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/inbox/")
    rows = page.locator("main table").first.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(FOLLOW_UP["recommendations"][0][1][:40])
    days_left = ngettext("%(days)d day left", "%(days)d days left", 20) % {"days": 20}
    assert days_left != "20 days left", "the Swedish plural is missing"
    expect(rows.first).to_contain_text(days_left)
    check_page(page, "01-inbox")

    tab_to(page, rows.first.locator("a[href*='/responses/']"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/audits/{audit.pk}/responses/*/")
    check_page(page, "02-response-form")

    # Saving without any answer is refused with a clear message; nothing is stored.
    # (The page's other form reads a response document: see tests/imports.)
    tab_to(page, page.locator(SAVE_RESPONSE))
    page.keyboard.press("Enter")
    expect(page.locator("#id_kind_error")).to_contain_text(
        sv("Answer at least one recommendation, or choose one narrative response.")
    )
    assert not Response.objects.filter(audit=audit).exists()
    check_page(page, "03-response-form-errors")

    tab_to(page, page.locator("#id_decision_date"))
    page.keyboard.type(today.isoformat())
    page.keyboard.press("Tab")
    page.keyboard.type("HSN 2026-11-20 §101")
    page.keyboard.press("Tab")
    page.keyboard.type("RVN 2026-00188")
    tab_to(page, page.locator("#id_document"))
    # The file input is reached by keyboard (tab_to asserts the focus). The file
    # dialog it opens belongs to the browser, not to us, and headless Chromium
    # does not open it reliably on a key press, so the file is handed to the
    # focused input directly.
    page.locator("#id_document:focus").set_input_files(_signed_pdf(tmp_path))
    first, second = recommendations
    _choose_radio(page, page.locator(f"#id_answer-{first.pk}-stance_0"), 0)
    page.keyboard.press("Tab")
    page.keyboard.type("Nämnden beslutar om mål för e-tjänsterna i verksamhetsplanen 2027.")
    _choose_radio(page, page.locator(f"#id_answer-{second.pk}-stance_0"), 1)
    page.keyboard.press("Tab")
    page.keyboard.type("Ett minsta utbud tas fram tillsammans med primärvården under 2027.")
    tab_to(page, page.locator(SAVE_RESPONSE))
    page.keyboard.press("Enter")
    page.wait_for_url(RESPONSE_PAGE)
    check_page(page, "04-response-page")

    response = Response.objects.get(audit=audit)
    assert response.document.name.endswith(".pdf")
    assert [(a.recommendation.number, a.stance) for a in response.answers.all()] == [
        (1, "accepted"),
        (2, "partly"),
    ]
    audit.refresh_from_db()
    assert audit.status == Audit.Status.ANSWERED  # the only body addressed has answered

    # The signed document downloads through the scoped view.
    with page.expect_download() as download:
        tab_to(page, page.locator("main a[href$='/document/']"))
        page.keyboard.press("Enter")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")

    # A measure with the form left empty shows the errors, then two real measures.
    _open_measure_form(page)
    tab_to(page, page.locator("main form button[type=submit]"))
    page.keyboard.press("Enter")
    expect(page.locator("#id_description_error")).to_be_visible()
    check_page(page, "05-measure-form-errors")
    _fill_measure(
        page,
        "Besluta om mål för e-tjänsterna i verksamhetsplanen.",
        (today + datetime.timedelta(days=60)).isoformat(),
        recommendation=1,
    )
    _open_measure_form(page)
    _fill_measure(
        page,
        "Ta fram ett minsta utbud av e-tjänster med primärvården.",
        (today + datetime.timedelta(days=120)).isoformat(),
        recommendation=2,
    )
    planned, longer = Measure.objects.filter(response=response).order_by("original_due_date")

    # Mark the first done.
    tab_to(page, page.locator(f"#measure-{planned.pk} a[href$='/done/']"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/done/")
    check_page(page, "06-measure-done-form")
    tab_to(page, page.locator("#id_completed_date"))
    page.keyboard.press("Enter")
    page.wait_for_url(RESPONSE_PAGE)

    # Revise the second: a reason is required, and the original date stays visible.
    tab_to(page, page.locator(f"#measure-{longer.pk} a[href$='/revise/']"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/revise/")
    new_due = today + datetime.timedelta(days=200)
    tab_to(page, page.locator("#id_revised_due_date"))
    page.keyboard.type(new_due.isoformat())
    page.keyboard.press("Enter")
    expect(page.locator("#id_revision_reason_error")).to_contain_text(
        sv("A revised due date needs a reason.")
    )
    check_page(page, "07-revise-form-errors")
    tab_to(page, page.locator("#id_revision_reason"))
    page.keyboard.type("Primärvårdens nya avtal börjar gälla först i juli.")
    tab_to(page, page.locator("main form button[type=submit]"))
    page.keyboard.press("Enter")
    page.wait_for_url(RESPONSE_PAGE)
    block = page.locator(f"#measure-{longer.pk}")
    expect(block).to_contain_text(longer.original_due_date.isoformat())
    expect(block).to_contain_text(new_due.isoformat())
    expect(block).to_contain_text("Primärvårdens nya avtal")
    check_page(page, "08-response-with-measures")

    planned.refresh_from_db()
    longer.refresh_from_db()
    assert (planned.status, planned.completed_date) == (Measure.Status.DONE, today)
    assert (longer.original_due_date, longer.due_date) == (
        today + datetime.timedelta(days=120),
        new_due,
    )

    # The inbox is empty now; the recommendations are answered.
    page.goto("/inbox/")
    expect(page.locator("main")).to_contain_text(sv("Nothing awaits a response."))
    check_page(page, "09-inbox-done")


def test_auditor_records_a_follow_up_and_sees_the_history(page: Page, demo, today):
    recommendation = Recommendation.objects.get(
        audit__region__code="vasterbotten", audit__year=2021, number=2
    )
    log_in(page, "revisor.vasterbotten")
    tab_to(page, page.locator("nav a[href='/recommendations/']"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/recommendations/")
    check_page(page, "01-recommendation-list")
    tab_to(page, page.locator(f"main a[href='/recommendations/{recommendation.pk}/']"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/recommendations/{recommendation.pk}/")
    check_page(page, "02-recommendation-page")

    # A follow-up dated in the future is refused next to the date.
    tomorrow = today + datetime.timedelta(days=1)
    tab_to(page, page.locator("#id_date"))
    page.keyboard.press("Control+A")
    page.keyboard.type(tomorrow.isoformat())
    _choose_radio(page, page.locator("#id_assessment_0"), 1)
    tab_to(page, page.locator("#id_comment"))
    page.keyboard.type(
        "Målen för telefon är beslutade; uppföljningen i nämnden saknas fortfarande."
    )
    page.keyboard.press("Control+Enter")
    expect(page.locator("#id_date_error")).to_be_visible()
    check_page(page, "03-follow-up-errors")
    assert not FollowUp.objects.filter(recommendation=recommendation).exists()

    tab_to(page, page.locator("#id_date"))
    page.keyboard.press("Control+A")
    page.keyboard.type(today.isoformat())
    page.keyboard.press("Control+Enter")
    page.wait_for_url(f"**/recommendations/{recommendation.pk}/**")
    history = page.locator("#history")
    expect(history).to_contain_text(today.isoformat())
    expect(history).to_contain_text("uppföljningen i nämnden saknas")
    check_page(page, "04-recommendation-history")

    follow_up = FollowUp.objects.get(recommendation=recommendation)
    assert follow_up.assessment == FollowUp.Assessment.PARTLY
    assert follow_up.recorded_by.username == "revisor.vasterbotten"
    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.PARTLY_IMPLEMENTED
