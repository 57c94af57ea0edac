"""Every page, open inline form and error state passes axe (WCAG 2.1 AA), for every role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from audits.exports.models import Export
from audits.models import Audit, AuditQuestion, Observation
from recommendations.models import Measure, Recommendation, Response
from regions.models import User

from .conftest import DEMO_PASSWORD, check_page, log_in, tab_to

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _collect(page: Page, steps: list[tuple[str, Callable[[], None]]]) -> None:
    """Run each step and axe after it; report every failing page at once."""
    failures = []
    for name, step in steps:
        try:
            step()
            check_page(page, name)
        except AssertionError as exc:
            failures.append(f"{name}: {exc}")
    assert not failures, "\n\n".join(failures)


def _visit(page: Page, path: str) -> Callable[[], None]:
    def step() -> None:
        response = page.goto(path)
        assert response is not None and response.status < 500, f"{path}: {response.status}"

    return step


def _open_inline(page: Page, path: str, trigger: str, form: str) -> Callable[[], None]:
    """Open the audit page and one of its inline forms, as a user would."""

    def step() -> None:
        page.goto(path)
        page.locator(trigger).first.click()
        expect(page.locator(form).first).to_be_visible()

    return step


def _submit_empty(
    page: Page, path: str, form: str = "main form[method=post]"
) -> Callable[[], None]:
    def step() -> None:
        page.goto(path)
        page.locator(form).last.locator("button[type=submit]").first.click()
        expect(page.locator(".errorlist").first).to_be_visible()

    return step


def _press(page: Page, path: str, button: str) -> Callable[[], None]:
    """Press a button that posts and comes back with a message."""

    def step() -> None:
        page.goto(path)
        page.locator(button).click()
        expect(page.locator(".messages")).to_be_visible()

    return step


# A short report to import, in the shape the firms write theirs.
REPORT = """\
Revisionsrapport

Granskning av telefonrådgivningen

Region Norrbotten

2026-03-02

Karin Ek, revisionskonsult

Syftet med granskningen har varit att bedöma om regionstyrelsen styr telefonrådgivningen
på ett ändamålsenligt sätt.

Revisionsfråga 1: Finns det mål för hur snabbt samtal ska besvaras?

Revisionsfrågan bedöms som uppfylld.

Revisionsfråga 2: Följs tillgängligheten upp av styrelsen?

Revisionsfrågan bedöms som delvis uppfylld.

Rekommendationer

Utifrån granskningens iakttagelser lämnas följande rekommendationer till regionstyrelsen:

