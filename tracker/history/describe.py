"""History events told as plain sentences: "Rating changed from Partly to Not met"."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audits.models import AuditQuestion
from recommendations.models import Recommendation, Response

from .models import HistoryEvent
from .tracked import NOISE_COLUMNS, tracked_models

# What a row of each table is called on the history page.
KINDS: dict[str, Any] = {
    "audits_audit": gettext_lazy("Audit"),
    "audits_audit_audited_bodies": gettext_lazy("Audited body"),
    "audits_auditquestion": gettext_lazy("Audit question"),
    "audits_observation": gettext_lazy("Observation"),
    "audits_assessment": gettext_lazy("Assessment"),
    "recommendations_recommendation": gettext_lazy("Recommendation"),
    "recommendations_recommendation_questions": gettext_lazy("Recommendation's audit question"),
    "recommendations_response": gettext_lazy("Response"),
    "recommendations_decisionitem": gettext_lazy("Decision item"),
    "recommendations_answer": gettext_lazy("Answer to a recommendation"),
    "recommendations_measure": gettext_lazy("Measure"),
    "recommendations_measure_recommendations": gettext_lazy("Measure's recommendation"),
    "recommendations_followup": gettext_lazy("Follow-up"),
}

# The columns that name a row (first non-empty wins where several are given).
LABELS: dict[str, tuple[str, ...]] = {
    "audits_audit": ("title",),
    "audits_audit_audited_bodies": ("body_id",),
    "audits_auditquestion": ("text",),
    "audits_observation": ("heading", "text"),
    "audits_assessment": ("question_id",),
    "recommendations_recommendation": ("text",),
    "recommendations_recommendation_questions": ("recommendation_id",),
    "recommendations_response": ("body_id",),
    "recommendations_decisionitem": ("text",),
    "recommendations_answer": ("recommendation_id",),
    "recommendations_measure": ("description",),
    "recommendations_measure_recommendations": ("recommendation_id",),
    "recommendations_followup": ("recommendation_id",),
}

LONG_TEXT = 160


@dataclass
class Change:
    field: str
    before: str
    after: str
    long: bool


@dataclass
class Entry:
    event: HistoryEvent
    occurred_at: datetime.datetime
    kind: str
    subject: str
    who: str
    where: str
    changes: list[Change] = field(default_factory=list)


def _models_by_table() -> dict[str, type[models.Model]]:
    return {model._meta.db_table: model for model in tracked_models()}


def _columns(model: type[models.Model]) -> dict[str, models.Field]:
    return {f.column: f for f in model._meta.concrete_fields if not f.generated}


def _short(obj: models.Model) -> str:
    if isinstance(obj, AuditQuestion):
        return Truncator(obj.text).chars(80)
    if isinstance(obj, Response):
        return obj.body.name
    if isinstance(obj, Recommendation):
        return f"{obj.number}. {Truncator(obj.text).chars(70)}"
    return Truncator(str(obj)).chars(80)


class Resolver:
    """Names for the rows that events point at, fetched in one query per model."""

    def __init__(self, entries: Iterable[tuple[type[models.Model], dict[str, Any]]]) -> None:
        wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        for model, data in entries:
            for column, f in _columns(model).items():
                if f.is_relation and data.get(column) is not None:
                    wanted[f.related_model].add(data[column])
        self.names: dict[tuple[type[models.Model], Any], str] = {}
        for related, pks in wanted.items():
            rows = related._base_manager.all()
            if related is Response:
                # _short names a response by its body.
                rows = rows.select_related("body")
            for pk, obj in rows.in_bulk(list(pks)).items():
                self.names[(related, pk)] = _short(obj)

    def name(self, related: type[models.Model], pk: Any) -> str:
        return self.names.get((related, pk)) or _("#%(id)s (removed)") % {"id": pk}


def show(f: models.Field, value: Any, resolver: Resolver) -> str:
    if value is None or value == "":
        return _("(empty)")
    if f.is_relation:
        return resolver.name(f.related_model, value)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(f, models.DateTimeField):
        moment = parse_datetime(str(value))
        if moment is not None:
            return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    return str(value)


def _who(event: HistoryEvent, users: dict[int, Any]) -> str:
    if event.user_id is not None:
        user = users.get(event.user_id)
        return str(user) if user is not None else _("user #%(id)s") % {"id": event.user_id}
    details = event.context or {}
    if details.get("command"):
        return _("the command %(name)s") % {"name": details["command"]}
    if details.get("task"):
        return _("the background task %(name)s") % {"name": details["task"]}
    if event.db_user:
        return _("directly in the database (as %(role)s)") % {"role": event.db_user}
    return _("outside the application")


def _subject(model: type[models.Model], data: dict[str, Any], resolver: Resolver) -> str:
    columns = _columns(model)
    for column in LABELS.get(model._meta.db_table, ()):
        value = data.get(column)
        if value not in (None, ""):
            return Truncator(show(columns[column], value, resolver)).chars(90)
    return ""


def _changes(model: type[models.Model], event: HistoryEvent, resolver: Resolver) -> list[Change]:
    before, after = event.before or {}, event.after or {}
    changes = []
    for column, f in _columns(model).items():
        if column in NOISE_COLUMNS or f.primary_key:
            continue
        old, new = before.get(column), after.get(column)
        if old == new:
            continue
        old_text, new_text = show(f, old, resolver), show(f, new, resolver)
        long = max(len(old_text), len(new_text)) > LONG_TEXT or "\n" in old_text + new_text
        changes.append(Change(str(f.verbose_name).capitalize(), old_text, new_text, long))
    return changes


def describe(events: Sequence[HistoryEvent]) -> list[Entry]:
    by_table = _models_by_table()
    known = [e for e in events if e.table_name in by_table]
    resolver = Resolver(
        (by_table[e.table_name], data)
        for e in known
        for data in (e.before, e.after)
        if data is not None
    )
    user_ids = {e.user_id for e in known if e.user_id is not None}
    users = get_user_model()._base_manager.in_bulk(list(user_ids)) if user_ids else {}
    entries = []
    for event in known:
        model = by_table[event.table_name]
        details = event.context or {}
        where = " ".join(p for p in (details.get("method"), details.get("path")) if p)
        entries.append(
            Entry(
                event=event,
                occurred_at=timezone.localtime(event.occurred_at),
                kind=str(KINDS.get(event.table_name, model._meta.verbose_name)),
                subject=_subject(model, event.after or event.before or {}, resolver),
                who=_who(event, users),
                where=where,
                changes=_changes(model, event, resolver) if event.action == "update" else [],
            )
        )
    return entries
