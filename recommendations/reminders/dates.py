"""Date arithmetic the ORM lacks, written for both databases we run on."""

from __future__ import annotations

import datetime

from django.db.models import DateField, Func, IntegerField, Value


class DaysBetween(Func):
    """Whole days from a date column to a given day: positive when the day is later."""

    output_field = IntegerField()

    def __init__(self, field: str, day: datetime.date) -> None:
        super().__init__(Value(day, output_field=DateField()), field)

    def as_postgresql(self, compiler, connection, **extra):  # type: ignore[no-untyped-def]
        # date - date is an integer number of days in PostgreSQL.
        return self.as_sql(
            compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra
        )

    def as_sqlite(self, compiler, connection, **extra):  # type: ignore[no-untyped-def]
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )
