"""Recommendation, measure and follow-up lists: filtered, sorted and paged through the
URL, and downloaded with the same filter as CSV or XLSX."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import BooleanField, ExpressionWrapper, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from audits.models import Audit
from regions.access import scope_for
from tracker import spreadsheets
from tracker.filtering import paginate, status_rank
from tracker.spreadsheets import Column, label

from ..filters import FollowUpFilter, MeasureFilter, RecommendationFilter
from ..models import FollowUp, Measure, Recommendation, Response


def _late(filter_class: type[RecommendationFilter | MeasureFilter]) -> ExpressionWrapper:
    """The list's own "overdue" filter as a yes/no column."""
    condition = filter_class.late(timezone.localdate())
    return ExpressionWrapper(condition, output_field=BooleanField())


# Recommendations ----------------------------------------------------------------------------


def _recommendations(request: HttpRequest) -> RecommendationFilter:
    scope = scope_for(request.user)
    recommendations = (
        scope.recommendations()
        .select_related("audit__region", "body")
        .annotate(status_rank=status_rank(Recommendation.Status.choices))
        .order_by("-audit__year", "audit__title", "number", "pk")
    )
    return RecommendationFilter(request.GET, queryset=recommendations, scope=scope)


@require_GET
@login_required
def recommendation_list(request: HttpRequest) -> HttpResponse:
    filters = _recommendations(request)
    return render(
        request,
        "recommendations/recommendation_list.html",
        {"filter": filters, "page": paginate(request, filters.qs)},
    )


@require_GET
@login_required
def recommendation_list_export(request: HttpRequest, format: str) -> HttpResponse:
    link = spreadsheets.link_to(request, "recommendation-detail")
    columns = [
        Column(spreadsheets.ID, lambda r: r.pk, 8),
        Column(label(Audit, "region"), lambda r: r.audit.region, 20),
        Column(label(Recommendation, "audit"), lambda r: r.audit.title, 40),
        Column(label(Audit, "reference_number"), lambda r: r.audit.reference_number, 18),
        Column(label(Audit, "year"), lambda r: r.audit.year, 8),
        Column(label(Recommendation, "number"), lambda r: r.number, 8),
        Column(label(Recommendation, "text"), lambda r: r.text, 60),
        Column(label(Recommendation, "body"), lambda r: r.body, 30),
        Column(label(Recommendation, "status"), lambda r: r.get_status_display(), 16),
        Column(label(Audit, "response_deadline"), lambda r: r.audit.response_deadline, 12),
        Column(_("Overdue"), lambda r: bool(r.is_late), 10),
        Column(spreadsheets.LINK, lambda r: link(r.pk), 40),
    ]
    rows = _recommendations(request).qs.annotate(is_late=_late(RecommendationFilter))
    return spreadsheets.download(
        request,
        format=format,
        rows=rows,
        columns=columns,
        title=_("Recommendations"),
        list_url=reverse("recommendation-list"),
    )


# Measures -----------------------------------------------------------------------------------


def _measures(request: HttpRequest) -> MeasureFilter:
    scope = scope_for(request.user)
    measures = (
        scope.measures()
        .select_related("response__audit__region", "response__body")
        .annotate(status_rank=status_rank(Measure.Status.choices))
        .order_by("due_date", "pk")
    )
    return MeasureFilter(request.GET, queryset=measures, scope=scope)


@require_GET
@login_required
def measure_list(request: HttpRequest) -> HttpResponse:
    filters = _measures(request)
    return render(
        request,
        "recommendations/measure_list.html",
        {"filter": filters, "page": paginate(request, filters.qs)},
    )


