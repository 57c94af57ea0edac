"""The audit list's filters: region, year, body, status, rating, overdue, free text."""

from __future__ import annotations

import datetime

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.models import Body, Region
from tracker.filtering import ALL, ScopedFilterSet, ordering

from .models import Audit


class AuditFilter(ScopedFilterSet):
    region = django_filters.ModelChoiceFilter(
        label=_("Region"), empty_label=ALL, queryset=Region.objects.none()
    )
    body = django_filters.ModelChoiceFilter(
        label=_("Body"), empty_label=ALL, queryset=Body.objects.none(), method="by_body"
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), empty_label=ALL, choices=Audit.Status.choices
    )
    o = ordering(
        deadline=("response_deadline", _("Deadline, earliest first"), _("Deadline, latest first")),
        year=("year", _("Year, oldest first"), _("Year, newest first")),
        title=("title", _("Title, A to Z"), _("Title, Z to A")),
        status=("status_rank", _("Status, in lifecycle order"), _("Status, reversed")),
    )

    search_fields = ("title", "reference_number", "audit_firm")
    rating_path = "questions__assessment__level"

    class Meta:
        model = Audit
        fields = ["q", "region", "year", "body", "status", "rating", "overdue"]

    def by_body(self, queryset: QuerySet, name: str, value: Body | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(
            pk__in=Audit.audited_bodies.through.objects.filter(body=value).values("audit_id")
        )

    @staticmethod
    def late(today: datetime.date) -> Q:
        """Issued, the deadline passed, and not every body has answered yet."""
        return Q(status=Audit.Status.ISSUED, response_deadline__lt=today)

    def by_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        late = queryset.filter(self.late(timezone.localdate()))
        return late if value else queryset.exclude(pk__in=late.values("pk"))