1. Inför en månatlig rapport om väntetiderna i telefonrådgivningen.
"""


def _import_report(page: Page) -> Callable[[], None]:
    """Upload a report: the review page, with the draft next to its passages."""

    def step() -> None:
        page.goto("/audits/import/")
        page.locator("#id_file").set_input_files(
            files=[{"name": "rapport.txt", "mimeType": "text/plain", "buffer": REPORT.encode()}]
        )
        page.locator("main form[method=post] button[type=submit]").first.click()
        expect(page.locator("#import-review")).to_be_visible()

    return step


def _import_response(page: Page, path: str, recommendations: list) -> Callable[[], None]:
    """Fill the response form from a response document: answers beside their passages."""
    document = "Yttrande över revisionens rapport\n\nNämnden lämnar följande svar.\n\n" + "".join(
        f"{r.number}. {r.text}\n\nSvar:\n\nNämnden tar fram en plan under 2027.\n\n"
        for r in recommendations
    )

    def step() -> None:
        page.goto(path)
        page.locator("#id_import-document").set_input_files(
            files=[{"name": "yttrande.txt", "mimeType": "text/plain", "buffer": document.encode()}]
        )
        page.locator("#id_import-document").locator("xpath=ancestor::form").locator(
            "button[type=submit]"
        ).click()
        expect(page.locator("main .import-passage").first).to_be_visible()

    return step


def _review_errors(page: Page) -> Callable[[], None]:
    """The review page again, with an error next to a field (on the last import)."""

    def step() -> None:
        page.goto("/audits/import/")
        page.locator("main table a").first.click()
        page.locator("#id_title").fill("")
        page.locator("#import-review button[type=submit]").first.click()
        expect(page.locator("#import-review .errorlist").first).to_be_visible()

    return step


def test_harness_reports_a_violation(page: Page):
    # The check itself must be able to fail: an unlabelled field is a violation.
    page.set_content(
        "<html lang='sv'><head><title>x</title></head><body><main><h1>x</h1>"
        "<input type='text'></main></body></html>"
    )
    with pytest.raises(AssertionError, match="label"):
        check_page(page, "harness-violation")


def test_every_auditor_page(page: Page, demo):
    issued = Audit.objects.get(region__code="norrbotten", year=2021)
    draft = Audit.objects.get(region__code="norrbotten", status=Audit.Status.ONGOING)
    question = draft.questions.get()
    observation = Observation.objects.create(
        question=question, position=1, heading="Rapportering", text="Rapporterna saknas."
    )
    recommendation = Recommendation.objects.create(
        audit=draft, body=issued.audited_bodies.get(), number=1, text="Inför rapportering."
    )
    fact_check = Audit.objects.create(
        region=draft.region,
        title="Granskning av intern kontroll",
        year=2026,
        status=Audit.Status.FACT_CHECK,
        rating_scale=draft.rating_scale,
    )
    issued_rec = issued.recommendations.order_by("number").first()
    rendering = Export.objects.create(
        user=User.objects.get(username="revisor.norrbotten"),
        kind="followup",
        language="sv",
        status=Export.Status.RUNNING,
        progress=40,
        stage="layout",
    )
    d = f"/audits/{draft.pk}/"
    comparison = f"/question-sets/{issued.question_set_id}/comparison/"
    log_in(page, "revisor.norrbotten")
    _collect(
        page,
        [
            ("start", _visit(page, "/")),
            ("audit-list", _visit(page, "/audits/?q=1177&o=-deadline")),
            ("audit-list-bad-filter", _visit(page, "/audits/?year=abc&region=x")),
            ("recommendation-list", _visit(page, "/recommendations/?overdue=true")),
            ("measure-list", _visit(page, "/measures/?status=in_progress")),
            ("followup-list", _visit(page, "/follow-ups/?assessment=partly")),
            ("followup-list-empty", _visit(page, "/follow-ups/?q=Kronoberg&year=abc")),
            ("issued-audit", _visit(page, f"/audits/{issued.pk}/")),
            ("draft-audit", _visit(page, d)),
            ("audit-history", _visit(page, f"/audits/{issued.pk}/history/")),
            ("draft-history", _visit(page, f"{d}history/")),
            (
                "inline-question-edit",
                _open_inline(page, d, f"a[href='/questions/{question.pk}/edit/']", "form"),
            ),
            (
                "inline-rating",
                _open_inline(page, d, f"a[href='/questions/{question.pk}/rating/']", "form"),
            ),
            (
                "inline-observation-add",
                _open_inline(
                    page, d, f"a[href='/questions/{question.pk}/observations/add/']", "form"
                ),
            ),
            (
                "inline-observation-edit",
                _open_inline(page, d, f"a[href='/observations/{observation.pk}/edit/']", "form"),
            ),
            ("inline-sub-question", _open_inline(page, d, "[id^=sub-slot] a", "[id^=add-sub]")),
            ("inline-overall", _open_inline(page, d, "#overall a", "#overall form")),
            (
                "inline-recommendation-add",
                _open_inline(page, d, "#recommendation-add-button", "#recommendation-new-form"),
            ),
            (
                "inline-recommendation-edit",
                _open_inline(
                    page,
                    d,
                    f"a[href='/recommendations/{recommendation.pk}/edit/']",
                    f"#recommendation-{recommendation.pk}-form",
                ),
            ),
            ("add-question-errors", _submit_empty(page, d, "#add-question")),
            ("question-edit-page", _visit(page, f"/questions/{question.pk}/edit/")),
            ("rating-page-errors", _submit_empty(page, f"/questions/{question.pk}/rating/")),
            ("question-delete", _visit(page, f"/questions/{question.pk}/delete/")),
            ("observation-delete", _visit(page, f"/observations/{observation.pk}/delete/")),
            (
                "recommendation-delete",
                _visit(page, f"/recommendations/{recommendation.pk}/delete/"),
            ),
            ("audit-edit", _visit(page, f"{d}edit/")),
            ("new-audit", _visit(page, "/audits/new/")),
            ("new-audit-errors", _submit_empty(page, "/audits/new/")),
            ("from-question-set", _visit(page, "/audits/new/coordinated/")),
            ("report-import", _visit(page, "/audits/import/")),
            ("report-import-errors", _submit_empty(page, "/audits/import/")),
            ("report-import-review", _import_report(page)),
            ("report-import-review-errors", _review_errors(page)),
            ("issue-form", _visit(page, f"/audits/{fact_check.pk}/issue/")),
            ("issue-form-errors", _submit_empty(page, f"/audits/{fact_check.pk}/issue/")),
            ("recommendation-page", _visit(page, f"/recommendations/{issued_rec.pk}/")),
            ("follow-up-page", _visit(page, f"/recommendations/{issued_rec.pk}/follow-up/")),
            ("not-found", _visit(page, "/audits/999999/")),
            ("followup-report", _visit(page, "/reports/follow-up/")),
            ("followup-report-errors", _visit(page, "/reports/follow-up/?region=x&year=abc")),
            ("export-rendering", _visit(page, f"/exports/{rendering.pk}/")),
            ("dashboard", _visit(page, "/dashboard/")),
            ("region-dashboard", _visit(page, "/regions/norrbotten/dashboard/")),
            (
                "region-dashboard-table",
                _open_inline(
                    page,
                    "/regions/norrbotten/dashboard/",
                    "details.chart-table summary",
                    "details.chart-table table",
                ),
            ),
            ("question-set-comparison", _visit(page, comparison)),
            ("account", _visit(page, "/account/")),
            ("indicators", _visit(page, "/indicators/")),
            ("indicator", _visit(page, f"/indicators/{issued.indicators.first().pk}/")),
            (
                "account-feed-on",
                _press(page, "/account/", "form[action='/account/calendar/'] button[value=new]"),
            ),
            (
                "account-feed-renewed",
                _press(page, "/account/", "form[action='/account/calendar/'] button[value=new]"),
            ),
        ],
    )


def test_every_secretary_page(page: Page, demo):
    awaiting = Audit.objects.get(region__code="vasterbotten", status=Audit.Status.ISSUED)
    body = awaiting.audited_bodies.get()
    answered = Response.objects.get(audit__region__code="vasterbotten", audit__year=2021)
    measure = Measure.objects.filter(response=answered).exclude(status="done").first()
    log_in(page, "sekreterare.vasterbotten")
    _collect(
        page,
        [
            ("start", _visit(page, "/")),
            ("inbox", _visit(page, "/inbox/")),
            ("response-form", _visit(page, f"/audits/{awaiting.pk}/responses/{body.pk}/")),
            (
                "response-form-errors",
                _submit_empty(page, f"/audits/{awaiting.pk}/responses/{body.pk}/"),
            ),
            (
                "response-imported",
                _import_response(
                    page,
                    f"/audits/{awaiting.pk}/responses/{body.pk}/",
                    list(awaiting.recommendations.filter(body=body).order_by("number")),
                ),
            ),
            ("response-page", _visit(page, f"/responses/{answered.pk}/")),
            (
                "response-history",
                _visit(page, f"/audits/{answered.audit_id}/history/?item=response-{answered.pk}"),
            ),
            ("measure-add", _submit_empty(page, f"/responses/{answered.pk}/measures/add/")),
            ("measure-edit", _visit(page, f"/measures/{measure.pk}/edit/")),
            ("measure-done", _visit(page, f"/measures/{measure.pk}/done/")),
            ("measure-revise-errors", _submit_empty(page, f"/measures/{measure.pk}/revise/")),
            ("audit-page", _visit(page, f"/audits/{awaiting.pk}/")),
            ("measure-list", _visit(page, "/measures/")),
            ("forbidden", _visit(page, f"/audits/{awaiting.pk}/edit/")),
            ("account", _visit(page, "/account/")),
            ("account-saved", _press(page, "/account/", "main form[action='/account/'] button")),
        ],
    )


def test_every_reader_page_and_english(page: Page, demo):
    audit = Audit.objects.get(region__code="norrbotten", year=2021)
    response = Response.objects.get(audit=audit)
    recommendation = audit.recommendations.order_by("number").first()
    log_in(page, "lasare.norrbotten")
    _collect(
        page,
        [
            ("start", _visit(page, "/")),
            ("audit-list", _visit(page, "/audits/")),
            ("audit-page", _visit(page, f"/audits/{audit.pk}/")),
            ("response-page", _visit(page, f"/responses/{response.pk}/")),
            ("recommendation-page", _visit(page, f"/recommendations/{recommendation.pk}/")),
            ("dashboard", _visit(page, "/dashboard/")),
            ("region-dashboard", _visit(page, "/regions/norrbotten/dashboard/")),
            (
                "question-set-comparison",
                _visit(page, f"/question-sets/{audit.question_set_id}/comparison/"),
            ),
            ("account", _visit(page, "/account/")),
        ],
    )
    page.goto(f"/audits/{audit.pk}/")
    page.locator("button[name=language][value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#summary-heading")).to_have_text("Assessments by audit question")
    check_page(page, "english-audit-page")


def test_login_and_no_role_pages(page: Page, demo):
    # The public pages first, without signing in (the demo's Norrbotten publishes).
    page.goto("/public/")
    check_page(page, "public-index")
    page.locator("main a[href='/public/norrbotten/']").click()
    expect(page.locator("h1")).to_contain_text("Region Norrbotten")
    check_page(page, "public-region")
    page.goto("/login/")
    check_page(page, "login")
    page.locator("#id_username").fill("revisor.norrbotten")
    page.locator("#id_password").fill("fel")
    page.locator("main button[type=submit]").click()
    expect(page.locator(".errors")).to_be_visible()
    check_page(page, "login-error")
    from regions.models import User

    User.objects.create_user("utan.roll", password="granskning-demo")
    log_in(page, "utan.roll")
    check_page(page, "start-without-role")
    page.goto("/account/two-step/")
    check_page(page, "two-step-setup")


def test_two_step_code_page_by_keyboard(page: Page, demo):
    user = User.objects.get(username="revisor.norrbotten")
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    page.goto("/login/")
    tab_to(page, page.locator("#id_username"))
    page.keyboard.type("revisor.norrbotten")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/login/code/**")
    check_page(page, "two-step-code")
    tab_to(page, page.locator("#id_code"))
    page.keyboard.type(f"{TOTP(device.bin_key).token():06d}")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login/" not in url)
    expect(page.locator("form[action='/logout/']")).to_be_visible()
    page.goto("/account/two-step/")
    check_page(page, "two-step-manage")


def test_conflict_screen(page: Page, demo):
    draft = Audit.objects.get(region__code="norrbotten", status=Audit.Status.ONGOING)
    question = AuditQuestion.objects.get(audit=draft)
    log_in(page, "revisor.norrbotten")
    page.goto(f"/questions/{question.pk}/edit/")
    page.locator("#id_text").fill("Min version av frågan?")
    # Someone else saves first.
    question.text = "Deras version av frågan?"
    question.save()
    page.locator("main form button[type=submit]").click()
    conflict = page.locator(".conflict")
    expect(conflict).to_contain_text("Deras version av frågan?")
    expect(conflict).to_contain_text("Min version av frågan?")
    expect(page.locator("#id_text")).to_have_value("Min version av frågan?")
    check_page(page, "conflict")
    question.refresh_from_db()
    assert question.text == "Deras version av frågan?"


def test_dashboard_tables_open_by_keyboard(page: Page, demo):
    """Each chart's table opens from the keyboard, in the page's tab order."""
    log_in(page, "lasare.norrbotten")
    page.goto("/regions/norrbotten/dashboard/")
    summaries = page.locator("details.chart-table summary")
    assert summaries.count() >= 3
    for index in range(summaries.count()):
        tab_to(page, summaries.nth(index))
        page.keyboard.press("Enter")
        expect(page.locator("details.chart-table table").nth(index)).to_be_visible()
    check_page(page, "region-dashboard-tables-open")
