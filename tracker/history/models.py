"""One row per change of a tracked row: who, when, from where, before and after."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


class HistoryEventQuerySet(models.QuerySet["HistoryEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableHistory

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableHistory


class ImmutableHistory(Exception):
    def __init__(self) -> None:
        super().__init__("History events cannot be changed or deleted.")


class HistoryEvent(models.Model):
    class Action(models.TextChoices):
        INSERT = "insert", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")

    occurred_at = models.DateTimeField(_("when"), db_default=Now())
    table_name = models.CharField(_("table"), max_length=63)
    object_pk = models.BigIntegerField(_("row"))
    action = models.CharField(_("action"), max_length=6, choices=Action)
    before = models.JSONField(_("before"), null=True)
    after = models.JSONField(_("after"), null=True)
    # The audit the row belongs to, worked out when the event is written, so an audit's
    # history is one indexed lookup even after its rows are gone.
    audit_id = models.BigIntegerField(_("audit"), null=True)
    # No database constraint: removing a user account must not touch the history.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    # Where the change came from: request method and path, or the command or task.
    context = models.JSONField(_("context"), default=dict)
    # The database role that made the change (PostgreSQL only): tells raw SQL apart.
    db_user = models.CharField(_("database user"), max_length=63, blank=True)

    objects = HistoryEventQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("history event")
        verbose_name_plural = _("history events")
        indexes = [
            models.Index(fields=["audit_id", "id"], name="history_by_audit"),
            models.Index(fields=["table_name", "object_pk"], name="history_by_row"),
        ]

    def __str__(self) -> str:
        return f"{self.table_name} {self.object_pk} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableHistory
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableHistory
