"""Which tables keep a history, and how each row leads to its audit.

A path is the chain of foreign keys from a row to its audit: () for the audit itself.
The same path gives the trigger's SQL on PostgreSQL and the lookup on other databases,
so the two record the same audit for an event.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.core.exceptions import ObjectDoesNotExist
from django.db import models


@dataclass(frozen=True)
class Tracked:
    model: str  # "app_label.ModelName", or "app_label.ModelName.m2m_field" for its links
    path: tuple[str, ...]

    def model_class(self, apps: Apps = global_apps) -> type[models.Model]:
        app_label, name, *m2m = self.model.split(".")
        model = apps.get_model(app_label, name)
        if m2m:
            return model._meta.get_field(m2m[0]).remote_field.through
        return model


TRACKED: tuple[Tracked, ...] = (
    Tracked("audits.Audit", ()),
    Tracked("audits.Audit.audited_bodies", ("audit",)),
    Tracked("audits.AuditQuestion", ("audit",)),
    Tracked("audits.Observation", ("question", "audit")),
    Tracked("audits.Assessment", ("question", "audit")),
    Tracked("recommendations.Recommendation", ("audit",)),
    Tracked("recommendations.Recommendation.questions", ("recommendation", "audit")),
    Tracked("recommendations.Response", ("audit",)),
    Tracked("recommendations.DecisionItem", ("response", "audit")),
    Tracked("recommendations.Answer", ("response", "audit")),
    Tracked("recommendations.Measure", ("response", "audit")),
    Tracked("recommendations.Measure.recommendations", ("measure", "response", "audit")),
    Tracked("recommendations.FollowUp", ("recommendation", "audit")),
)

# Saving a versioned row bumps these on every save; a change of nothing else is no event.
NOISE_COLUMNS = ("version", "updated_at")


def tracked_models() -> dict[type[models.Model], Tracked]:
    return {entry.model_class(): entry for entry in TRACKED}


def audit_id_of(instance: models.Model, path: tuple[str, ...]) -> int | None:
    """Follow the path from a row to its audit's id (None if a link is gone)."""
    if not path:
        return instance.pk
    target = instance
    try:
        for name in path[:-1]:
            target = getattr(target, name)
    except ObjectDoesNotExist:
        return None
    return getattr(target, f"{path[-1]}_id", None)
