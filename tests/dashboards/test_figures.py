"""The dashboard figures on hand-built data: each number as a person would count it."""

from __future__ import annotations

import base64
import datetime

import pytest
from django.utils import timezone
from django.utils.translation import gettext as _

from audits.figures import (
    Implementation,
    add_months,
    figures,
    implementation_by_year,
)
from audits.models import Assessment, Audit, AuditQuestion, RatingLevel
from recommendations.models import Measure, Recommendation, Response
from recommendations.services import followup_record
from regions.access import scope_for
from regions.models import Body, Membership
from tests.web import member

TODAY = timezone.localdate()


def days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


@pytest.fixture
def second_body(region) -> Body:
    return Body.objects.create(region=region, name="Hälso- och sjukvårdsnämnden", short_name="HSN")


def _issued(region, scale, title: str, issued: datetime.date, deadline: datetime.date, *bodies):
    audit = Audit.objects.create(
        region=region,
        title=title,
        year=issued.year,
        status=Audit.Status.ISSUED,
        rating_scale=scale,
        issued_date=issued,
        response_deadline=deadline,
    )
    audit.audited_bodies.set(bodies)
    return audit


def _numbers(user, region):
    [numbers] = figures(scope_for(user), [region], today=TODAY)
    return numbers


def test_a_response_five_days_late_shows_plus_five(region, scale, board, second_body):
    late = _issued(region, scale, "Sen", days_ago(100), days_ago(40), board)
    Response.objects.create(audit=late, body=board, received_date=days_ago(35))
    early = _issued(region, scale, "Tidig", days_ago(90), days_ago(30), board)
    Response.objects.create(audit=early, body=board, received_date=days_ago(33))
    # One body of two has answered: still awaited, 12 days past the deadline so far.
    waiting = _issued(region, scale, "Väntar", days_ago(60), days_ago(12), board, second_body)
    Response.objects.create(audit=waiting, body=board, received_date=days_ago(20))
    auditor = member(region, Membership.Role.AUDITOR)
    rows = {row.title: row for row in _numbers(auditor, region).timeliness}
    assert (rows["Sen"].signed_days, rows["Sen"].verdict) == ("+5", _("late"))
    assert (rows["Tidig"].signed_days, rows["Tidig"].verdict) == ("\u22123", _("on time"))
    assert rows["Väntar"].awaiting and rows["Väntar"].signed_days == "+12"
    assert (rows["Väntar"].answered, rows["Väntar"].bodies) == (1, 2)
    summary = _numbers(auditor, region).responses
    assert (summary.on_time, summary.late, summary.awaiting_overdue) == (1, 1, 1)


def test_a_secretary_counts_only_the_responses_of_their_own_bodies(
    region, scale, board, second_body
):
    audit = _issued(region, scale, "Två nämnder", days_ago(60), days_ago(12), board, second_body)
    Response.objects.create(audit=audit, body=board, received_date=days_ago(14))
    secretary = member(region, Membership.Role.SECRETARY, bodies=(board,))
    [row] = _numbers(secretary, region).timeliness
    # Their board answered two days early; the other body's silence is not theirs to see.
    assert (row.answered, row.bodies, row.signed_days) == (1, 1, "\u22122")


def _measure(response: Response, due: datetime.date, status=Measure.Status.PLANNED) -> Measure:
    return Measure.objects.create(
        response=response,
        description=f"Åtgärd {due}",
        responsible="Regiondirektör",
        original_due_date=due,
        status=status,
        completed_date=TODAY if status == Measure.Status.DONE else None,
    )


def test_overdue_measures_land_in_their_age_bucket(region, scale, board):
    audit = _issued(region, scale, "Åtgärder", days_ago(400), days_ago(350), board)
    response = Response.objects.create(audit=audit, body=board, received_date=days_ago(349))
    for days in (1, 30, 31, 90, 100, 180, 181, 500):
        _measure(response, days_ago(days))
    _measure(response, TODAY)  # due today: not overdue yet
    _measure(response, days_ago(100), Measure.Status.DONE)  # done: not overdue
    _measure(response, days_ago(100), Measure.Status.CANCELLED)
    numbers = _numbers(member(region, Membership.Role.READER), region)
    assert numbers.overdue == [2, 2, 2, 2]
    assert numbers.overdue_rows == [("0–30", 2), ("31–90", 2), ("91–180", 2), ("> 180", 2)]


def test_a_measure_100_days_overdue_is_in_91_to_180(region, scale, board):
    audit = _issued(region, scale, "Åtgärd", days_ago(400), days_ago(350), board)
    response = Response.objects.create(audit=audit, body=board, received_date=days_ago(349))
    _measure(response, days_ago(100))
    assert _numbers(member(region, Membership.Role.AUDITOR), region).overdue == [0, 0, 1, 0]


