"""Filters of the recommendation and measure lists."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audits.models import Audit
from regions.models import Body, Region
from tracker.filtering import ALL, ScopedFilterSet, ordering

from .models import Measure, Recommendation


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

    def by_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        """Late: the response is overdue, or a promised measure is past its date."""
        if value is None:
            return queryset
        today = timezone.localdate()
        late_measure = Measure.objects.open().filter(
            recommendations=OuterRef("pk"), due_date__lt=today
        )
        late = Q(
            status=Recommendation.Status.OPEN,
            audit__status__in=Audit.OPEN_STATUSES,
            audit__response_deadline__lt=today,
        ) | Exists(late_measure)
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

    def by_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        late = Measure.objects.overdue(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=late) if value else queryset.exclude(pk__in=late)
