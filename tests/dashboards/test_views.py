"""The dashboard pages on the demo: who sees what, the charts with their tables, and a
fixed number of queries however many audits and regions there are."""

from __future__ import annotations

import base64
import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audits.exports.documents import DocumentRequest, Kind
from audits.exports.followup import build as build_followup
from audits.models import Assessment, Audit, AuditQuestion, QuestionSet, RatingLevel, RatingScale
from recommendations.models import Measure, Recommendation, Response
from regions.access import scope_for
from regions.models import Body, Membership, Region, User

from ..web import demo_for_a_module, grant, signed_in, text

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
MORE = 12


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_for_a_module(django_db_blocker, TODAY):
        yield


def _as(username: str):
    return signed_in(User.objects.get(username=username))


def _get(browser, name: str, *args) -> tuple[int, str]:
    page = browser.get(reverse(name, args=args))
    return page.status_code, text(page) if page.status_code == 200 else ""


def _svgs(body: str) -> list[str]:
    return [
        base64.b64decode(src).decode()
        for src in re.findall(r'<img class="chart" src="data:image/svg\+xml;base64,([^"]+)"', body)
    ]


def _coordinated() -> QuestionSet:
    return QuestionSet.objects.get()


# Pages and access -------------------------------------------------------------------------


def test_the_region_dashboard_draws_each_chart_with_its_table(demo):
    status, body = _get(_as("revisor.norrbotten"), "region-dashboard", "norrbotten")
    assert status == 200
    svgs = _svgs(body)
    assert len(svgs) >= 4, len(svgs)
    for svg in svgs:
        assert svg.startswith("<svg") and "<title>" in svg and "style=" not in svg
    # Every chart: an alt text, then a table in a details element right after it.
    assert body.count("<details") == len(svgs)
    assert body.count(f"<summary>{_('Show as table')}</summary>") == len(svgs)
    for alt in re.findall(r'<img class="chart" src="[^"]+" alt="([^"]+)"', body):
        assert _("The same figures are in the table below the chart.").split()[0] in alt
    assert 'style="' not in body.split("<main", 1)[1]
    comparison = reverse("question-set-comparison", args=[_coordinated().pk])
    assert f'href="{comparison}"' in body


def test_another_regions_dashboard_is_not_found(demo):
    browser = _as("revisor.norrbotten")
    assert _get(browser, "region-dashboard", "vasterbotten")[0] == 404
    assert _get(browser, "region-dashboard", "no-such-region")[0] == 404
    assert _get(_as("lasare.norrbotten"), "region-dashboard", "vastmanland")[0] == 404


def test_secretaries_and_readers_never_count_drafts(demo):
    norrbotten = Region.objects.get(code="norrbotten")
    draft = Audit.objects.get(region=norrbotten, status=Audit.Status.ONGOING)
    body = Body.objects.get(region=norrbotten, name="Regionstyrelsen")
    for number in range(1, 8):
        Recommendation.objects.create(audit=draft, body=body, number=90 + number, text="Utkast")
    draft_recs = Recommendation.objects.filter(audit=draft).count()
    issued_recs = (
        Recommendation.objects.filter(audit__region=norrbotten)
        .exclude(audit__status__in=Audit.DRAFT_STATUSES)
        .count()
    )

    def count(username: str) -> int:
        page = _as(username).get(reverse("region-dashboard", args=["norrbotten"]))
        return page.context["numbers"].recommendations

    assert count("revisor.norrbotten") == issued_recs + draft_recs
    assert count("lasare.norrbotten") == issued_recs
    # The secretary's board was sent only the issued audits.
    assert count("sekreterare.norrbotten") <= issued_recs
    for username in ("lasare.norrbotten", "sekreterare.norrbotten"):
        _status, page = _get(_as(username), "region-dashboard", "norrbotten")
        assert draft.title not in page
        assert _("Counts cover issued audits only.") in page


