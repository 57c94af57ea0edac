"""The follow-up report for a region: where every issued recommendation stands."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from audits.figures import (
    Chart,
    YearRate,
    implementation_by_year,
    implementation_chart,
    implementations,
    status_chart,
)
from audits.models import Audit
from recommendations.models import FollowUp, Recommendation
from regions.access import Scope
from regions.models import Body, Region

from .documents import KIND_LABELS, Document, DocumentRequest, Kind, NotFound, safe_filename


@dataclass
class Row:
    recommendation: Recommendation
    latest: FollowUp | None


def region_for(request: DocumentRequest, scope: Scope) -> Region:
    region = scope.regions().filter(code=request.region).first() if request.region else None
    if region is None:
        raise NotFound(f"No region {request.region!r} that this user may see.")
    return region


def recommendations_for(request: DocumentRequest, scope: Scope) -> QuerySet[Recommendation]:
    """The report's recommendations: issued ones of the region, filtered as asked."""
    return _filtered(request, scope, region_for(request, scope))


def _filtered(request: DocumentRequest, scope: Scope, region: Region) -> QuerySet[Recommendation]:
    recommendations = (
        scope.recommendations()
        .filter(audit__region=region)
        .exclude(audit__status__in=Audit.DRAFT_STATUSES)
    )
    if request.year is not None:
        recommendations = recommendations.filter(audit__year=request.year)
    if request.body is not None:
        recommendations = recommendations.filter(body_id=request.body)
    if request.status:
        recommendations = recommendations.filter(status=request.status)
    return recommendations


def build(request: DocumentRequest, scope: Scope, *, today: datetime.date) -> Document:
    region = region_for(request, scope)
    recommendations = list(
        _filtered(request, scope, region)
        .select_related("audit", "body")
        .order_by("-audit__issued_date", "audit__title", "audit_id", "number")
    )
    ids = [r.pk for r in recommendations]
    latest: dict[int, FollowUp] = {}
    # Ordered oldest first, so the last one written for each recommendation wins.
    for follow_up in FollowUp.objects.filter(recommendation_id__in=ids).order_by(
        "date", "recorded_at", "pk"
    ):
        latest[follow_up.recommendation_id] = follow_up
    measures = list(
        scope.measures()
        .filter(recommendations__in=ids)
        .distinct()
        .select_related("response__body", "response__audit")
        .order_by("due_date", "pk")
    )
    overdue = [m for m in measures if m.is_overdue(today)]
    revised = [m for m in measures if m.revised_due_date is not None]
    # The same figures and charts as the region dashboard (audits/figures.py).
    rates = implementation_by_year(implementations(_filtered(request, scope, region)), today=today)
    by_status = Counter(r.status for r in recommendations)
    body = Body.objects.filter(pk=request.body).first() if request.body else None
    filters = [
        (_("Year"), request.year),
        (_("Body"), body),
        (
            _("Status"),
            capfirst(Recommendation.Status(request.status).label) if request.status else None,
        ),
    ]
    return Document(
        template="pdf/followup.html",
        title=f"{KIND_LABELS[Kind.FOLLOWUP]}: {region.name}",
        filename=safe_filename(_("follow-up"), region.code, request.year, today.isoformat()),
        running_header=f"{KIND_LABELS[Kind.FOLLOWUP]} {region.name} {today.isoformat()}",
        context={
            "region": region,
            "today": today,
            "filters": [(label, value) for label, value in filters if value],
            "rows": [Row(r, latest.get(r.pk)) for r in recommendations],
            "overdue": [(m, (today - m.due_date).days) for m in overdue],
            "revised": revised,
            "rates": rates,
            "rate_total": YearRate.combined(rates),
            "status_counts": [
                (str(label).capitalize(), by_status[value])
                for value, label in Recommendation.Status.choices
                if by_status[value]
            ],
            "charts": _charts(by_status, rates),
        },
    )


def _charts(by_status: Counter[str], rates: list[YearRate]) -> list[Chart]:
    title = _("Implementation rate by year of issue")
    charts = [
        status_chart(by_status),
        implementation_chart([(str(rate.year), rate) for rate in rates], title) if rates else None,
    ]
    return [chart for chart in charts if chart is not None]
