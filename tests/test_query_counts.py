"""Each main page runs a fixed number of queries, however many rows it shows.

A page is measured on the demo, then 20 more of what it lists are added and the page
must not need more than 2 further queries (an N+1 would add 20 or more). Every page's
count on the demo is pinned in tests/test_query_budget.py.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits.models import (
    Assessment,
    Audit,
    AuditQuestion,
    Observation,
    QuestionSet,
    RatingLevel,
    SharedQuestion,
)
from recommendations.models import (
    Answer,
    DecisionItem,
    FollowUp,
    Measure,
    Recommendation,
    Response,
)
from regions.models import Body, Indicator, Membership, Outcome, Region, Target, User
from tracker.history.context import history_context

from .exports.pdf import read_pdf
from .web import demo_for_a_module, grant, signed_in

MORE = 20
# PDFs get fewer: still more than the 2 queries allowed, so an N+1 shows, while a report
# with 20 more questions takes WeasyPrint some 12 s to lay out.
FEW = 5
TODAY = timezone.localdate()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_for_a_module(django_db_blocker, TODAY):
        yield


@pytest.fixture
def page_size(settings):
    # Every row on one page, so more rows really means more to render.
    settings.TRACKER = {**settings.TRACKER, "PAGE_SIZE": 200}


def _queries(browser, url: str) -> int:
    browser.get(url)  # warm: the first request of a session does one-off work
    with CaptureQueriesContext(connection) as queries:
        page = browser.get(url)
    assert page.status_code == 200
    return len(queries)


def _assert_flat(browser, url: str, before: int, assert_max, *shows: str) -> None:
    with assert_max(before + 2):
        page = browser.get(url)
    assert page.status_code == 200
    for added in shows:  # the added rows are really on the page
        assert added in page.content.decode(), added


def _as(username: str):
    return signed_in(User.objects.get(username=username))


def _audit(code: str) -> Audit:
    return Audit.objects.get(region__code=code, question_set__isnull=False)


def _level(label: str) -> RatingLevel:
    return RatingLevel.objects.get(scale__code="uppfylld", label=label)


def _more_questions(audit: Audit, more: int = MORE) -> list[AuditQuestion]:
    questions = []
    top = audit.questions.filter(parent=None).count()
    for i in range(1, more + 1):
        question = AuditQuestion.objects.create(audit=audit, position=top + i, text=f"Fråga {i}?")
        AuditQuestion.objects.create(audit=audit, parent=question, position=1, text=f"Del {i}?")
        for position in (1, 2):
            Observation.objects.create(question=question, position=position, text=f"Fakta {i}.")
        Assessment.objects.create(question=question, level=_level("Ej uppfylld"), comment="Nej.")
        questions.append(question)
    return questions


def _more_recommendations(
    audit: Audit, body: Body, questions=(), more: int = MORE
) -> list[Recommendation]:
    top = audit.recommendations.count()
    recommendations = []
    for i in range(1, more + 1):
        recommendation = Recommendation.objects.create(
            audit=audit, body=body, number=top + i, text=f"Rekommendation {i}."
        )
        recommendation.questions.set(questions[i - 1 : i + 1])
        recommendations.append(recommendation)
    return recommendations


def _more_measures(response: Response, recommendations, user: User | None = None) -> None:
    for i in range(1, MORE + 1):
        measure = Measure.objects.create(
            response=response,
            description=f"Åtgärd {i}.",
            responsible="Regiondirektör",
            responsible_user=user,
            original_due_date=TODAY + datetime.timedelta(days=i),
            revised_due_date=TODAY + datetime.timedelta(days=i + 30) if i % 2 else None,
            revision_reason="Skäl." if i % 2 else "",
        )
        measure.recommendations.set(recommendations[: 1 + i % 3])


def _more_sent(
    template: Audit,
    body: Body,
    *,
    year: int,
    issued: datetime.date,
    first_deadline: datetime.date,
    text: str,
) -> None:
    """MORE issued audits "Granskning 0..19" of the template's region, each sent to `body`
    with one recommendation, their deadlines a day apart from `first_deadline`."""
    for i in range(MORE):
        audit = Audit.objects.create(
            region=template.region,
            title=f"Granskning {i}",
            year=year,
            rating_scale=template.rating_scale,
            status=Audit.Status.ISSUED,
            issued_date=issued,
            response_deadline=first_deadline + datetime.timedelta(days=i),
        )
        audit.audited_bodies.add(body)
        Recommendation.objects.create(audit=audit, body=body, number=1, text=text)


# The pages -------------------------------------------------------------------------------


def test_audit_page(demo, db, django_assert_max_num_queries):
    audit = _audit("norrbotten")
    browser = _as("revisor.norrbotten")
    url = reverse("audit-detail", args=[audit.pk])
    before = _queries(browser, url)
    questions = _more_questions(audit)
    _more_recommendations(audit, audit.audited_bodies.get(), questions)
    audit.audited_bodies.add(*Body.objects.filter(region=audit.region))
    _assert_flat(
        browser,
        url,
        before,
        django_assert_max_num_queries,
        "Fråga 20?",
        "Del 20?",
        "Rekommendation 20.",
    )


def test_draft_audit_page_with_its_edit_controls(demo, db, django_assert_max_num_queries):
    audit = Audit.objects.get(region__code="norrbotten", status=Audit.Status.ONGOING)
    browser = _as("revisor.norrbotten")
    url = reverse("audit-detail", args=[audit.pk])
    before = _queries(browser, url)
    questions = _more_questions(audit)
    body = Body.objects.get(region=audit.region, name="Regionstyrelsen")
    _more_recommendations(audit, body, questions)
    _assert_flat(
        browser, url, before, django_assert_max_num_queries, "Fråga 20?", "Rekommendation 20."
    )


def test_recommendation_page(demo, db, django_assert_max_num_queries):
    audit = _audit("vasterbotten")
    recommendation = audit.recommendations.get(number=2)
    browser = _as("revisor.vasterbotten")
    url = reverse("recommendation-detail", args=[recommendation.pk])
    before = _queries(browser, url)
    response = Response.objects.get(audit=audit)
    _more_measures(
        response, [recommendation], User.objects.get(username="sekreterare.vasterbotten")
    )
    recorder = User.objects.get(username="revisor.vasterbotten")
    for i in range(MORE):
        FollowUp.objects.create(
            recommendation=recommendation,
            date=datetime.date(2022, 1, 1) + datetime.timedelta(days=i),
            assessment="partly",
            comment=f"Uppföljning {i}.",
            recorded_by=recorder,
        )
    recommendation.questions.add(*_more_questions(audit))
    _assert_flat(
        browser,
        url,
        before,
        django_assert_max_num_queries,
        "Åtgärd 20.",
        "Uppföljning 19.",
        "Fråga 20?",
    )


def test_response_page(demo, db, django_assert_max_num_queries):
    audit = _audit("vasterbotten")
    response = Response.objects.get(audit=audit)
    browser = _as("sekreterare.vasterbotten")
    url = reverse("response-detail", args=[response.pk])
    before = _queries(browser, url)
    recommendations = _more_recommendations(audit, response.body)
    for recommendation in recommendations:
        Answer.objects.create(
            response=response, recommendation=recommendation, stance="accepted", text="Ja."
        )
    _more_measures(response, recommendations, User.objects.get(username="sekreterare.vasterbotten"))
    for number in range(1, MORE + 1):
        DecisionItem.objects.create(response=response, number=number, text=f"Punkt {number}.")
    _assert_flat(
        browser,
        url,
        before,
        django_assert_max_num_queries,
        "Rekommendation 20.",
        "Åtgärd 20.",
        "Punkt 20.",
    )


def test_inbox(demo, db, django_assert_max_num_queries):
    browser = _as("sekreterare.vasterbotten")
    url = reverse("inbox")
    before = _queries(browser, url)
    follow_up = Audit.objects.get(region__code="vasterbotten", status=Audit.Status.ISSUED)
    committee = follow_up.audited_bodies.get()
    recommendations = _more_recommendations(follow_up, committee)
    _more_sent(
        follow_up,
        committee,
        year=TODAY.year,
        issued=TODAY - datetime.timedelta(days=30),
        first_deadline=TODAY,
        text="Gör något.",
    )
    _more_measures(Response.objects.get(audit=_audit("vasterbotten")), recommendations)
    _assert_flat(
        browser,
        url,
        before,
        django_assert_max_num_queries,
        "Granskning 19",
        "Rekommendation 20.",
        "Åtgärd 20.",
    )


@pytest.fixture
def everywhere(demo, db):
    """An auditor of all three regions, who sees every row of every list."""
    user = User.objects.create_user("granskare")
    for region in Region.objects.all():
        grant(user, region, Membership.Role.AUDITOR)
    return signed_in(user)


def test_audit_list(everywhere, page_size, django_assert_max_num_queries):
    url = reverse("audit-list")
    before = _queries(everywhere, url)
    template = _audit("vastmanland")
    for i in range(MORE):
        audit = Audit.objects.create(
            region=template.region,
            title=f"Granskning {i}",
            reference_number=f"REV {i}",
            year=2022,
            rating_scale=template.rating_scale,
        )
        Recommendation.objects.create(
            audit=audit, body=template.audited_bodies.get(), number=1, text="x"
        )
    _assert_flat(everywhere, url, before, django_assert_max_num_queries, "Granskning 19")


def test_recommendation_list(everywhere, page_size, django_assert_max_num_queries):
    url = reverse("recommendation-list")
    before = _queries(everywhere, url)
    audit = _audit("vastmanland")
    _more_recommendations(audit, audit.audited_bodies.get(), list(audit.questions.all()))
    _assert_flat(everywhere, url, before, django_assert_max_num_queries, "Rekommendation 20.")


def test_measure_list(everywhere, page_size, django_assert_max_num_queries):
    url = reverse("measure-list")
    before = _queries(everywhere, url)
    response = Response.objects.get(audit=_audit("vastmanland"))
    _more_measures(response, list(response.audit.recommendations.all()))
    _assert_flat(everywhere, url, before, django_assert_max_num_queries, "Åtgärd 20.")


def test_start_page_of_the_audit_side(demo, db, django_assert_max_num_queries):
    browser = _as("revisor.vasterbotten")
    url = reverse("home")
    before = _queries(browser, url)
    earlier = _audit("vasterbotten")
    committee = earlier.audited_bodies.get()
    # Unanswered since 2022: due for follow-up long ago.
    _more_sent(
        earlier,
        committee,
        year=2022,
        issued=datetime.date(2022, 1, 1),
        first_deadline=datetime.date(2022, 3, 1),
        text="Följ upp.",
    )
    for i in range(MORE):
        Audit.objects.create(
            region=earlier.region,
            title=f"Pågående {i}",
            year=TODAY.year,
            rating_scale=earlier.rating_scale,
            status=Audit.Status.ONGOING,
        )
    _assert_flat(
        browser,
        url,
        before,
        django_assert_max_num_queries,
        "Granskning 19",
        "Pågående 19",
        "Följ upp.",
    )


def test_start_page_of_a_secretary(demo, db, django_assert_max_num_queries):
    browser = _as("sekreterare.vasterbotten")
    url = reverse("home")
    before = _queries(browser, url)
    earlier = _audit("vasterbotten")
    committee = earlier.audited_bodies.get()
    _more_sent(
        earlier,
        committee,
        year=2022,
        issued=datetime.date(2022, 1, 1),
        first_deadline=TODAY,
        text="Svara.",
    )
    _assert_flat(browser, url, before, django_assert_max_num_queries, "Granskning 19")


def test_follow_up_list(everywhere, page_size, django_assert_max_num_queries):
    url = reverse("followup-list")
    before = _queries(everywhere, url)
    recommendations = list(Recommendation.objects.order_by("pk"))
    recorders = list(User.objects.filter(username__startswith="revisor."))
    for i in range(MORE):
        FollowUp.objects.create(
            recommendation=recommendations[i % len(recommendations)],
            date=TODAY - datetime.timedelta(days=i),
            assessment="partly",
            comment=f"Uppföljning {i}.",
            recorded_by=recorders[i % len(recorders)],
        )
    _assert_flat(everywhere, url, before, django_assert_max_num_queries, "Uppföljning 19.")


# Dashboards -------------------------------------------------------------------------------


def _more_issued_audits(region: Region, title: str) -> list[Audit]:
    """Issued audits, each started from a question set of its own, with a rated question,
    a late response, an overdue measure and a follow-up."""
    body = Body.objects.filter(region=region).first() or Body.objects.create(
        region=region, name="Regionstyrelsen", short_name="RS"
    )
    level = _level("Ej uppfylld")
    recorder = User.objects.filter(username__startswith="revisor.").first()
    audits = []
    for i in range(MORE):
        issued = TODAY - datetime.timedelta(days=90 + i)
        question_set = QuestionSet.objects.create(title=f"Frågeuppsättning {title} {i}", year=2026)
        audit = Audit.objects.create(
            region=region,
            title=f"{title} {i}",
            year=issued.year,
            status=Audit.Status.ISSUED,
            rating_scale=level.scale,
            question_set=question_set,
            issued_date=issued,
            response_deadline=issued + datetime.timedelta(days=60),
        )
        audit.audited_bodies.add(body)
        question = AuditQuestion.objects.create(audit=audit, position=1, text=f"Fråga {i}?")
        Assessment.objects.create(question=question, level=level)
        recommendation = Recommendation.objects.create(
            audit=audit, body=body, number=1, text=f"Rekommendation {i}."
        )
        FollowUp.objects.create(
            recommendation=recommendation, date=TODAY, assessment="partly", recorded_by=recorder
        )
        response = Response.objects.create(audit=audit, body=body, received_date=TODAY)
        measure = Measure.objects.create(
            response=response,
            description=f"Åtgärd {i}.",
            responsible="Regiondirektör",
            original_due_date=TODAY - datetime.timedelta(days=10 * i + 1),
        )
        measure.recommendations.add(recommendation)
        audits.append(audit)
    return audits


def test_region_dashboard(demo, db, django_assert_max_num_queries):
    browser = _as("revisor.norrbotten")
    url = reverse("region-dashboard", args=["norrbotten"])
    before = _queries(browser, url)
    _more_issued_audits(Region.objects.get(code="norrbotten"), "Mätgranskning")
    _assert_flat(
        browser,
        url,
        before,
        django_assert_max_num_queries,
        "Mätgranskning 19</a>",  # the timeliness table
        "Frågeuppsättning Mätgranskning 19",  # the comparisons to open
    )


def test_overview_dashboard(demo, db, django_assert_max_num_queries):
    user = User.objects.create_user("kontoret")
    for region in Region.objects.all():
        grant(user, region, Membership.Role.AUDIT_OFFICE)
    browser = signed_in(user)
    url = reverse("dashboard")
    before = _queries(browser, url)
    for i in range(MORE):
        region = Region.objects.create(name=f"Region Mät {i}", code=f"mat-{i}")
        grant(user, region, Membership.Role.AUDIT_OFFICE)
        body = Body.objects.create(region=region, name="Regionstyrelsen", short_name="RS")
        audit = Audit.objects.create(
            region=region,
            title=f"Granskning {i}",
            year=2025,
            status=Audit.Status.ISSUED,
            rating_scale=_level("Uppfylld").scale,
            question_set=QuestionSet.objects.create(title=f"Frågeuppsättning {i}", year=2025),
            issued_date=TODAY - datetime.timedelta(days=400),
            response_deadline=TODAY - datetime.timedelta(days=340),
        )
        audit.audited_bodies.add(body)
        Recommendation.objects.create(audit=audit, body=body, number=1, text="Gör något.")
    _assert_flat(
        browser,
        url,
        before,
        django_assert_max_num_queries,
        "Region Mät 19",
        "Frågeuppsättning 19",
    )


def test_comparison_of_a_coordinated_audit(demo, db, django_assert_max_num_queries):
    question_set = QuestionSet.objects.get(audits__region__code="norrbotten")
    browser = _as("revisor.norrbotten")
    url = reverse("question-set-comparison", args=[question_set.pk])
    before = _queries(browser, url)
    audits = list(question_set.audits.all())
    top = question_set.questions.filter(parent=None).count()
    for i in range(1, MORE + 1):
        shared = SharedQuestion.objects.create(
            question_set=question_set, position=top + i, text=f"Delad fråga {i}?"
        )
        part = SharedQuestion.objects.create(
            question_set=question_set, parent=shared, position=1, text=f"Delad del {i}?"
        )
        for audit in audits:
            position = audit.questions.filter(parent=None).count() + 1
            question = AuditQuestion.objects.create(
                audit=audit, position=position, text=shared.text, shared_question=shared
            )
            sub_question = AuditQuestion.objects.create(
                audit=audit, parent=question, position=1, text=part.text, shared_question=part
            )
            Assessment.objects.create(question=question, level=_level("Ej uppfylld"))
            Assessment.objects.create(question=sub_question, level=_level("Uppfylld"))
    _assert_flat(
        browser, url, before, django_assert_max_num_queries, "Delad fråga 20?", "Delad del 20?"
    )


def test_start_of_a_coordinated_audit(demo, db, django_assert_max_num_queries):
    browser = _as("revisor.norrbotten")
    url = reverse("audit-create-from-set")
    before = _queries(browser, url)
    for i in range(MORE):
        question_set = QuestionSet.objects.create(title=f"Frågeuppsättning {i}", year=2026)
        SharedQuestion.objects.create(question_set=question_set, position=1, text="Fråga?")
    _assert_flat(browser, url, before, django_assert_max_num_queries, "Frågeuppsättning 19")


# The audit's history ----------------------------------------------------------------------


def test_audit_history(demo, db, django_assert_max_num_queries):
    audit = _audit("norrbotten")
    browser = _as("revisor.norrbotten")
    url = reverse("audit-history", args=[audit.pk])
    before = _queries(browser, url)
    users = [User.objects.get(username=f"revisor.{code}") for code in ("norrbotten", "vastmanland")]
    body = audit.audited_bodies.get()
    top = audit.recommendations.count()
    # Four events of different kinds for each: fewer than the page's 100 in all.
    for i in range(1, MORE + 1):
        with history_context(user=users[i % 2].pk):
            question = AuditQuestion.objects.create(
                audit=audit, position=100 + i, text=f"Fråga {i}?"
            )
            recommendation = Recommendation.objects.create(
                audit=audit, body=body, number=top + i, text=f"Rekommendation {i}."
            )
            recommendation.questions.add(question)
            FollowUp.objects.create(
                recommendation=recommendation,
                date=TODAY,
                assessment="partly",
                recorded_by=users[i % 2],
            )
    _assert_flat(
        browser,
        url,
        before,
        django_assert_max_num_queries,
        "Fråga 20?",
        f"{top + MORE}. Rekommendation 20.",
        str(users[0]),
        str(users[1]),
    )


# Indicators -------------------------------------------------------------------------------


def test_indicator_list(everywhere, django_assert_max_num_queries):
    url = reverse("indicator-list")
    before = _queries(everywhere, url)
    regions = list(Region.objects.all())
    for i in range(MORE):
        indicator = Indicator.objects.create(
            region=regions[i % len(regions)], name=f"Indikator {i}", unit="%"
        )
        Target.objects.create(indicator=indicator, year=2020, value=50 + i)
        for year in (2020, 2021):
            Outcome.objects.create(
                indicator=indicator,
                period_start=datetime.date(year, 1, 1),
                period_end=datetime.date(year, 12, 31),
                value=40 + i,
            )
    _assert_flat(everywhere, url, before, django_assert_max_num_queries, "Indikator 19")


def test_indicator_page(demo, db, django_assert_max_num_queries):
    audit = _audit("norrbotten")
    indicator = audit.indicators.order_by("pk").first()
    browser = _as("revisor.norrbotten")
    url = reverse("indicator-detail", args=[indicator.pk])
    before = _queries(browser, url)
    response = Response.objects.get(audit=audit)
    for i in range(MORE):
        target = Target.objects.create(indicator=indicator, year=1995 + i, value=50 + i)
        Outcome.objects.create(
            indicator=indicator,
            period_start=datetime.date(1995 + i, 1, 1),
            period_end=datetime.date(1995 + i, 12, 31),
            value=40 + i,
        )
        cited_by = Audit.objects.create(
            region=audit.region,
            title=f"Granskning {i}",
            year=2022,
            rating_scale=audit.rating_scale,
            status=Audit.Status.ISSUED,
            issued_date=datetime.date(2022, 1, 1),
            response_deadline=datetime.date(2022, 3, 1),
        )
        cited_by.indicators.add(indicator)
        measure = Measure.objects.create(
            response=response,
            description=f"Åtgärd {i}.",
            responsible="Regiondirektör",
            original_due_date=TODAY + datetime.timedelta(days=i),
        )
        measure.targets.add(target)
    _assert_flat(
        browser,
        url,
        before,
        django_assert_max_num_queries,
        "Granskning 19",
        "Åtgärd 19.",
        "2014",  # the last outcome's period
    )


# The calendar feed ------------------------------------------------------------------------


def test_calendar_feed(demo, db, django_assert_max_num_queries):
    """What an auditor's calendar shows: responses awaited, open measures, follow-ups."""
    auditor = User.objects.get(username="revisor.vasterbotten")
    auditor.calendar_token = "kalender-matning-0123456789abcdefghijklmnop"
    auditor.save(update_fields=["calendar_token"])
    browser = Client()
    url = reverse("calendar-feed", args=[auditor.calendar_token])
    before = _queries(browser, url)
    earlier = _audit("vasterbotten")
    committee = earlier.audited_bodies.get()
    _more_sent(
        earlier,
        committee,
        year=TODAY.year,
        issued=TODAY - datetime.timedelta(days=30),
        first_deadline=TODAY,
        text="Svara.",
    )
    response = Response.objects.get(audit=earlier)
    _more_measures(response, list(earlier.recommendations.all()))
    with django_assert_max_num_queries(before + 2):
        page = browser.get(url)
    assert page.status_code == 200
    # Lines of an iCalendar file are folded at 75 octets.
    feed = page.content.decode().replace("\r\n ", "")
    for shown in ("Granskning 19", "Åtgärd 20."):
        assert shown in feed, shown


