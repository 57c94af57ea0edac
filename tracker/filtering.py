"""What every list page shares: filters scoped to the user, paging, the URL as state."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.sql.where import WhereNode
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


# A list says how many rows match up to this many; beyond it, "more than 1,000". Counting
# every match of a broad filter would cost more than the page (250,000 recommendations).
COUNT_UP_TO = 1000
# Page numbers past this are read as this: an OFFSET of millions only burns time.
MAX_PAGE = 10_000


@dataclass
class ListPage:
    """One page of a list, read without counting the whole list.

    The page is read with one row more than it shows, which says whether a next page
    exists. How many rows match is counted only up to COUNT_UP_TO (a count of a LIMITed
    subquery), and not at all when the first page already holds them all.
    """

    object_list: list[Any]
    number: int
    has_next: bool
    # Exact number of matching rows, or None when there are more than COUNT_UP_TO.
    count: int | None
    page_size: int
    count_up_to: int = COUNT_UP_TO

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, index: int) -> Any:
        return self.object_list[index]

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def num_pages(self) -> int | None:
        """The number of the last page when the count is exact."""
        if self.count is None:
            return None
        return max(math.ceil(self.count / self.page_size), 1)

    @property
    def is_paged(self) -> bool:
        return self.has_next or self.has_previous


def _page_number(value: str | None) -> int:
    try:
        number = int(value or 1)
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)


def paginate(request: HttpRequest, queryset: QuerySet) -> ListPage:
    """A page of the list; a page past the end shows the last page, never an error.

    Within the first COUNT_UP_TO rows (where nearly every visit is) one query reads the
    ids of the rows in list order, up to COUNT_UP_TO + 1 of them: the filter and the sort
    run once, and the number of ids is the count. A second query loads the page's rows
    by id. Deeper pages are read with OFFSET and are not counted.
    """
    size = settings.TRACKER["PAGE_SIZE"]
    limit = COUNT_UP_TO
    number = _page_number(request.GET.get("page"))
    if (number - 1) * size + size > limit or queryset.query.distinct:
        return _deep_page(queryset, number, size, limit)
    ids = list(queryset.values_list("pk", flat=True)[: limit + 1])
    count = len(ids) if len(ids) <= limit else None
    if count is not None and (number - 1) * size >= count:
        # Past the end (an old link, a typed number): the last page instead.
        number = max(math.ceil(count / size), 1)
    start = (number - 1) * size
    page_ids = ids[start : start + size]
    rows = _in_order(queryset, page_ids)
    return ListPage(rows, number, len(ids) > start + size, count, size, limit)


def _in_order(queryset: QuerySet, ids: list[Any]) -> list[Any]:
    """The rows of these ids, in this order, as the list's queryset would load them.

    The ids come from the filtered, scoped query a moment ago. Its conditions are taken
    off here (its joins, columns and annotations stay): with them, the database would
    plan from the filter (a region's thousands of rows) instead of the 25 primary keys.
    """
    if not ids:
        return []
    rows = queryset.order_by()
    rows.query.where = WhereNode()
    by_id = {row.pk: row for row in rows.filter(pk__in=ids)}
    return [by_id[pk] for pk in ids if pk in by_id]


def _deep_page(queryset: QuerySet, number: int, size: int, limit: int) -> ListPage:
    rows = _rows(queryset, number, size)
    if rows:
        exact = len(rows) <= size
        count = (number - 1) * size + len(rows) if exact else None
        return ListPage(rows[:size], number, not exact, count, size, limit)
    if number == 1:
        return ListPage([], 1, False, 0, size, limit)
    # Past the end of a long list: only here is it counted in full, to find its end.
    total = queryset.count()
    number = max(math.ceil(total / size), 1)
    rows = _rows(queryset, number, size)
    return ListPage(rows[:size], number, False, total, size, limit)


def _rows(queryset: QuerySet, number: int, size: int) -> list[Any]:
    start = (number - 1) * size
    return list(queryset[start : start + size + 1])
