"""The audit list: filtered, sorted and paged through the URL so it can be bookmarked."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from regions.access import scope_for
from tracker.filtering import paginate, status_rank

from ..filters import AuditFilter
from ..models import Audit


@require_GET
@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    audits = (
        scope.audits()
        .select_related("region")
        .annotate(
            recommendation_count=Count("recommendations", distinct=True),
            status_rank=status_rank(Audit.Status.choices),
        )
        .order_by("-year", "title", "pk")
    )
    filters = AuditFilter(request.GET, queryset=audits, scope=scope)
    return render(
        request,
        "audits/audit_list.html",
        {"filter": filters, "page": paginate(request, filters.qs)},
    )