# Forms that list an audit's questions or a body's recommendations -------------------------


def test_recommendation_form_lists_the_questions(demo, db, django_assert_max_num_queries):
    audit = Audit.objects.get(region__code="norrbotten", status=Audit.Status.ONGOING)
    browser = _as("revisor.norrbotten")
    url = reverse("recommendation-add", args=[audit.pk])
    before = _queries(browser, url)
    _more_questions(audit)
    _assert_flat(browser, url, before, django_assert_max_num_queries, "Fråga 20?", "Del 20?")


def test_response_form_lists_the_recommendations(demo, db, django_assert_max_num_queries):
    audit = Audit.objects.get(region__code="vasterbotten", reference_number="REV 2026:3")
    body = Body.objects.get(region=audit.region, name="Hälso- och sjukvårdsnämnden")
    browser = _as("sekreterare.vasterbotten")
    url = reverse("response-edit", args=[audit.pk, body.pk])
    before = _queries(browser, url)
    _more_recommendations(audit, body, list(audit.questions.all()))
    _assert_flat(browser, url, before, django_assert_max_num_queries, "Rekommendation 20.")


def test_measure_form_lists_the_recommendations(demo, db, django_assert_max_num_queries):
    audit = _audit("vasterbotten")
    response = Response.objects.get(audit=audit)
    browser = _as("sekreterare.vasterbotten")
    url = reverse("measure-add", args=[response.pk])
    before = _queries(browser, url)
    _more_recommendations(audit, response.body)
    _assert_flat(browser, url, before, django_assert_max_num_queries, "Rekommendation 20.")


