"""Key figures of the follow-up work, for the dashboards and the follow-up report.

Every figure is counted in the database, grouped by region, so a page needs the same
few queries for one region as for all of them. What is counted comes from the user's
Scope: the audit side counts its region's drafts too, everyone else issued audits only.
Each figure has its chart here, so a page and a PDF draw the same one.
"""

from __future__ import annotations

import calendar
import datetime
import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    Field,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from recommendations.models import FollowUp, Measure, Recommendation, Response
from regions.access import Scope
from regions.models import Region
from tracker.charts import Bar, Series, bar_chart, data_uri, grouped_bar_chart, stacked_bar_chart

from .models import Assessment, Audit, RatingLevel

WITHIN_12 = "#0b5394"
WITHIN_24 = "#3b7dbf"
TO_DATE = "#1a5e20"
LATE, ON_TIME, AWAITING = "#a4000f", "#1a5e20", "#8a6100"
# Days past the due date: (first day, last day or None for "and more").
AGE_BUCKETS: tuple[tuple[int, int | None], ...] = ((0, 30), (31, 90), (91, 180), (181, None))
# The response timeliness chart shows the most recently issued audits.
TIMELINESS_ROWS = 20


@dataclass
class Chart:
    title: str
    src: str

    @property
    def alt(self) -> str:
        return _("%(title)s. The same figures are in the table below the chart.") % {
            "title": self.title
        }


# ---------------------------------------------------------------------------------------
# Implementation rate per year of issue (GAO-style: within 12 and 24 months)


@dataclass(frozen=True)
class Implementation:
    """One recommendation as the implementation rate counts it."""

    region: int
    status: str
    issued: datetime.date
    # The date of the follow-up that set the status to implemented.
    implemented_on: datetime.date | None


@dataclass
class YearRate:
    year: int
    total: int
    implemented: int
    # Recommendations issued at least 12 (24) months ago, and of those, how many were
    # implemented within 12 (24) months of the issue date.
    eligible_12: int = 0
    within_12: int = 0
    eligible_24: int = 0
    within_24: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.implemented / self.total) if self.total else 0

    @property
    def percent_12(self) -> int | None:
        return round(100 * self.within_12 / self.eligible_12) if self.eligible_12 else None

    @property
    def percent_24(self) -> int | None:
        return round(100 * self.within_24 / self.eligible_24) if self.eligible_24 else None

    @classmethod
    def combined(cls, rates: Iterable[YearRate]) -> YearRate:
        total = cls(0, 0, 0)
        for rate in rates:
            total.total += rate.total
            total.implemented += rate.implemented
            total.eligible_12 += rate.eligible_12
            total.within_12 += rate.within_12
            total.eligible_24 += rate.eligible_24
            total.within_24 += rate.within_24
        return total


# A region's recommendations share their audits' few issue dates: each is worked out once.
@functools.lru_cache(maxsize=4096)
def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the month's last day when it has no such day."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def implementations(recommendations: QuerySet[Recommendation]) -> list[Implementation]:
    """The issued, not withdrawn recommendations, each with the day it was implemented.

    That day is the first "implemented" follow-up after the latest follow-up that said
    otherwise: a recommendation judged implemented, then not, then implemented again
    was implemented the second time.
    """
    implemented = FollowUp.Assessment.IMPLEMENTED
    follow_ups = FollowUp.objects.filter(recommendation=OuterRef("pk"))
    last_other = follow_ups.exclude(assessment=implemented).order_by("-date", "-recorded_at")
    rows = (
        recommendations.filter(audit__issued_date__isnull=False)
        .exclude(status=Recommendation.Status.WITHDRAWN)
        .annotate(since=Coalesce(Subquery(last_other.values("date")[:1]), F("audit__issued_date")))
        .annotate(
            # Looked up only for the recommendations now implemented (the others' day is
            # not used): the database skips both subqueries for the rest.
            implemented_on=Case(
                When(
                    status=Recommendation.Status.IMPLEMENTED,
                    then=Subquery(
                        FollowUp.objects.filter(
                            recommendation=OuterRef("pk"),
                            assessment=implemented,
                            date__gte=OuterRef("since"),
                        )
                        .order_by("date", "recorded_at")
                        .values("date")[:1]
                    ),
                ),
                output_field=DateField(),
            )
        )
        .order_by()
        .values_list("audit__region_id", "status", "audit__issued_date", "implemented_on")
    )
    return [
        Implementation(
            region,
            status,
            issued,
            implemented_on if status == Recommendation.Status.IMPLEMENTED else None,
        )
        for region, status, issued, implemented_on in rows
    ]


