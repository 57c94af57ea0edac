"""History without triggers: on databases other than PostgreSQL, signals record what
the ORM sees (saves, deletes, many-to-many links). Bulk updates and raw SQL pass
unseen there; PostgreSQL's triggers (postgres.py) catch those too."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from django.db import connections, models
from django.db.models.fields.files import FieldFile
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from .context import current
from .models import HistoryEvent
from .tracked import NOISE_COLUMNS, Tracked, audit_id_of, tracked_models


def _json_value(value: Any) -> Any:
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    return {
        field.column: _json_value(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
        if not field.generated
    }


def _quiet(data: dict[str, Any] | None) -> dict[str, Any]:
    return {k: v for k, v in (data or {}).items() if k not in NOISE_COLUMNS}


def _uses_signals(using: str) -> bool:
    return connections[using].vendor != "postgresql"


def record(
    instance: models.Model,
    entry: Tracked,
    action: str,
    *,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    using: str,
) -> None:
    details = dict(current() or {})
    HistoryEvent.objects.using(using).create(
        table_name=instance._meta.db_table,
        object_pk=instance.pk,
        action=action,
        before=before,
        after=after,
        audit_id=audit_id_of(instance, entry.path),
        user_id=details.pop("user", None),
        context=details,
    )


class Recorder:
    def __init__(self) -> None:
        self.tracked: dict[type[models.Model], Tracked] = {}

    def connect(self) -> None:
        self.tracked = tracked_models()
        pre_save.connect(self.before_save, dispatch_uid="tracker.history.pre_save")
        post_save.connect(self.after_save, dispatch_uid="tracker.history.post_save")
        post_delete.connect(self.after_delete, dispatch_uid="tracker.history.post_delete")
        m2m_changed.connect(self.links_changed, dispatch_uid="tracker.history.m2m")

    def before_save(self, sender: type, instance: models.Model, raw: bool, using: str, **kw):
        if sender not in self.tracked or not _uses_signals(using) or instance._state.adding:
            return
        old = sender._base_manager.using(using).filter(pk=instance.pk).first()
        instance._history_before = snapshot(old) if old is not None else None

    def after_save(self, sender: type, instance: models.Model, created: bool, using: str, **kw):
        entry = self.tracked.get(sender)
        if entry is None or not _uses_signals(using):
            return
        after = snapshot(instance)
        before = None if created else instance.__dict__.pop("_history_before", None)
        if not created and before is not None and _quiet(before) == _quiet(after):
            return
        action = "insert" if created or before is None else "update"
        record(instance, entry, action, before=before, after=after, using=using)

    def after_delete(self, sender: type, instance: models.Model, using: str, **kw) -> None:
        entry = self.tracked.get(sender)
        if entry is None or not _uses_signals(using):
            return
        record(instance, entry, "delete", before=snapshot(instance), after=None, using=using)

    def links_changed(
        self,
        sender: type,
        instance: models.Model,
        action: str,
        model: type,
        pk_set: set[Any] | None,
        using: str,
        **kw: Any,
    ) -> None:
        entry = self.tracked.get(sender)
        if entry is None or not _uses_signals(using):
            return
        if action in ("pre_remove", "pre_clear"):
            instance.__dict__.setdefault("_history_unlinking", {})[sender] = _links(
                sender, instance, pk_set, using
            )
        elif action in ("post_remove", "post_clear"):
            for link in instance.__dict__.get("_history_unlinking", {}).pop(sender, []):
                record(link, entry, "delete", before=snapshot(link), after=None, using=using)
        elif action == "post_add":
            for link in _links(sender, instance, pk_set, using):
                record(link, entry, "insert", before=None, after=snapshot(link), using=using)


def _links(
    through: type[models.Model], instance: models.Model, pk_set: set[Any] | None, using: str
) -> list[models.Model]:
    own, other = (
        field for field in through._meta.concrete_fields if isinstance(field, models.ForeignKey)
    )
    if own.related_model is not instance._meta.concrete_model:
        own, other = other, own
    rows = through._base_manager.using(using).filter(**{own.attname: instance.pk})
    if pk_set is not None:
        rows = rows.filter(**{f"{other.attname}__in": pk_set})
    return list(rows)


_recorder = Recorder()


def connect() -> None:
    _recorder.connect()
