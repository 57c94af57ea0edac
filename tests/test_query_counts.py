"""Each main page runs a fixed number of queries, however many rows it shows.

A page is measured on the demo, then 20 more of what it lists are added and the page
must not need more than 2 further queries (an N+1 would add 20 or more).
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits.models import Assessment, Audit, AuditQuestion, Observation, RatingLevel
from recommendations.models import (
    Answer,
    DecisionItem,
    FollowUp,
    Measure,
    Recommendation,
    Response,
)
from regions.models import Body, Membership, Region, User

from .web import demo_for_a_module, grant, signed_in

MORE = 20
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


def _more_questions(audit: Audit) -> list[AuditQuestion]:
    questions = []
    top = audit.questions.filter(parent=None).count()
    for i in range(1, MORE + 1):
        question = AuditQuestion.objects.create(audit=audit, position=top + i, text=f"Fråga {i}?")
        AuditQuestion.objects.create(audit=audit, parent=question, position=1, text=f"Del {i}?")
        for position in (1, 2):
            Observation.objects.create(question=question, position=position, text=f"Fakta {i}.")
        Assessment.objects.create(question=question, level=_level("Ej uppfylld"), comment="Nej.")
        questions.append(question)
    return questions


def _more_recommendations(audit: Audit, body: Body, questions=()) -> list[Recommendation]:
    top = audit.recommendations.count()
    recommendations = []
    for i in range(1, MORE + 1):
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
    for i in range(MORE):
        audit = Audit.objects.create(
            region=follow_up.region,
            title=f"Granskning {i}",
            year=TODAY.year,
            rating_scale=follow_up.rating_scale,
            status=Audit.Status.ISSUED,
            issued_date=TODAY - datetime.timedelta(days=30),
            response_deadline=TODAY + datetime.timedelta(days=i),
        )
        audit.audited_bodies.add(committee)
        Recommendation.objects.create(audit=audit, body=committee, number=1, text="Gör något.")
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
    for i in range(MORE):
        issued = Audit.objects.create(
            region=earlier.region,
            title=f"Granskning {i}",
            year=2022,
            rating_scale=earlier.rating_scale,
            status=Audit.Status.ISSUED,
            issued_date=datetime.date(2022, 1, 1),
            response_deadline=datetime.date(2022, 3, 1) + datetime.timedelta(days=i),
        )
        issued.audited_bodies.add(committee)
        # Unanswered since 2022: due for follow-up long ago.
        Recommendation.objects.create(audit=issued, body=committee, number=1, text="Följ upp.")
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
    for i in range(MORE):
        issued = Audit.objects.create(
            region=earlier.region,
            title=f"Granskning {i}",
            year=2022,
            rating_scale=earlier.rating_scale,
            status=Audit.Status.ISSUED,
            issued_date=datetime.date(2022, 1, 1),
            response_deadline=TODAY + datetime.timedelta(days=i),
        )
        issued.audited_bodies.add(committee)
        Recommendation.objects.create(audit=issued, body=committee, number=1, text="Svara.")
    _assert_flat(browser, url, before, django_assert_max_num_queries, "Granskning 19")
