"""What every list page shares: filters scoped to the user, paging, the URL as state."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from audits.models import RatingLevel
from regions.access import Scope

ALL = _("All")


def ordering(**choices: tuple[str, str, str]) -> django_filters.OrderingFilter:
    """Sort choices `param=(field, ascending label, descending label)`, both directions
    labelled in words (django-filter's own "(descending)" suffix has no Swedish)."""
    labels: dict[str, str] = {}
    for param, (_field, ascending, descending) in choices.items():
        labels[param] = ascending
        labels[f"-{param}"] = descending
    return django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=_("Default order"),
        fields=tuple((field, param) for param, (field, _a, _d) in choices.items()),
        field_labels=labels,
    )


def status_rank(choices: list[tuple[str, str]]) -> Case:
    """The status's place in its lifecycle, for sorting (the codes sort alphabetically)."""
    return Case(
        *(When(status=value, then=Value(rank)) for rank, (value, _label) in enumerate(choices)),
        default=Value(len(choices)),
        output_field=IntegerField(),
    )


class SearchInput(forms.TextInput):
    input_type = "search"


class ScopedFilterSet(django_filters.FilterSet):
    """A filter set whose choices (regions, bodies) come from the user's scope."""

    q = django_filters.CharFilter(
        label=_("Search"), method="search", widget=SearchInput, max_length=200
    )
    year = django_filters.NumberFilter(label=_("Year"), min_value=1990, max_value=2100)
    rating = django_filters.ModelChoiceFilter(
        label=_("Rating"), empty_label=ALL, queryset=RatingLevel.objects.none(), method="by_rating"
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue"),
        method="by_overdue",
        widget=django_filters.widgets.BooleanWidget,
    )

    search_fields: tuple[str, ...] = ()
    rating_path = ""

    def __init__(self, data: Any, *, queryset: QuerySet, scope: Scope, **kwargs: Any) -> None:
        super().__init__(data, queryset=queryset, **kwargs)
        self.scope = scope
        self.filters["region"].queryset = scope.regions().order_by("name")
        self.filters["body"].queryset = (
            scope.bodies().select_related("region").order_by("region__name", "name")
        )
        self.filters["rating"].queryset = RatingLevel.objects.select_related("scale").order_by(
            "scale__name", "rank"
        )
        self.form.fields["overdue"].widget.choices = [
            ("", _("All")),
            ("true", _("Only overdue")),
            ("false", _("Not overdue")),
        ]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        condition = Q()
        for word in value.split()[:8]:
            any_field = Q()
            for field in self.search_fields:
                any_field |= Q(**{f"{field}__icontains": word})
            condition &= any_field
        return queryset.filter(condition)

    def by_rating(self, queryset: QuerySet, name: str, value: RatingLevel | None) -> QuerySet:
        if value is None:
            return queryset
        # An exists-subquery, not a join: no duplicate rows whatever the list shows.
        matching = queryset.model.objects.filter(**{self.rating_path: value}).values("pk")
        return queryset.filter(pk__in=matching)


def paginate(request: HttpRequest, queryset: QuerySet) -> Page:
    """A page of the list; a page number out of range shows the last page, never an error."""
    paginator = Paginator(queryset, settings.TRACKER["PAGE_SIZE"])
    return paginator.get_page(request.GET.get("page"))
