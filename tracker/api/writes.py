"""Writes go through the pages' own forms and services, so the API checks exactly what
the pages check. A request's JSON, once its types are checked by a serializer, is
turned into what the form would submit: the saved values, with the request's changes."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from .errors import form_errors

# The largest id a database column holds (PostgreSQL bigint, SQLite integer).
MAX_ID = 2**63 - 1


def id_field(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def not_found(value: int) -> ValidationError:
    """A referenced row the user may not see, worded as DRF words it."""
    message = serializers.PrimaryKeyRelatedField.default_error_messages["does_not_exist"]
    return ValidationError([message.format(pk_value=value)])


def _form_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | models.QuerySet):
        return [_form_value(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def bound_form(
    form_class: type[forms.BaseForm],
    changes: dict[str, Any],
    **kwargs: Any,
) -> forms.BaseForm:
    """The form as the page would submit it: each field's saved value, or the change.

    A change to a field the form does not offer (the promised date of a saved measure,
    the status of one marked done) is refused, not silently dropped.
    """
    unbound = form_class(**kwargs)
    refused = {name: [_("This field cannot be changed.")] for name in changes}
    data: dict[str, Any] = {}
    for name, field in unbound.fields.items():
        if isinstance(field, forms.FileField):
            continue  # a stored document stays; the API does not upload
        if name in changes:
            refused.pop(name)
            data[name] = _form_value(changes[name])
        else:
            data[name] = _form_value(unbound[name].value())
    if refused:
        raise ValidationError(refused)
    return form_class(data, **kwargs)


def valid(form: forms.BaseForm) -> forms.BaseForm:
    """The form, or a 400 with its errors field by field."""
    if not form.is_valid():
        raise ValidationError(form_errors(form))
    return form


def required_version(data: dict[str, Any]) -> int:
    """Updates must say which version they were made on (optimistic locking)."""
    if data.get("version") is None:
        raise ValidationError({"version": [serializers.Field.default_error_messages["required"]]})
    return data["version"]
