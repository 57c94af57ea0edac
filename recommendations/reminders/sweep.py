"""The sweep: find what is due today and add its rows to the reminder ledger.

Each rule is a handful of SQL queries that return only the (item, stage) pairs that
have no ledger rows yet, so a sweep costs the same whether it runs once a day or every
few minutes, and a second sweep at the same time adds nothing (the unique key and
``ignore_conflicts`` settle any race). A missed sweep is caught up: the current stage of
an item is the latest one whose day has come, so a reminder is late rather than lost,
and stages that were skipped over are not sent in a burst.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, IntegerField, OuterRef, QuerySet, Value
from django.db.models.expressions import ExpressionWrapper
from django.utils import timezone

from regions.models import Membership, Region, parse_day_list

from ..models import Recommendation
from .dates import DaysBetween
from .models import Reminder, message_id_for
from .queries import awaited_pairs, earliest_follow_ups, open_measures
from .recipients import Recipient, Recipients

Kind = Reminder.Kind


@dataclass(frozen=True)
class Due:
    """One item at one stage, before it is addressed to its recipients."""

    kind: str
    item_key: str
    due_date: datetime.date
    stage: int
    region_id: int
    audit_id: int | None = None
    body_id: int | None = None
    measure_id: int | None = None
    responsible_user_id: int | None = None


def sweep(now: datetime.datetime | None = None) -> int:
    """Add today's reminders to the ledger; returns how many rows were queued."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = [
        *response_due(today),
        *response_overdue(today),
        *measure_due(today),
        *measure_overdue(today),
        *follow_up_due(today),
        *digests(today),
    ]
    return _queue(due, send_from=_send_from(now))


def _send_from(now: datetime.datetime) -> datetime.datetime:
    """Reminders found at night wait for the working day (REMINDER_SEND_HOUR, local)."""
    local = timezone.localtime(now)
    opening = local.replace(
        hour=settings.TRACKER["REMINDER_SEND_HOUR"], minute=0, second=0, microsecond=0
    )
    return max(local, opening)


def _schedules(field: str) -> dict[tuple[int, ...], list[int]]:
    """Regions grouped by their reminder days, so each schedule is one query per stage."""
    groups: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for pk, days in Region.objects.values_list("pk", field):
        groups[tuple(parse_day_list(days))].append(pk)
    return groups


def _windows(
    days: tuple[int, ...], today: datetime.date
) -> Iterator[tuple[int, datetime.date, datetime.date]]:
    """(stage, after, until): the deadlines for which `stage` is today's current stage.

    With days (14, 3, 0) a deadline 10 days away is at stage 14 (until it is 3 days
    away); one 3 days away or closer is at stage 3, and on the day itself at stage 0.
    """
    for index, stage in enumerate(days):
        later = days[index + 1] if index + 1 < len(days) else -1
        yield stage, today + datetime.timedelta(days=later), today + datetime.timedelta(days=stage)


def _weeks_overdue(field: str, today: datetime.date) -> ExpressionWrapper:
    # Day 1 after the deadline is week 0, day 8 week 1, ...: one reminder a week.
    return ExpressionWrapper(
        (DaysBetween(field, today) - Value(1)) / Value(7), output_field=IntegerField()
    )


@dataclass(frozen=True)
class Deadlines:
    """Where one sort of deadline lives, so the same two rules (stages before the date,
    weekly after it) serve responses and measures alike."""

    items: Callable[[], QuerySet]
    date: str  # the deadline, as a path from the items
    region: str
    schedule: str  # the Region field with the reminder days
    match: dict[str, str]  # ledger field -> the item's path: which item a row is about
    fields: tuple[str, ...]
    make: Callable[[str, tuple, int], Due]


def _response_item(kind: str, row: tuple, stage: int) -> Due:
    audit, body, deadline, region = row
    return Due(kind, f"audit:{audit}/body:{body}", deadline, stage, region, audit, body)


def _measure_item(kind: str, row: tuple, stage: int) -> Due:
    pk, due_date, region, audit, body, responsible = row
    return Due(kind, f"measure:{pk}", due_date, stage, region, audit, body, pk, responsible)


RESPONSES = Deadlines(
    items=awaited_pairs,
    date="audit__response_deadline",
    region="audit__region",
    schedule="response_reminder_days",
    match={"audit": "audit_id", "body": "body_id"},
    fields=("audit_id", "body_id", "audit__response_deadline", "audit__region_id"),
    make=_response_item,
)
# A revised due date is a new due_date, so the schedule starts again from it.
MEASURES = Deadlines(
    items=open_measures,
    date="due_date",
    region="response__audit__region",
    schedule="measure_reminder_days",
    match={"measure": "pk"},
    fields=(
        "pk",
        "due_date",
        "response__audit__region_id",
        "response__audit_id",
        "response__body_id",
        "responsible_user_id",
    ),
    make=_measure_item,
)


def _not_yet(kind: str, deadlines: Deadlines, stage: int | OuterRef) -> Exists:
    match = {field: OuterRef(path) for field, path in deadlines.match.items()}
    return Exists(
        Reminder.objects.filter(kind=kind, due_date=OuterRef(deadlines.date), stage=stage, **match)
    )


