"""The list pages' own filter sets, given the user's scope as the pages give it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.request import Request

from regions.access import scope_for
from tracker.filtering import ScopedFilterSet


class ScopedFilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend for ScopedFilterSet: its choices come from `scope_for(user)`.
    Invalid values are a 400 with the field's errors; unknown parameters are ignored."""

    def get_filterset_kwargs(self, request: Request, queryset: QuerySet, view: Any) -> dict:
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and issubclass(filterset_class, ScopedFilterSet):
            kwargs["scope"] = scope_for(request.user)
        return kwargs
