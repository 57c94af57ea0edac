"""The questions both the sweep and the messages ask: what is still awaited."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, QuerySet

from audits.models import Audit

from ..models import Measure, Recommendation, Response


def awaited_pairs() -> QuerySet:
    """(audit, body) rows of open audits whose body has not recorded its response yet."""
    pairs = Audit.audited_bodies.through.objects.filter(audit__status__in=Audit.OPEN_STATUSES)
    return pairs.exclude(
        Exists(Response.objects.filter(audit=OuterRef("audit_id"), body=OuterRef("body_id")))
    )


def open_measures() -> QuerySet[Measure]:
    """Measures still to be done; a closed audit's measures are no longer chased."""
    return Measure.objects.open().filter(response__audit__status__in=Audit.OPEN_STATUSES)


def earliest_follow_ups(
    recommendations: QuerySet[Recommendation], by: datetime.date
) -> dict[int, tuple[datetime.date, int]]:
    """audit -> (its earliest follow-up falling due by `by`, its region).

    Grouped in Python: the due date is itself an aggregate, which the database cannot
    aggregate again in the same query.
    """
    earliest: dict[int, tuple[datetime.date, int]] = {}
    rows = recommendations.follow_up_due(by).values_list(
        "audit_id", "follow_up_due", "audit__region_id"
    )
    for audit, due_date, region in rows:
        if audit not in earliest or due_date < earliest[audit][0]:
            earliest[audit] = (due_date, region)
    return earliest