def _before(deadlines: Deadlines, kind: str, today: datetime.date) -> Iterator[Due]:
    for days, regions in _schedules(deadlines.schedule).items():
        for stage, after, until in _windows(days, today):
            rows = (
                deadlines.items()
                .filter(
                    **{
                        f"{deadlines.region}__in": regions,
                        f"{deadlines.date}__gt": after,
                        f"{deadlines.date}__lte": until,
                    }
                )
                .exclude(_not_yet(kind, deadlines, stage))
                .values_list(*deadlines.fields)
            )
            for row in rows:
                yield deadlines.make(kind, row, stage)


def _weekly(deadlines: Deadlines, kind: str, today: datetime.date) -> Iterator[Due]:
    rows = (
        deadlines.items()
        .filter(**{f"{deadlines.date}__lt": today})
        .annotate(stage=_weeks_overdue(deadlines.date, today))
        .exclude(_not_yet(kind, deadlines, OuterRef("stage")))
        .values_list(*deadlines.fields, "stage")
    )
    for *row, stage in rows:
        yield deadlines.make(kind, tuple(row), stage)


def response_due(today: datetime.date) -> Iterator[Due]:
    return _before(RESPONSES, Kind.RESPONSE_DUE, today)


def response_overdue(today: datetime.date) -> Iterator[Due]:
    return _weekly(RESPONSES, Kind.RESPONSE_OVERDUE, today)


def measure_due(today: datetime.date) -> Iterator[Due]:
    return _before(MEASURES, Kind.MEASURE_DUE, today)


def measure_overdue(today: datetime.date) -> Iterator[Due]:
    return _weekly(MEASURES, Kind.MEASURE_OVERDUE, today)


def follow_up_due(today: datetime.date) -> Iterator[Due]:
    """One reminder per audit for its earliest follow-up falling due; recording that
    follow-up moves the date on, and the next one is reminded when it comes."""
    earliest = earliest_follow_ups(Recommendation.objects.all(), today)
    sent = set(
        Reminder.objects.filter(kind=Kind.FOLLOW_UP_DUE, audit__in=earliest).values_list(
            "audit_id", "due_date"
        )
    )
    for audit, (due_date, region) in earliest.items():
        if (audit, due_date) not in sent:
            yield Due(Kind.FOLLOW_UP_DUE, f"audit:{audit}", due_date, 0, region, audit)


def digests(today: datetime.date) -> Iterator[Due]:
    """A Monday-dated digest per region with anything overdue on that Monday, sent by
    the first sweep of the week (so a Tuesday catch-up, never a second one)."""
    monday = today - datetime.timedelta(days=today.weekday())
    # Only regions someone wants a digest for and that have none this week yet: after
    # the week's first sweep the overdue queries below look at nothing.
    wanted = set(
        Membership.objects.filter(
            role__in=Membership.AUDIT_SIDE_ROLES, user__is_active=True, user__weekly_digest=True
        )
        .exclude(user__email="")
        .exclude(
            region__in=Reminder.objects.filter(kind=Kind.DIGEST, due_date=monday).values(
                "region_id"
            )
        )
        .values_list("region_id", flat=True)
    )
    if not wanted:
        return
    overdue = (
        set(
            awaited_pairs()
            .filter(audit__region__in=wanted, audit__response_deadline__lt=monday)
            .values_list("audit__region_id", flat=True)
        )
        | set(
            open_measures()
            .filter(response__audit__region__in=wanted, due_date__lt=monday)
            .values_list("response__audit__region_id", flat=True)
        )
        | set(
            Recommendation.objects.filter(audit__region__in=wanted)
            .follow_up_due(monday)
            .values_list("audit__region_id", flat=True)
        )
    )
    for region in sorted(overdue):
        yield Due(Kind.DIGEST, f"region:{region}", monday, 0, region)


def _recipients_for(due: Due, recipients: Recipients) -> list[Recipient]:
    if due.kind in (Kind.RESPONSE_DUE, Kind.RESPONSE_OVERDUE):
        found = list(recipients.for_body(due.body_id))
        copy = recipients.responsible_auditor(due.audit_id)
        if copy is not None:
            found.append(copy)
        return found
    if due.kind in (Kind.MEASURE_DUE, Kind.MEASURE_OVERDUE):
        person = recipients.user(due.responsible_user_id)
        return [person] if person is not None else list(recipients.for_body(due.body_id))
    if due.kind == Kind.FOLLOW_UP_DUE:
        return list(recipients.audit_side(due.region_id))
    return list(recipients.audit_side(due.region_id, digest=True))


def _queue(due: list[Due], send_from: datetime.datetime) -> int:
    if not due:
        return 0
    recipients = Recipients.load(due)
    rows: list[Reminder] = []
    for item in due:
        seen: set[str] = set()
        for person in _recipients_for(item, recipients):
            if person.email in seen:
                continue
            seen.add(person.email)
            rows.append(
                Reminder(
                    kind=item.kind,
                    item_key=item.item_key,
                    due_date=item.due_date,
                    stage=item.stage,
                    recipient_email=person.email,
                    recipient_id=person.user_id,
                    is_copy=person.is_copy,
                    language=person.language,
                    region_id=item.region_id,
                    audit_id=item.audit_id,
                    body_id=item.body_id,
                    measure_id=item.measure_id,
                    message_id=message_id_for(
                        item.kind, item.item_key, item.due_date, item.stage, person.email
                    ),
                    next_attempt_at=send_from,
                )
            )
    # A concurrent sweep may have added some of these a moment ago; the unique key wins.
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)
