"""Form building blocks shared by every page: rendering, ISO dates, optimistic locking."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.forms.renderers import TemplatesSetting
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .versioning import EditConflict


def parse_id(raw: object) -> int | None:
    """A database id from user input, or None ("²".isdigit() is true, int("²") fails)."""
    text = str(raw or "")
    if not (text.isascii() and text.isdecimal()) or len(text) > 18:
        return None
    return int(text)


class FormRenderer(TemplatesSetting):
    # Label, help text and errors next to each field, linked by aria-describedby.
    field_template_name = "forms/field.html"


class IsoDateInput(forms.DateInput):
    """A text box for dates written as 2022-09-15 in every language.

    Browsers' date pickers show the date in the browser's own locale (09/15/2022 in
    English); our users read and write ISO dates, so the field says so plainly.
    """

    input_type = "text"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        defaults = {
            "inputmode": "numeric",
            "autocomplete": "off",
            "pattern": r"\d{4}-\d{2}-\d{2}",
            "size": "10",
            "maxlength": "10",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%Y-%m-%d")


# The years audits can have (regions.models.YEAR_VALIDATORS). A date far outside them is a
# typo, and one at the end of the calendar breaks date arithmetic (9999-12-31 has no next
# day for the calendar feed's all-day event).
EARLIEST_DATE = datetime.date(1990, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)


def validate_date_range(value: datetime.date | None) -> None:
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            _("Enter a date between %(earliest)s and %(latest)s."),
            code="date_range",
            params={"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()},
        )


class IsoDateField(forms.DateField):
    widget = IsoDateInput
    default_error_messages = {"invalid": _("Enter a date as YYYY-MM-DD, e.g. 2022-09-15.")}
    default_validators = [validate_date_range]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("YYYY-MM-DD"))
        super().__init__(input_formats=["%Y-%m-%d"], **kwargs)


def iso_date_fields(model_form_class: type[forms.ModelForm]) -> None:
    """Make every date field of a model form an ISO text box (call after the class)."""
    for field in model_form_class.base_fields.values():
        if isinstance(field, forms.DateField) and not isinstance(field, IsoDateField):
            field.widget = IsoDateInput()
            field.input_formats = ["%Y-%m-%d"]
            field.error_messages["invalid"] = IsoDateField.default_error_messages["invalid"]
            field.validators.append(validate_date_range)
            if not field.help_text:
                field.help_text = _("YYYY-MM-DD")


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Ticked boxes of database rows. A value that cannot be an id is refused before the
    query (SQLite cannot bind an integer beyond 2**63 - 1 and raises instead)."""

    def _check_values(self, value: Any) -> models.QuerySet:
        for pk in value:
            self.validate_no_null_characters(pk)
            if parse_id(pk) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class VersionedForm(forms.ModelForm):
    """A model form that carries the version it was opened with.

    The view saves with `save_versioned()`; a stale version raises EditConflict and
    the page shows both versions instead of overwriting.
    """

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        min_value=0,
        max_value=2**31 - 1,
        error_messages={
            "invalid": _("The form is incomplete. Reload the page and try again."),
            "min_value": _("The form is incomplete. Reload the page and try again."),
            "max_value": _("The form is incomplete. Reload the page and try again."),
        },
    )
    conflict_deleted = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["version"].initial = self.instance.version

    def expected_version(self) -> int | None:
        """The version the editor saw. A row that exists while the form carries no version
        was created by someone else after this form was opened: that is a conflict too."""
        version = self.cleaned_data.get("version")
        if self.instance.pk is not None and version is None:
            model = type(self.instance)
            raise EditConflict(model._default_manager.filter(pk=self.instance.pk).first())
        return version

    def save_versioned(self) -> models.Model:
        """Save, or raise EditConflict if the row changed since the form was opened."""
        obj = self.save(commit=False)
        obj.save(expected_version=self.expected_version())
        self.save_m2m()
        return obj

    def take_conflict(self, current: models.Model | None) -> list[ConflictRow]:
        """Both versions for the conflict screen; a second save then overwrites knowingly."""
        rows = conflict_rows(self, current)
        self.conflict_deleted = current is None
        if current is not None:
            data = self.data.copy()
            data[self.add_prefix("version")] = str(current.version)
            self.data = data
            self.instance = current
        return rows


@dataclass
class ConflictRow:
    label: str
    theirs: str
    yours: str

    @property
    def differs(self) -> bool:
        return self.theirs != self.yours


def _display(field: forms.Field, value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, models.QuerySet | list | tuple | set):
        return ", ".join(str(v) for v in value) or "–"
    if isinstance(value, datetime.date):
        return date_format(value, "Y-m-d")
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    choices = dict(getattr(field, "choices", ()) or ())
    if value in choices:
        return str(choices[value])
    return str(value)


def conflict_rows(form: forms.ModelForm, current: models.Model | None) -> list[ConflictRow]:
    """The saved version next to the one the user tried to save, field by field."""
    rows = []
    for name, field in form.fields.items():
        if name == "version" or field.widget.is_hidden:
            continue
        yours = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
        theirs: Any = None
        if current is not None:
            try:
                model_field = current._meta.get_field(name)
            except FieldDoesNotExist:  # a form-only field has no saved value
                model_field = None
            if isinstance(model_field, models.ManyToManyField):
                theirs = list(getattr(current, name).all())
                yours = list(yours or [])
            elif model_field is not None:
                theirs = getattr(current, name)
        rows.append(ConflictRow(str(field.label), _display(field, theirs), _display(field, yours)))
    return rows


class DocumentInput(forms.ClearableFileInput):
    """A file field for PDF or Word documents. The stored file is named, not linked:
    uploads have no public URL; pages link to the view that checks access instead."""

    template_name = "forms/widgets/document_input.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        accept = (
            ".pdf,.docx,application/pdf,"
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
        super().__init__({"accept": accept, **(attrs or {})})

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        stored = getattr(value, "name", "") or ""
        context["widget"]["filename"] = stored.rsplit("/", 1)[-1]
        return context