def test_implementation_within_12_and_24_months(region, scale, board):
    issued = datetime.date(TODAY.year - 3, 3, 15)
    audit = _issued(region, scale, "Genomförande", issued, issued + datetime.timedelta(60), board)
    recs = [
        Recommendation.objects.create(audit=audit, body=board, number=n, text=f"R{n}")
        for n in range(1, 6)
    ]
    # 1: implemented after 11 months; 2: after 18 months; 3: not implemented;
    # 4: implemented at 6 months, then found not implemented, then implemented at 30;
    # 5: withdrawn, not counted at all.
    followup_record(recommendation=recs[0], date=add_months(issued, 11), assessment="implemented")
    followup_record(recommendation=recs[1], date=add_months(issued, 18), assessment="implemented")
    followup_record(recommendation=recs[2], date=add_months(issued, 6), assessment="partly")
    followup_record(recommendation=recs[3], date=add_months(issued, 6), assessment="implemented")
    followup_record(
        recommendation=recs[3], date=add_months(issued, 9), assessment="not_implemented"
    )
    followup_record(recommendation=recs[3], date=add_months(issued, 30), assessment="implemented")
    Recommendation.objects.filter(pk=recs[4].pk).update(status=Recommendation.Status.WITHDRAWN)
    [rate] = _numbers(member(region, Membership.Role.READER), region).rates
    assert (rate.year, rate.total, rate.implemented) == (issued.year, 4, 3)
    assert (rate.within_12, rate.eligible_12, rate.percent_12) == (1, 4, 25)
    assert (rate.within_24, rate.eligible_24, rate.percent_24) == (2, 4, 50)
    assert rate.percent == 75


def test_recent_recommendations_are_not_yet_judged_within_24_months():
    today = datetime.date(2026, 6, 1)
    rows = [
        Implementation(1, "implemented", datetime.date(2025, 5, 1), datetime.date(2025, 9, 1)),
        Implementation(1, "open", datetime.date(2025, 5, 1), None),
        # Exactly 12 months ago: judged; implemented on the last day still counts.
        Implementation(1, "implemented", datetime.date(2025, 6, 1), datetime.date(2026, 6, 1)),
    ]
    [rate] = implementation_by_year(rows, today=today)
    assert (rate.within_12, rate.eligible_12) == (2, 3)
    assert (rate.eligible_24, rate.percent_24) == (0, None)


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(datetime.date(2024, 2, 29), 12) == datetime.date(2025, 2, 28)
    assert add_months(datetime.date(2023, 11, 30), 3) == datetime.date(2024, 2, 29)
    assert add_months(datetime.date(2023, 1, 15), 24) == datetime.date(2025, 1, 15)


def test_ratings_and_statuses_count_drafts_for_the_audit_side_only(region, scale, board):
    issued = _issued(region, scale, "Utfärdad", days_ago(100), days_ago(40), board)
    draft = Audit.objects.create(region=region, title="Utkast", year=TODAY.year, rating_scale=scale)
    levels = {level.label: level for level in RatingLevel.objects.filter(scale=scale)}
    for audit, label in ((issued, "Uppfylld"), (draft, "Ej uppfylld")):
        question = AuditQuestion.objects.create(audit=audit, position=1, text="Fråga?")
        Assessment.objects.create(question=question, level=levels[label])
        Recommendation.objects.create(audit=audit, body=board, number=1, text="R")
    auditor = _numbers(member(region, Membership.Role.AUDITOR), region)
    reader = _numbers(member(region, Membership.Role.READER), region)
    assert auditor.recommendations == 2 and reader.recommendations == 1
    assert [level.label for level in reader.ratings.levels] == ["Uppfylld"]
    assert reader.ratings.rows == [(issued.year, [1], 1)]
    assert sorted(level.label for level in auditor.ratings.levels) == ["Ej uppfylld", "Uppfylld"]
    assert sum(total for _year, _counts, total in auditor.ratings.rows) == 2


def test_the_charts_are_svg_with_a_title(region, scale, board):
    audit = _issued(region, scale, "Diagram", days_ago(100), days_ago(40), board)
    Recommendation.objects.create(audit=audit, body=board, number=1, text="R")
    from audits.figures import status_chart

    chart = status_chart(_numbers(member(region, Membership.Role.AUDITOR), region).by_status)
    svg = base64.b64decode(chart.src.split(",", 1)[1]).decode()
    assert svg.startswith("<svg") and f"<title>{_('Recommendations by status')}</title>" in svg
    assert "style=" not in svg
