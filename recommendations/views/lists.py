"""Recommendation and measure lists: filtered, sorted and paged through the URL."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from regions.access import scope_for
from tracker.filtering import paginate, status_rank

from ..filters import MeasureFilter, RecommendationFilter
from ..models import Measure, Recommendation


@require_GET
@login_required
def recommendation_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    recommendations = (
        scope.recommendations()
        .select_related("audit__region", "body")
        .annotate(status_rank=status_rank(Recommendation.Status.choices))
        .order_by("-audit__year", "audit__title", "number", "pk")
    )
    filters = RecommendationFilter(request.GET, queryset=recommendations, scope=scope)
    return render(
        request,
        "recommendations/recommendation_list.html",
        {"filter": filters, "page": paginate(request, filters.qs)},
    )


@require_GET
@login_required
def measure_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    measures = (
        scope.measures()
        .select_related("response__audit__region", "response__body")
        .annotate(status_rank=status_rank(Measure.Status.choices))
        .order_by("due_date", "pk")
    )
    filters = MeasureFilter(request.GET, queryset=measures, scope=scope)
    return render(
        request,
        "recommendations/measure_list.html",
        {"filter": filters, "page": paginate(request, filters.qs)},
    )