@require_GET
@login_required
def measure_list_export(request: HttpRequest, format: str) -> HttpResponse:
    page = spreadsheets.link_to(request, "response-detail")

    def numbers(measure: Measure) -> str:
        return ", ".join(str(r.number) for r in measure.recommendations.all())

    columns = [
        Column(spreadsheets.ID, lambda m: m.pk, 8),
        Column(label(Audit, "region"), lambda m: m.response.audit.region, 20),
        Column(label(Recommendation, "audit"), lambda m: m.response.audit.title, 40),
        Column(label(Audit, "reference_number"), lambda m: m.response.audit.reference_number, 18),
        Column(label(Audit, "year"), lambda m: m.response.audit.year, 8),
        Column(label(Response, "body"), lambda m: m.response.body, 30),
        Column(label(Measure, "recommendations"), numbers, 14),
        Column(label(Measure, "description"), lambda m: m.description, 60),
        Column(label(Measure, "responsible"), lambda m: m.responsible, 24),
        Column(label(Measure, "status"), lambda m: m.get_status_display(), 14),
        Column(label(Measure, "original_due_date"), lambda m: m.original_due_date, 12),
        Column(label(Measure, "revised_due_date"), lambda m: m.revised_due_date, 12),
        Column(label(Measure, "due_date"), lambda m: m.due_date, 12),
        Column(label(Measure, "completed_date"), lambda m: m.completed_date, 12),
        Column(_("Overdue"), lambda m: bool(m.is_late), 10),
        Column(spreadsheets.LINK, lambda m: f"{page(m.response_id)}#measure-{m.pk}", 40),
    ]
    rows = (
        _measures(request)
        .qs.annotate(is_late=_late(MeasureFilter))
        .prefetch_related(
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.only("pk", "number").order_by("number"),
            )
        )
    )
    return spreadsheets.download(
        request,
        format=format,
        rows=rows,
        columns=columns,
        title=_("Measures"),
        list_url=reverse("measure-list"),
    )


# Follow-ups ---------------------------------------------------------------------------------


def _follow_ups(request: HttpRequest) -> FollowUpFilter:
    scope = scope_for(request.user)
    follow_ups = (
        scope.follow_ups()
        .select_related("recommendation__audit__region", "recommendation__body", "recorded_by")
        .order_by("-date", "-recorded_at", "-pk")
    )
    return FollowUpFilter(request.GET, queryset=follow_ups, scope=scope)


@require_GET
@login_required
def followup_list(request: HttpRequest) -> HttpResponse:
    """The auditors' follow-ups of the recommendations the user may see, newest first."""
    filters = _follow_ups(request)
    return render(
        request,
        "recommendations/followup_list.html",
        {"filter": filters, "page": paginate(request, filters.qs)},
    )


@require_GET
@login_required
def followup_list_export(request: HttpRequest, format: str) -> HttpResponse:
    link = spreadsheets.link_to(request, "recommendation-detail")
    columns = [
        Column(spreadsheets.ID, lambda f: f.pk, 8),
        Column(label(Audit, "region"), lambda f: f.recommendation.audit.region, 20),
        Column(label(Recommendation, "audit"), lambda f: f.recommendation.audit.title, 40),
        Column(
            label(Audit, "reference_number"),
            lambda f: f.recommendation.audit.reference_number,
            18,
        ),
        Column(label(Recommendation, "number"), lambda f: f.recommendation.number, 8),
        Column(label(FollowUp, "recommendation"), lambda f: f.recommendation.text, 60),
        Column(label(Recommendation, "body"), lambda f: f.recommendation.body, 30),
        Column(label(FollowUp, "date"), lambda f: f.date, 12),
        Column(label(FollowUp, "assessment"), lambda f: f.get_assessment_display(), 20),
        Column(label(FollowUp, "comment"), lambda f: f.comment, 60),
        Column(label(FollowUp, "recorded_by"), lambda f: f.recorded_by or "", 24),
        Column(spreadsheets.LINK, lambda f: link(f.recommendation_id), 40),
    ]
    return spreadsheets.download(
        request,
        format=format,
        rows=_follow_ups(request).qs,
        columns=columns,
        title=_("Follow-ups"),
        list_url=reverse("followup-list"),
    )