def implementation_by_year(
    rows: Iterable[Implementation], *, today: datetime.date
) -> list[YearRate]:
    """Per year of issue: how many were implemented, to date and within 12 and 24
    months. Only recommendations issued long enough ago count towards "within"."""
    by_year: dict[int, YearRate] = {}
    for row in rows:
        rate = by_year.setdefault(row.issued.year, YearRate(row.issued.year, 0, 0))
        rate.total += 1
        rate.implemented += row.status == Recommendation.Status.IMPLEMENTED
        done = row.implemented_on is not None
        for months in (12, 24):
            limit = add_months(row.issued, months)
            if limit <= today:
                setattr(rate, f"eligible_{months}", getattr(rate, f"eligible_{months}") + 1)
                if done and row.implemented_on <= limit:
                    setattr(rate, f"within_{months}", getattr(rate, f"within_{months}") + 1)
    return [by_year[year] for year in sorted(by_year)]


def implementation_chart(groups: Sequence[tuple[str, YearRate]], title: str) -> Chart:
    """Per group (a year, a region): the share implemented within 12 and 24 months and
    to date. The same chart in the dashboards and in the follow-up report."""

    def bar(label: str, colour: str, percent: int | None, done: int, of: int) -> Bar:
        if percent is None:
            return Bar(label, 0, f"{label}: –", colour)
        return Bar(label, percent, f"{label}: {percent} % ({done}/{of})", colour)

    series = [
        Series(_("within 12 months"), WITHIN_12),
        Series(_("within 24 months"), WITHIN_24),
        Series(_("to date"), TO_DATE),
    ]
    bars = [
        (
            label,
            [
                bar(series[0].label, WITHIN_12, rate.percent_12, rate.within_12, rate.eligible_12),
                bar(series[1].label, WITHIN_24, rate.percent_24, rate.within_24, rate.eligible_24),
                bar(series[2].label, TO_DATE, rate.percent, rate.implemented, rate.total),
            ],
        )
        for label, rate in groups
    ]
    svg = grouped_bar_chart(bars, title=title, series=series, maximum=100)
    return Chart(title, data_uri(svg))


# ---------------------------------------------------------------------------------------
# Recommendations by status


def status_counts(recommendations: QuerySet[Recommendation]) -> dict[int, Counter[str]]:
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for region, status, n in (
        recommendations.order_by()
        .values("audit__region_id", "status")
        .annotate(n=Count("pk"))
        .values_list("audit__region_id", "status", "n")
    ):
        counts[region][status] = n
    return counts


def status_rows(by_status: Counter[str]) -> list[tuple[str, int]]:
    """(label, count) for each status that has recommendations, in the lifecycle's order."""
    return [
        (capfirst(str(label)), by_status[value])
        for value, label in Recommendation.Status.choices
        if by_status[value]
    ]


def status_chart(by_status: Counter[str]) -> Chart | None:
    bars = [Bar(label, n, str(n)) for label, n in status_rows(by_status)]
    if not bars:
        return None
    title = _("Recommendations by status")
    return Chart(title, data_uri(bar_chart(bars, title=title)))


# ---------------------------------------------------------------------------------------
# Response timeliness


@dataclass
class Timeliness:
    audit_id: int
    region: int
    title: str
    issued: datetime.date
    deadline: datetime.date
    bodies: int
    answered: int
    # The last response's days after the deadline (negative: early), or, while a
    # response is awaited, the days since the deadline so far (negative: days left).
    days: int

    @property
    def awaiting(self) -> bool:
        return self.answered < self.bodies

    @property
    def late(self) -> bool:
        return self.days > 0

    @property
    def signed_days(self) -> str:
        # A real minus sign, as print has it; zero is plain.
        return f"+{self.days}" if self.days > 0 else f"\u2212{-self.days}" if self.days else "0"

    @property
    def verdict(self) -> str:
        if self.awaiting:
            return _("awaiting")
        if self.days > 0:
            return _("late")
        return _("on time")


def count_of(queryset: QuerySet) -> Coalesce:
    """How many rows a correlated queryset has, as a subquery (0 for none).

    Per outer row the database probes an index; a join with COUNT(DISTINCT ...) would
    hash whole tables first, which costs more once a region has a thousand audits.
    """
    counted = (
        queryset.order_by()
        .annotate(n=Func(F("pk"), function="COUNT", output_field=IntegerField()))
        .values("n")
    )
    return Coalesce(Subquery(counted[:1]), 0, output_field=IntegerField())


