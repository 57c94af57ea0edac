"""Filters of the recommendation, measure and follow-up lists."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audits.models import Audit
from regions.access import Scope
from regions.models import Body, Region
from tracker.filtering import ALL, ScopedFilterSet, SearchInput, ordering

from .models import FollowUp, Measure, Recommendation


class RecommendationFilter(ScopedFilterSet):
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        empty_label=ALL,
        field_name="audit__region",
        queryset=Region.objects.none(),
    )
    year = django_filters.NumberFilter(
        label=_("Year"), field_name="audit__year", min_value=1990, max_value=2100
    )
    body = django_filters.ModelChoiceFilter(
        label=_("Body"), empty_label=ALL, queryset=Body.objects.none()
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), empty_label=ALL, choices=Recommendation.Status.choices
    )
    o = ordering(
        deadline=(
            "audit__response_deadline",
            _("Deadline, earliest first"),
            _("Deadline, latest first"),
        ),
        year=("audit__year", _("Year, oldest first"), _("Year, newest first")),
        number=("number", _("Number, ascending"), _("Number, descending")),
        status=("status_rank", _("Status, in lifecycle order"), _("Status, reversed")),
    )

    search_fields = ("text", "audit__title", "audit__reference_number")
    rating_path = "questions__assessment__level"

    class Meta:
        model = Recommendation
        fields = ["q", "region", "year", "body", "status", "rating", "overdue"]

    @staticmethod
    def late(today: datetime.date) -> Q:
        """Late: the response is overdue, or a promised measure is past its date."""
        late_measure = Measure.objects.open().filter(
            recommendations=OuterRef("pk"), due_date__lt=today
        )
        return Q(
            status=Recommendation.Status.OPEN,
            audit__status__in=Audit.OPEN_STATUSES,
            audit__response_deadline__lt=today,
        ) | Exists(late_measure)

    def by_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        late = self.late(timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)


class MeasureFilter(ScopedFilterSet):
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        empty_label=ALL,
        field_name="response__audit__region",
        queryset=Region.objects.none(),
    )
    year = django_filters.NumberFilter(
        label=_("Year"), field_name="response__audit__year", min_value=1990, max_value=2100
    )
    body = django_filters.ModelChoiceFilter(
        label=_("Body"), empty_label=ALL, field_name="response__body", queryset=Body.objects.none()
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), empty_label=ALL, choices=Measure.Status.choices
    )
    o = ordering(
        due=("due_date", _("Due date, earliest first"), _("Due date, latest first")),
        status=("status_rank", _("Status, in lifecycle order"), _("Status, reversed")),
        responsible=("responsible", _("Responsible, A to Z"), _("Responsible, Z to A")),
    )

    search_fields = ("description", "responsible", "response__audit__title")
    rating_path = "recommendations__questions__assessment__level"

    class Meta:
        model = Measure
        fields = ["q", "region", "year", "body", "status", "rating", "overdue"]

    @staticmethod
    def late(today: datetime.date) -> Q:
        """Still to be done and past its (revised) due date: Measure.objects.overdue."""
        return Q(
            status__in=(Measure.Status.PLANNED, Measure.Status.IN_PROGRESS), due_date__lt=today
        )

    def by_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        # The condition on the list's own rows, not a subquery of the table's overdue
        # measures: the database then checks each row of the region once.
        late = self.late(timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)


class FollowUpFilter(django_filters.FilterSet):
    """The follow-up list: region, the follow-up's year, assessment, and free text."""

    q = django_filters.CharFilter(
        label=_("Search"), method="search", widget=SearchInput, max_length=200
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        empty_label=ALL,
        field_name="recommendation__audit__region",
        queryset=Region.objects.none(),
    )
    year = django_filters.NumberFilter(
        label=_("Year"), field_name="date", lookup_expr="year", min_value=1990, max_value=2100
    )
    assessment = django_filters.ChoiceFilter(
        label=_("Assessment"), empty_label=ALL, choices=FollowUp.Assessment.choices
    )

    search_fields = (
        "recommendation__audit__title",
        "recommendation__audit__reference_number",
        "recommendation__text",
        "comment",
    )

    class Meta:
        model = FollowUp
        fields = ["q", "region", "year", "assessment"]

    def __init__(self, data: Any, *, queryset: QuerySet, scope: Scope, **kwargs: Any) -> None:
        super().__init__(data, queryset=queryset, **kwargs)
        self.filters["region"].queryset = scope.regions().order_by("name")

    # Every word must match one of the search fields, as in the other lists.
    search = ScopedFilterSet.search