def test_the_overview_shows_only_the_users_regions(demo):
    grant(
        User.objects.get(username="revisionskontor.vasterbotten"),
        Region.objects.get(code="vastmanland"),
        Membership.Role.READER,
    )
    status, body = _get(_as("revisionskontor.vasterbotten"), "dashboard")
    assert status == 200
    assert "Region Västerbotten" in body and "Region Västmanland" in body
    assert "Region Norrbotten" not in body
    assert len(_svgs(body)) == 1 and body.count("<details") == 1
    for code in ("vasterbotten", "vastmanland"):
        assert f'href="{reverse("region-dashboard", args=[code])}"' in body
    status, body = _get(signed_in(User.objects.create_user("utan.roll")), "dashboard")
    assert status == 200 and "<table" not in body


def test_the_comparison_matrix_shows_every_regions_issued_rating_in_words(demo):
    browser = _as("lasare.norrbotten")
    status, body = _get(browser, "question-set-comparison", _coordinated().pk)
    assert status == 200
    for name in ("Region Norrbotten", "Region Västerbotten", "Region Västmanland"):
        assert name in body
    for level in RatingLevel.objects.filter(
        assessments__question__audit__question_set__isnull=False
    ):
        assert level.label in body
    own = Audit.objects.get(region__code="norrbotten", question_set__isnull=False)
    other = Audit.objects.get(region__code="vasterbotten", question_set__isnull=False)
    assert f'href="{reverse("audit-detail", args=[own.pk])}"' in body
    # Another region's audit is compared, not opened: its page is its region's.
    assert reverse("audit-detail", args=[other.pk]) + '"' not in body
    assert other.reference_number not in body


def test_the_comparison_matrix_hides_other_regions_drafts(demo):
    question_set = _coordinated()
    Audit.objects.filter(region__code="vasterbotten", question_set=question_set).update(
        status=Audit.Status.FACT_CHECK
    )
    _status, seen_by_norrbotten = _get(
        _as("revisor.norrbotten"), "question-set-comparison", question_set.pk
    )
    assert "Region Västerbotten" not in seen_by_norrbotten
    assert "Region Västmanland" in seen_by_norrbotten
    _status, seen_by_vasterbotten = _get(
        _as("revisor.vasterbotten"), "question-set-comparison", question_set.pk
    )
    assert "Region Västerbotten" in seen_by_vasterbotten
    # The draft's own region's reader does not see it either; a stranger sees nothing.
    _status, reader = _get(_as("lasare.vasterbotten"), "question-set-comparison", question_set.pk)
    assert "Region Västerbotten" not in reader
    stranger = signed_in(User.objects.create_user("utan.roll"))
    assert _get(stranger, "question-set-comparison", question_set.pk)[0] == 404


def test_a_question_set_nobody_may_compare_is_not_found(demo):
    fresh = QuestionSet.objects.create(title="Ny samordnad granskning", year=2026)
    assert _get(_as("revisor.norrbotten"), "question-set-comparison", fresh.pk)[0] == 404


def test_the_coordinated_audit_page_links_to_the_comparison(demo):
    audit = Audit.objects.get(region__code="norrbotten", question_set__isnull=False)
    _status, body = _get(_as("lasare.norrbotten"), "audit-detail", audit.pk)
    assert reverse("question-set-comparison", args=[audit.question_set_id]) in body


def test_the_pdf_and_the_dashboard_draw_the_same_implementation_chart(demo):
    user = User.objects.get(username="revisor.norrbotten")
    page = signed_in(user).get(reverse("region-dashboard", args=["norrbotten"]))
    on_page = page.context["charts"]["implementation"]
    document = build_followup(
        DocumentRequest(Kind.FOLLOWUP, region="norrbotten"), scope_for(user), today=TODAY
    )
    in_pdf = {chart.title: chart for chart in document.context["charts"]}
    assert in_pdf[on_page.title].src == on_page.src
    assert document.context["rates"] == page.context["numbers"].rates


# Query counts ------------------------------------------------------------------------------


def _queries(browser, url: str) -> int:
    browser.get(url)
    with CaptureQueriesContext(connection) as queries:
        page = browser.get(url)
    assert page.status_code == 200
    return len(queries)


