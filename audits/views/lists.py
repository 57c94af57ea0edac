"""The audit list: filtered, sorted and paged through the URL so it can be bookmarked,
and downloaded with the same filter as CSV or XLSX."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import BooleanField, Count, ExpressionWrapper
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from regions.access import scope_for
from tracker import spreadsheets
from tracker.filtering import paginate, status_rank
from tracker.spreadsheets import Column, label

from ..filters import AuditFilter
from ..models import Audit


def _filtered(request: HttpRequest) -> AuditFilter:
    """The list's filter set: the user's audits, narrowed by the query string."""
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
    return AuditFilter(request.GET, queryset=audits, scope=scope)


@require_GET
@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    filters = _filtered(request)
    return render(
        request,
        "audits/audit_list.html",
        {"filter": filters, "page": paginate(request, filters.qs)},
    )


def _columns(request: HttpRequest) -> list[Column]:
    link = spreadsheets.link_to(request, "audit-detail")
    return [
        Column(spreadsheets.ID, lambda a: a.pk, 8),
        Column(label(Audit, "region"), lambda a: a.region, 20),
        Column(label(Audit, "reference_number"), lambda a: a.reference_number, 18),
        Column(label(Audit, "title"), lambda a: a.title, 50),
        Column(label(Audit, "year"), lambda a: a.year, 8),
        Column(label(Audit, "kind"), lambda a: a.get_kind_display(), 18),
        Column(label(Audit, "status"), lambda a: a.get_status_display(), 14),
        Column(
            label(Audit, "audited_bodies"),
            lambda a: ", ".join(body.name for body in a.audited_bodies.all()),
            40,
        ),
        Column(label(Audit, "issued_date"), lambda a: a.issued_date, 12),
        Column(label(Audit, "response_deadline"), lambda a: a.response_deadline, 12),
        Column(_("Overdue"), lambda a: bool(a.is_late), 10),
        Column(_("Recommendations"), lambda a: a.recommendation_count, 10),
        Column(label(Audit, "audit_firm"), lambda a: a.audit_firm, 20),
        Column(spreadsheets.LINK, lambda a: link(a.pk), 40),
    ]


@require_GET
@login_required
def audit_list_export(request: HttpRequest, format: str) -> HttpResponse:
    """Every audit of the list's current filter (not only the page) as a file."""
    late = AuditFilter.late(timezone.localdate())
    audits = (
        _filtered(request)
        .qs.annotate(is_late=ExpressionWrapper(late, output_field=BooleanField()))
        .prefetch_related("audited_bodies")
    )
    return spreadsheets.download(
        request,
        format=format,
        rows=audits,
        columns=_columns(request),
        title=_("Audits"),
        list_url=reverse("audit-list"),
    )
