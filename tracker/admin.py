"""Admin pieces the apps share: the change history (to read, never to change; the
database refuses too) and optimistic locking for versioned records."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy

from .history.models import HistoryEvent
from .versioning import EditConflict


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


class VersionedAdmin(admin.ModelAdmin):
    """Optimistic locking in the admin, as in the app's own forms (tracker/versioning.py):
    the change form carries the version it was opened with, and a save over someone
    else's newer save is refused with a message instead of overwriting it."""

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm]:
        if obj is not None:
            kwargs["form"] = _with_opened_version(kwargs.get("form", self.form))
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and OPENED not in flatten_fieldsets(fieldsets):
            fieldsets.append((None, {"fields": (OPENED,)}))
        return fieldsets

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        opened = form.cleaned_data.get(OPENED) if change else None
        obj.save(expected_version=opened)

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().changeform_view(request, *args, **kwargs)
        except EditConflict:
            # Someone saved between the form's check and this save: nothing was written.
            self.message_user(request, str(STALE), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


OPENED = "opened_version"
STALE = gettext_lazy(
    "Someone else saved this record after you opened it, so your changes were not saved. "
    "Open it again to see their changes, then make yours."
)


def _with_opened_version(form_class: type[forms.ModelForm]) -> type[forms.ModelForm]:
    class OpenedVersionForm(form_class):
        opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if self.instance.pk is not None:
                self.fields[OPENED].initial = self.instance.version

        def clean(self) -> dict[str, Any]:
            cleaned = super().clean()
            opened = cleaned.get(OPENED)
            current = (
                type(self.instance)
                ._base_manager.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if opened is not None and current is not None and opened != current:
                raise forms.ValidationError(STALE, code="stale")
            return cleaned

    OpenedVersionForm.__name__ = form_class.__name__
    return OpenedVersionForm
