"""Indicators a region is measured on: targets against outcomes, and where they are cited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from tracker.charts import data_uri

from .access import scope_for
from .indicators import chart, rows, target_text


@require_GET
@login_required
def indicator_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    indicators = list(
        scope.indicators()
        .select_related("region")
        .prefetch_related("targets", "outcomes")
        .order_by("region__name", "name")
    )
    entries = []
    for indicator in indicators:
        table = rows(indicator, list(indicator.targets.all()), list(indicator.outcomes.all()))
        entries.append({"indicator": indicator, "latest": table[-1] if table else None})
    return render(request, "regions/indicator_list.html", {"entries": entries})


@require_GET
@login_required
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_for(request.user)
    indicator = get_object_or_404(scope.indicators().select_related("region"), pk=pk)
    targets = list(indicator.targets.order_by("year"))
    table = rows(indicator, targets, list(indicator.outcomes.all()))
    audits = list(
        scope.audits().filter(indicators=indicator).select_related("region").order_by("-year")
    )
    measures = list(
        scope.measures()
        .filter(targets__indicator=indicator)
        .distinct()
        .select_related("response__audit", "response__body")
        .order_by("due_date", "pk")
    )
    return render(
        request,
        "regions/indicator_detail.html",
        {
            "indicator": indicator,
            "table": table,
            "targets": [(t, target_text(t, indicator.unit)) for t in targets],
            "chart": data_uri(chart(indicator, table)) if table else "",
            "audits": audits,
            "measures": measures,
        },
    )
