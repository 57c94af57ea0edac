"""Dashboards: a region's key figures, all the user's regions side by side, and the
comparison of a coordinated audit's regions. Read-only; everything through the Scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from regions.access import Scope, scope_for

from ..exports.comparison import compare
from ..figures import (
    AGE_BUCKETS,
    TIMELINESS_ROWS,
    YearRate,
    bucket_label,
    figures,
    implementation_chart,
    overdue_chart,
    ratings_chart,
    status_chart,
    timeliness_chart,
)
from ..models import QuestionSet


def _question_sets(scope: Scope, region_ids: list[int]) -> list[QuestionSet]:
    """The coordinated audits the user may compare, from their audits in these regions."""
    audits = scope.audits().filter(region__in=region_ids, question_set__isnull=False)
    return list(QuestionSet.objects.filter(pk__in=audits.values("question_set")))


@require_GET
@login_required
def region_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request.user)
    region = get_object_or_404(scope.regions(), code=code)
    today = timezone.localdate()
    [numbers] = figures(scope, [region], today=today)
    timeliness = numbers.timeliness[:TIMELINESS_ROWS]
    charts = {
        "status": status_chart(numbers.by_status),
        "timeliness": timeliness_chart(timeliness),
        "overdue": overdue_chart(numbers.overdue),
        "ratings": ratings_chart(numbers.ratings),
        "implementation": implementation_chart(
            [(str(rate.year), rate) for rate in numbers.rates],
            _("Implementation rate by year of issue"),
        )
        if numbers.rates
        else None,
    }
    return render(
        request,
        "dashboards/region.html",
        {
            "region": region,
            "today": today,
            "numbers": numbers,
            "timeliness": timeliness,
            "timeliness_cut": len(numbers.timeliness) > TIMELINESS_ROWS,
            "timeliness_rows": TIMELINESS_ROWS,
            "charts": charts,
            "includes_drafts": region.pk in scope.audit_regions,
            "question_sets": _question_sets(scope, [region.pk]),
            "several_regions": len(scope.region_ids) > 1,
        },
    )


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    today = timezone.localdate()
    regions = list(scope.regions().order_by("name"))
    rows = figures(scope, regions, today=today)
    chart = (
        implementation_chart(
            [(row.region.name, row.rate_total) for row in rows],
            _("Implementation rate by region"),
        )
        if rows
        else None
    )
    return render(
        request,
        "dashboards/overview.html",
        {
            "rows": rows,
            "total": YearRate.combined(row.rate_total for row in rows),
            "chart": chart,
            "oldest_bucket": bucket_label(*AGE_BUCKETS[-1]),
            "question_sets": _question_sets(scope, [region.pk for region in regions]),
            "today": today,
        },
    )


@require_GET
@login_required
def question_set_comparison(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_for(request.user)
    question_set = get_object_or_404(QuestionSet, pk=pk)
    if not scope.comparison_audits(question_set).exists():
        raise Http404("No audit of this question set that the user may see.")
    comparison = compare(question_set, scope)
    ids = [column.audit.pk for column in comparison.columns]
    # Other regions' issued audits are compared here, but their pages are their own
    # region's: link only to the audits the user may open.
    openable = set(scope.audits().filter(pk__in=ids).values_list("pk", flat=True))
    return render(
        request,
        "dashboards/comparison.html",
        {
            "question_set": question_set,
            "columns": comparison.columns,
            # Each cell with its column, so it can link to the audit it comes from.
            "rows": [
                (line.question, list(zip(line.assessments, comparison.columns, strict=True)))
                for line in comparison.lines
            ],
            "scales": comparison.scales,
            "openable": openable,
        },
    )