def _more_audits(region: Region, scale: RatingScale, n: int = MORE) -> None:
    """Issued audits with a rated question, answered late, with an overdue measure and a
    followed-up recommendation each."""
    body = Body.objects.filter(region=region).first() or Body.objects.create(
        region=region, name="Regionstyrelsen", short_name="RS"
    )
    level = scale.levels.order_by("rank").first()
    for i in range(n):
        issued = TODAY - datetime.timedelta(days=400 + i)
        audit = Audit.objects.create(
            region=region,
            title=f"Mätgranskning {region.code} {i}",
            year=issued.year,
            status=Audit.Status.ANSWERED,
            rating_scale=scale,
            issued_date=issued,
            response_deadline=issued + datetime.timedelta(days=60),
        )
        audit.audited_bodies.add(body)
        question = AuditQuestion.objects.create(audit=audit, position=1, text=f"Fråga {i}?")
        Assessment.objects.create(question=question, level=level)
        Recommendation.objects.create(
            audit=audit, body=body, number=1, text=f"R {i}", status="implemented"
        )
        response = Response.objects.create(
            audit=audit, body=body, received_date=issued + datetime.timedelta(days=61 + i)
        )
        Measure.objects.create(
            response=response,
            description=f"Åtgärd {i}",
            responsible="Regiondirektör",
            original_due_date=TODAY - datetime.timedelta(days=10 * i + 1),
        )


def test_the_region_dashboard_needs_no_more_queries_for_more_audits(
    demo, django_assert_max_num_queries
):
    browser = _as("revisor.norrbotten")
    url = reverse("region-dashboard", args=["norrbotten"])
    before = _queries(browser, url)
    norrbotten = Region.objects.get(code="norrbotten")
    _more_audits(norrbotten, RatingScale.objects.get(code="uppfylld"))
    with django_assert_max_num_queries(before):
        page = browser.get(url)
    assert f"Mätgranskning norrbotten {MORE - 1}" in text(page)


def test_the_overview_needs_no_more_queries_for_more_regions(demo, django_assert_max_num_queries):
    user = User.objects.get(username="revisionskontor.vasterbotten")
    browser = signed_in(user)
    url = reverse("dashboard")
    before = _queries(browser, url)
    scale = RatingScale.objects.get(code="uppfylld")
    for i in range(6):
        region = Region.objects.create(name=f"Region Mät {i}", code=f"mat-{i}")
        grant(user, region, Membership.Role.AUDIT_OFFICE)
        _more_audits(region, scale, n=3)
    with django_assert_max_num_queries(before):
        page = browser.get(url)
    assert "Region Mät 5" in text(page)


def test_the_comparison_needs_no_more_queries_for_more_regions(demo, django_assert_max_num_queries):
    question_set = _coordinated()
    browser = _as("lasare.norrbotten")
    url = reverse("question-set-comparison", args=[question_set.pk])
    before = _queries(browser, url)
    scale = RatingScale.objects.get(code="uppfylld")
    other_scale = RatingScale.objects.exclude(pk=scale.pk).first() or scale
    shared = list(question_set.questions.all())
    for i in range(6):
        region = Region.objects.create(name=f"Region Jämför {i}", code=f"jamfor-{i}")
        body = Body.objects.create(region=region, name="Regionstyrelsen", short_name="RS")
        this_scale = other_scale if i % 2 else scale
        audit = Audit.objects.create(
            region=region,
            title="Granskning av 1177",
            year=question_set.year,
            status=Audit.Status.ISSUED,
            rating_scale=this_scale,
            question_set=question_set,
            issued_date=TODAY - datetime.timedelta(days=30),
            response_deadline=TODAY + datetime.timedelta(days=30),
        )
        audit.audited_bodies.add(body)
        level = this_scale.levels.order_by("rank").last()
        for position, shared_question in enumerate(shared, start=1):
            question = AuditQuestion.objects.create(
                audit=audit,
                position=position,
                text=shared_question.text,
                shared_question=shared_question,
            )
            Assessment.objects.create(question=question, level=level)
        Recommendation.objects.create(audit=audit, body=body, number=1, text="R")
    with django_assert_max_num_queries(before):
        page = browser.get(url)
    assert "Region Jämför 5" in text(page)
