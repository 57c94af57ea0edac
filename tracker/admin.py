"""The change history in the admin: to read, never to change (the database refuses too)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .history.models import HistoryEvent


@admin.register(HistoryEvent)
class HistoryEventAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "table_name", "object_pk", "action", "user", "audit_id")
    list_filter = ("action", "table_name")
    list_select_related = ("user",)
    date_hierarchy = "occurred_at"
    # An exact row: `?object_pk=12&table_name=audits_assessment`; no full-text search of JSON.
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
