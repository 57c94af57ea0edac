"""An auditor enters the Norrbotten 1177 report and issues it, by keyboard alone."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Locator, Page, expect

from audits.demo import DEMO_PASSWORD, content
from audits.models import Audit
from regions.models import Body, Membership, Region, User

from ..conftest import sv
from ..exports.pdf import ReadPdf, flat, in_order, read_pdf
from .conftest import check_page, log_in, settled, tab_to

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SPEC = content.NORRBOTTEN_AUDIT
# Rank on the Uppfylld / Delvis uppfylld / Ej uppfylld scale, best first.
RANK = {"Uppfylld": 1, "Delvis uppfylld": 2, "Ej uppfylld": 3}


@pytest.fixture
def norrbotten(reference_data) -> Region:
    """An empty tracker for Region Norrbotten: its bodies, an auditor and a secretary."""
    region = Region.objects.create(name="Region Norrbotten", code="norrbotten")
    board = Body.objects.create(region=region, name="Regionstyrelsen", short_name="RS")
    Body.objects.create(region=region, name="Regionfullmäktige", short_name="RF", kind="council")
    auditor = User.objects.create_user("revisor.norrbotten", password=DEMO_PASSWORD)
    auditor.first_name, auditor.last_name = "Anna", "Lind"
    auditor.save()
    Membership.objects.create(
        user=auditor, region=region, role=Membership.Role.AUDITOR, is_chair=True
    )
    secretary = User.objects.create_user("sekreterare.norrbotten", password=DEMO_PASSWORD)
    membership = Membership.objects.create(
        user=secretary, region=region, role=Membership.Role.SECRETARY
    )
    membership.bodies.add(board)
    return region


def _save(page: Page) -> None:
    page.keyboard.press("Control+Enter")
    # Until htmx has settled the swap, the new form is not wired up yet: typing on and
    # saving again would post it as a plain page.
    settled(page)


def _opened(form: Locator) -> None:
    """Wait until the inline form is in place and has taken the focus."""
    expect(form).to_be_visible()
    expect(form.locator(":focus")).to_have_count(1)


# A glob like **/audits/*/ also matches /audits/new/, the page the form is posted from,
# and would return before the redirect has happened.
AUDIT_PAGE = re.compile(r"//[^/]+/audits/\d+/(#[\w-]+)?$")


def _open_pdf(page: Page, link: str) -> ReadPdf:
    """Follow a PDF link by keyboard; the browser's viewer opens it and we read back the
    file it received. Then back to the page the link was on."""
    tab_to(page, page.locator(link))
    with page.expect_response(lambda response: "/pdf/" in response.url) as opened:
        page.keyboard.press("Enter")
    response = opened.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    # The viewer stands in for the document in the page; the file itself is fetched
    # again with the same session to be read.
    pdf = read_pdf(page.context.request.get(response.url).body())
    page.go_back()
    expect(page.locator(link)).to_be_visible()
    return pdf


def _new_audit(page: Page) -> None:
    tab_to(page, page.locator("main a[href='/audits/new/']"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/audits/new/")
    check_page(page, "02-new-audit")

    # Saving the empty form shows Swedish errors next to the fields, nothing is lost.
    tab_to(page, page.locator("main form button[type=submit]"))
    page.keyboard.press("Enter")
    expect(page.locator("#id_title_error")).to_contain_text(sv("This field is required."))
    expect(page.locator("#id_title")).to_have_attribute("aria-invalid", "true")
    check_page(page, "03-new-audit-errors")

    tab_to(page, page.locator("#id_title"))
    page.keyboard.type("Granskning av 1177")
    page.keyboard.press("Tab")
    page.keyboard.type(SPEC["reference_number"])
    tab_to(page, page.locator("#id_year"))
    page.keyboard.press("Control+A")
    page.keyboard.type("2021")
    tab_to(page, page.locator("#id_rating_scale"))
    page.keyboard.type("Uppfylld")
    tab_to(page, page.locator("#id_audit_firm"))
    page.keyboard.type("PwC")
    tab_to(page, page.get_by_label("Regionstyrelsen", exact=True))
    page.keyboard.press("Space")
    tab_to(page, page.locator("#id_purpose"))
    page.keyboard.type(content.PURPOSE)
    tab_to(page, page.locator("#id_criteria_text"))
    for criterion in SPEC["criteria"]:
        page.keyboard.type(criterion)
        page.keyboard.press("Enter")
    for row, (name, title, _role) in enumerate(SPEC["team"][:2]):
        tab_to(page, page.locator(f"#id_team-{row}-name"))
        page.keyboard.type(name)
        page.keyboard.press("Tab")
        page.keyboard.type(title)
    tab_to(page, page.locator("main form button[type=submit]"))
    page.keyboard.press("Enter")
    page.wait_for_url(AUDIT_PAGE)


def _add_questions(page: Page) -> None:
    field = page.locator("#id_new-text")
    tab_to(page, field)
    for number, text in enumerate(content.QUESTIONS, start=1):
        page.keyboard.type(text)
        _save(page)
        expect(page.locator("ol.questions > li")).to_have_count(number)
        # Quick entry: the cursor is back in the empty field for the next question.
        expect(field).to_be_focused()
        expect(field).to_have_value("")
    check_page(page, "05-questions-entered")


def _rate_questions(page: Page) -> None:
    ratings = content.RATINGS["norrbotten"]
    for index, (label, comment) in enumerate(ratings):
        block = page.locator("ol.questions > li").nth(index)
        tab_to(page, block.locator(".assessment a").first)
        page.keyboard.press("Enter")
        form = block.locator("form")
        _opened(form)
        if index == 0:
            check_page(page, "06-rating-form-open")
        # The first level has the focus; Space picks it, arrows move down the scale.
        page.keyboard.press("Space")
        for _ in range(RANK[label] - 1):
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Tab")
        page.keyboard.type(comment)
        _save(page)
        expect(block.locator(".assessment")).to_contain_text(label)
        expect(block).to_be_focused()


def _add_observation(page: Page) -> None:
    heading, text = SPEC["observations"][1][0]
    block = page.locator("ol.questions > li").first
    tab_to(page, block.locator("[id^=observation-slot] a"))
    page.keyboard.press("Enter")
    _opened(block.locator("form"))
    page.keyboard.type(heading)
    page.keyboard.press("Tab")
    page.keyboard.type(text)
    _save(page)
    expect(block.locator(".observation")).to_contain_text(heading)
    expect(block).to_be_focused()


def _write_overall_assessment(page: Page) -> None:
    tab_to(page, page.locator("#overall a"))
    page.keyboard.press("Enter")
    _opened(page.locator("#overall form"))
    page.keyboard.type(SPEC["overall_assessment"])
    _save(page)
    expect(page.locator("#overall")).to_contain_text(SPEC["overall_assessment"][:40])
    expect(page.locator("#overall")).to_be_focused()


def _add_recommendations(page: Page) -> None:
    for number, text, question_numbers in SPEC["recommendations"]:
        tab_to(page, page.locator("#recommendation-add-button"))
        page.keyboard.press("Enter")
        form = page.locator("#recommendation-new-form")
        _opened(form)
        if number == 1:
            check_page(page, "07-recommendation-form-open")
        # Number and body are filled in; the text comes next.
        tab_to(page, form.locator("textarea"))
        page.keyboard.type(text)
        for question_number in question_numbers:
            tab_to(page, form.locator("input[type=checkbox]").nth(question_number - 1))
            page.keyboard.press("Space")
        _save(page)
        expect(page.locator("ol.recommendation-list > li")).to_have_count(number)
        expect(page.locator("#recommendation-add-button")).to_be_focused()
    check_page(page, "08-recommendations-entered")


def _move(page: Page, status: str) -> None:
    tab_to(page, page.locator(f"button[name=status][value={status}]"))
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_be_visible()


def _issue(page: Page, deadline: datetime.date) -> None:
    tab_to(page, page.locator("main a[href$='/issue/']"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/issue/")
    check_page(page, "09-issue-form")
    # A deadline before the issue date is refused next to the field.
    tab_to(page, page.locator("#id_response_deadline"))
    page.keyboard.type("2020-01-01")
    page.keyboard.press("Enter")
    expect(page.locator("#id_response_deadline_error")).to_be_visible()
    check_page(page, "10-issue-form-errors")
    tab_to(page, page.locator("#id_response_deadline"))
    page.keyboard.press("Control+A")
    page.keyboard.type(deadline.isoformat())
    page.keyboard.press("Enter")
    page.wait_for_url(AUDIT_PAGE)


def test_auditor_enters_the_norrbotten_audit_and_issues_it(page: Page, norrbotten, today):
    log_in(page, "revisor.norrbotten")
    check_page(page, "01-start")
    _new_audit(page)
    check_page(page, "04-new-audit-page")
    _add_questions(page)
    _rate_questions(page)
    _add_observation(page)
    _write_overall_assessment(page)
    _add_recommendations(page)
    summary = page.locator("#summary tbody tr")
    expect(summary).to_have_count(5)
    for row, (label, _comment) in zip(summary.all(), content.RATINGS["norrbotten"], strict=True):
        expect(row).to_contain_text(label)

    _move(page, "ongoing")
    _move(page, "fact_check")
    deadline = today + datetime.timedelta(days=90)
    _issue(page, deadline)
    check_page(page, "11-issued-audit")

    audit = Audit.objects.get(region=norrbotten, title="Granskning av 1177")
    assert audit.status == Audit.Status.ISSUED
    assert audit.reference_number == SPEC["reference_number"]
    assert (audit.issued_date, audit.response_deadline) == (today, deadline)
    assert [c.text for c in audit.criteria.all()] == SPEC["criteria"]
    questions = list(audit.questions.order_by("position"))
    assert [q.text for q in questions] == content.QUESTIONS
    assert [q.assessment.level.label for q in questions] == [
        label for label, _ in content.RATINGS["norrbotten"]
    ]
    recommendations = list(audit.recommendations.order_by("number"))
    assert [(r.number, r.text, r.body.name) for r in recommendations] == [
        (number, text, "Regionstyrelsen") for number, text, _ in SPEC["recommendations"]
    ]
    assert [sorted(q.position for q in r.questions.all()) for r in recommendations] == [
        questions_ for _, _, questions_ in SPEC["recommendations"]
    ]
    assert list(audit.audited_bodies.values_list("name", flat=True)) == ["Regionstyrelsen"]

    # The issued report and its cover letter, downloaded by keyboard and read back.
    report = _open_pdf(page, f"a[href='/audits/{audit.pk}/pdf/report/']")
    assert report.pdfa == ("3", "A")
    table = report.pages[-1]
    rows = [
        words
        for number, (question, (label, _)) in enumerate(
            zip(content.QUESTIONS, content.RATINGS["norrbotten"], strict=True), start=1
        )
        for words in (f"{number}. {flat(question)}", label)
    ]
    assert in_order(table, rows), table
    for number, text, _ in SPEC["recommendations"]:
        assert f"Rekommendation {number}. {flat(text)}" in report.text
    board = audit.audited_bodies.get()
    letter = _open_pdf(page, f"a[href='/audits/{audit.pk}/pdf/cover-letter/?body={board.pk}']")
    assert f"senast {deadline.isoformat()}" in letter.text
    assert "För revisorerna i Region Norrbotten Anna Lind Ordförande" in letter.text

    # The secretary of the board now sees the four recommendations in the inbox.
    page.context.clear_cookies()
    log_in(page, "sekreterare.norrbotten")
    page.goto("/inbox/")
    expect(page.locator("main tbody tr")).to_have_count(4)
    check_page(page, "12-secretary-inbox")