def timeliness(audits: QuerySet[Audit], scope: Scope, *, today: datetime.date) -> list[Timeliness]:
    """Each issued audit with how its responses came in against the deadline, newest
    first. A secretary counts only the bodies whose responses they may see."""
    bodies = Audit.audited_bodies.through.objects.filter(audit=OuterRef("pk"))
    responses = Response.objects.filter(audit=OuterRef("pk"))
    whole = scope.audit_regions | scope.reader_regions
    mine = Q(body__in=scope.secretary_bodies) if scope.secretary_bodies else None

    def visible(count: Callable[[QuerySet], Any], rows: QuerySet, empty: Any, output: Field) -> Any:
        """All rows in the regions the user sees whole, their own bodies' elsewhere."""
        own = count(rows.filter(mine)) if mine is not None else Value(empty, output)
        if not whole:
            return own
        return Case(When(region__in=whole, then=count(rows)), default=own, output_field=output)

    body_count = visible(count_of, bodies, 0, IntegerField())
    answered = visible(count_of, responses, 0, IntegerField())
    last_received = visible(_latest, responses, None, DateField())
    rows = (
        audits.issued()
        .filter(response_deadline__isnull=False, issued_date__isnull=False)
        .annotate(body_count=body_count, answered=answered, last_received=last_received)
        .filter(body_count__gt=0)
        .order_by("-issued_date", "title", "pk")
        .values_list(
            "pk",
            "region_id",
            "title",
            "issued_date",
            "response_deadline",
            "body_count",
            "answered",
            "last_received",
        )
    )
    result = []
    for pk, region, title, issued, deadline, body_count, answered, last in rows:
        until = today if answered < body_count or last is None else last
        result.append(
            Timeliness(
                pk, region, title, issued, deadline, body_count, answered, (until - deadline).days
            )
        )
    return result


def _latest(responses: QuerySet[Response]) -> Subquery:
    return Subquery(responses.order_by("-received_date").values("received_date")[:1])


def timeliness_chart(rows: Sequence[Timeliness]) -> Chart | None:
    if not rows:
        return None
    bars = []
    for row in rows:
        colour = AWAITING if row.awaiting else LATE if row.late else ON_TIME
        shown = f"{row.signed_days} ({row.verdict})"
        bars.append(Bar(row.title, abs(row.days), shown, colour))
    title = _("Response timeliness: days after the deadline")
    svg = bar_chart(bars, title=title, width=600, label_width=220, value_width=150)
    return Chart(title, data_uri(svg))


@dataclass
class TimelinessSummary:
    on_time: int = 0
    late: int = 0
    awaiting_overdue: int = 0
    awaiting_not_due: int = 0


def timeliness_summary(rows: Iterable[Timeliness]) -> TimelinessSummary:
    summary = TimelinessSummary()
    for row in rows:
        if row.awaiting:
            if row.days > 0:
                summary.awaiting_overdue += 1
            else:
                summary.awaiting_not_due += 1
        elif row.late:
            summary.late += 1
        else:
            summary.on_time += 1
    return summary


# ---------------------------------------------------------------------------------------
# Overdue measures by age


def bucket_label(first: int, last: int | None) -> str:
    return f"{first}–{last}" if last is not None else f"> {first - 1}"


def overdue_buckets(measures: QuerySet[Measure], *, today: datetime.date) -> dict[int, list[int]]:
    """Per region, open measures past their due date, counted by days past due."""
    counts = {}
    for index, (first, last) in enumerate(AGE_BUCKETS):
        # 0-30 days past due means due 1 to 30 days ago: due today is not overdue yet.
        condition = Q(due_date__lte=today - datetime.timedelta(days=max(first, 1)))
        if last is not None:
            condition &= Q(due_date__gte=today - datetime.timedelta(days=last))
        counts[f"bucket_{index}"] = Count("pk", filter=condition)
    result: dict[int, list[int]] = {}
    rows = (
        measures.overdue(today).order_by().values("response__audit__region_id").annotate(**counts)
    )
    for row in rows:
        result[row["response__audit__region_id"]] = [
            row[f"bucket_{index}"] for index in range(len(AGE_BUCKETS))
        ]
    return result


def overdue_chart(buckets: Sequence[int]) -> Chart | None:
    if not any(buckets):
        return None
    bars = [
        Bar(
            _("%(range)s days") % {"range": bucket_label(*bucket)},
            n,
            str(n),
        )
        for bucket, n in zip(AGE_BUCKETS, buckets, strict=True)
    ]
    title = _("Overdue measures by days past the due date")
    return Chart(title, data_uri(bar_chart(bars, title=title)))


