"""Optimistic locking: an edit made on an out-of-date copy is refused, never silently saved.

Every save of a versioned row moves its version on with a conditional UPDATE in the
same transaction. A form carries the version it was opened with; saving with
`expected_version` wins only if nobody saved in between, on SQLite and PostgreSQL alike
(the UPDATE ... WHERE version = n is atomic on both, unlike a read-then-compare).
"""

from __future__ import annotations

from typing import Any

from django.db import models, router, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class EditConflict(Exception):
    """Someone saved the row after the editor opened it (current is None if it was deleted)."""

    def __init__(self, current: models.Model | None) -> None:
        super().__init__("The row changed since it was read.")
        self.current = current


class Versioned(models.Model):
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, expected_version: int | None = None, **kwargs: Any) -> None:
        if self._state.adding or self.pk is None:
            super().save(*args, **kwargs)
            return
        manager = type(self)._base_manager
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            rows = manager.using(using).filter(pk=self.pk)
            if expected_version is not None:
                rows = rows.filter(version=expected_version)
            if not rows.update(version=F("version") + 1):
                raise EditConflict(manager.using(using).filter(pk=self.pk).first())
            self.version = (
                manager.using(using).filter(pk=self.pk).values_list("version", flat=True).get()
            )
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version"}
            super().save(*args, **kwargs)
