from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction

from .conftest import sv


def assert_invalid(obj: models.Model, message: str, **clean_kwargs) -> None:
    """full_clean() rejects obj and shows the Swedish translation of message."""
    with pytest.raises(ValidationError) as caught:
        obj.full_clean(**clean_kwargs)
    assert sv(message) in caught.value.messages, caught.value.messages


def assert_db_rejects(obj: models.Model, constraint: str) -> None:
    """The database itself refuses obj, even when model validation is skipped.

    PostgreSQL names the violated constraint; SQLite names CHECK constraints but reports
    a unique violation by its columns.
    """
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        obj.save()
    text = str(caught.value)
    if connection.vendor == "sqlite" and "UNIQUE constraint failed" in text:
        return
    assert constraint in text, text