# ---------------------------------------------------------------------------------------
# Ratings per audit year


@dataclass
class RatingTable:
    levels: list[RatingLevel] = field(default_factory=list)
    # year -> level pk -> number of assessments
    counts: dict[int, dict[int, int]] = field(default_factory=dict)

    @property
    def rows(self) -> list[tuple[int, list[int], int]]:
        """(year, counts in the levels' order, total), oldest year first."""
        result = []
        for year in sorted(self.counts):
            values = [self.counts[year].get(level.pk, 0) for level in self.levels]
            result.append((year, values, sum(values)))
        return result


def ratings_by_year(audits: QuerySet[Audit], region_ids: Sequence[int]) -> dict[int, RatingTable]:
    """Per region: how many assessments gave each rating level, per audit year."""
    tables: dict[int, RatingTable] = defaultdict(RatingTable)
    rows = (
        # The regions again on the joined audit: without them the database reads every
        # audit of the country to join the questions to (the scope is a subquery).
        Assessment.objects.filter(
            question__audit__in=audits, question__audit__region__in=region_ids
        )
        .order_by()
        # Grouped by numbers only: grouping by the levels' words would sort text.
        .values_list("question__audit__region_id", "question__audit__year", "level_id")
        .annotate(n=Count("pk"))
    )
    counted = list(rows)
    levels = RatingLevel.objects.select_related("scale").in_bulk({row[2] for row in counted})
    for region_id, year, level_id, n in counted:
        table = tables[region_id]
        if all(level.pk != level_id for level in table.levels):
            table.levels.append(levels[level_id])
        table.counts.setdefault(year, {})[level_id] = n
    for table in tables.values():
        table.levels.sort(key=lambda level: (level.scale.name, level.rank))
    return tables


def ratings_chart(table: RatingTable) -> Chart | None:
    if not table.counts:
        return None
    title = _("Ratings per audit year")
    svg = stacked_bar_chart(
        [(str(year), values) for year, values, _total in table.rows],
        title=title,
        series=[Series(level.label, level.colour) for level in table.levels],
    )
    return Chart(title, data_uri(svg))


# ---------------------------------------------------------------------------------------
# Everything for a set of regions


@dataclass
class RegionFigures:
    region: Region
    by_status: Counter[str]
    rates: list[YearRate]
    timeliness: list[Timeliness]
    overdue: list[int]
    ratings: RatingTable

    @property
    def recommendations(self) -> int:
        return sum(self.by_status.values())

    @property
    def rate_total(self) -> YearRate:
        return YearRate.combined(self.rates)

    @property
    def responses(self) -> TimelinessSummary:
        return timeliness_summary(self.timeliness)

    @property
    def overdue_total(self) -> int:
        return sum(self.overdue)

    @property
    def status_rows(self) -> list[tuple[str, int]]:
        return status_rows(self.by_status)

    @property
    def overdue_rows(self) -> list[tuple[str, int]]:
        return [
            (bucket_label(*bucket), n) for bucket, n in zip(AGE_BUCKETS, self.overdue, strict=True)
        ]


def figures(
    scope: Scope, regions: Sequence[Region], *, today: datetime.date
) -> list[RegionFigures]:
    """The figures of each region, in the order given: a fixed number of queries."""
    ids = [region.pk for region in regions]
    audits = scope.audits().filter(region__in=ids)
    recommendations = scope.recommendations().filter(audit__region__in=ids)
    by_status = status_counts(recommendations)
    by_region: dict[int, list[Implementation]] = defaultdict(list)
    for row in implementations(recommendations):
        by_region[row.region].append(row)
    responses: dict[int, list[Timeliness]] = defaultdict(list)
    for row in timeliness(audits, scope, today=today):
        responses[row.region].append(row)
    overdue = overdue_buckets(scope.measures().filter(response__audit__region__in=ids), today=today)
    ratings = ratings_by_year(audits, ids)
    return [
        RegionFigures(
            region=region,
            by_status=by_status.get(region.pk, Counter()),
            rates=implementation_by_year(by_region[region.pk], today=today),
            timeliness=responses[region.pk],
            overdue=overdue.get(region.pk, [0] * len(AGE_BUCKETS)),
            ratings=ratings.get(region.pk, RatingTable()),
        )
        for region in regions
    ]