# PDFs -------------------------------------------------------------------------------------


def _assert_flat_pdf(browser, url: str, before: int, assert_max, *shows: str) -> None:
    with assert_max(before + 2):
        page = browser.get(url)
    assert page.status_code == 200
    assert page["Content-Type"] == "application/pdf"
    pdf = " ".join(read_pdf(page.content).text.split())
    for added in shows:
        assert added in pdf, added


def test_audit_report_pdf(demo, db, django_assert_max_num_queries):
    audit = _audit("norrbotten")
    browser = _as("revisor.norrbotten")
    url = reverse("audit-pdf", args=[audit.pk, "report"])
    before = _queries(browser, url)
    questions = _more_questions(audit, FEW)
    _more_recommendations(audit, audit.audited_bodies.get(), questions, FEW)
    _assert_flat_pdf(
        browser,
        url,
        before,
        django_assert_max_num_queries,
        f"Fråga {FEW}?",
        f"Del {FEW}?",
        f"Rekommendation {FEW}.",
    )


def test_follow_up_report_pdf(demo, db, django_assert_max_num_queries):
    audit = _audit("vasterbotten")
    browser = _as("revisor.vasterbotten")
    url = reverse("followup-report") + "?region=vasterbotten"
    before = _queries(browser, url)
    response = Response.objects.get(audit=audit)
    recommendations = _more_recommendations(audit, response.body)
    _more_measures(response, recommendations)
    recorder = User.objects.get(username="revisor.vasterbotten")
    for i, recommendation in enumerate(recommendations):
        FollowUp.objects.create(
            recommendation=recommendation,
            date=TODAY,
            assessment="partly",
            comment=f"Uppföljning {i}.",
            recorded_by=recorder,
        )
    _assert_flat_pdf(
        browser,
        url,
        before,
        django_assert_max_num_queries,
        "Rekommendation 20.",
        "Uppföljning 19.",
        "Åtgärd 19.",  # revised
    )
