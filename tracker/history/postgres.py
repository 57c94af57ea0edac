"""The PostgreSQL triggers that write the history and keep it append-only.

One trigger function per tracked table, generated from tracked.py; a migration
installs them (and again whenever the tracked tables change). The event table itself
gets a trigger that refuses UPDATE and DELETE, whoever asks.
"""

from __future__ import annotations

from django.apps.registry import Apps
from django.db import models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from .tracked import NOISE_COLUMNS, TRACKED

EVENTS = "tracker_historyevent"
REFUSE = "tracker_history_refuse_change"


def _audit_expression(model: type[models.Model], path: tuple[str, ...], row: str) -> str:
    """SQL for the audit id of `row` (a record variable or table alias)."""
    if not path:
        return f"{row}.id"
    field = model._meta.get_field(path[0])
    if len(path) == 1:
        return f"{row}.{field.column}"
    related = field.related_model
    alias = f"t{len(path)}"
    inner = _audit_expression(related, path[1:], alias)
    # Table and column names come from the models, never from input.
    table, column = related._meta.db_table, field.column
    return f"(SELECT {inner} FROM {table} {alias} WHERE {alias}.id = {row}.{column})"  # noqa: S608


def _function_name(table: str) -> str:
    return f"tracker_history_{table}"[:63]


def _record_function(model: type[models.Model], path: tuple[str, ...]) -> str:
    table = model._meta.db_table
    noise = " - ".join(f"'{column}'" for column in NOISE_COLUMNS)
    # Table and column names come from the models, never from input.
    return f"""
CREATE OR REPLACE FUNCTION {_function_name(table)}() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    rec record;
    old_data jsonb;
    new_data jsonb;
    details jsonb;
BEGIN
    IF TG_OP = 'DELETE' THEN
        rec := OLD;
        old_data := to_jsonb(OLD);
    ELSE
        rec := NEW;
        new_data := to_jsonb(NEW);
        IF TG_OP = 'UPDATE' THEN
            old_data := to_jsonb(OLD);
            IF old_data - {noise} = new_data - {noise} THEN
                RETURN NULL;
            END IF;
        END IF;
    END IF;
    details := coalesce(
        nullif(current_setting('tracker.history_context', true), ''), '{{}}'
    )::jsonb;
    INSERT INTO {EVENTS}
        (occurred_at, table_name, object_pk, action, before, after, audit_id, user_id,
         context, db_user)
    VALUES
        (now(), TG_TABLE_NAME, rec.id, lower(TG_OP), old_data, new_data,
         {_audit_expression(model, path, "rec")}, (details ->> 'user')::bigint,
         details - 'user', session_user);
    RETURN NULL;
END;
$$;
DROP TRIGGER IF EXISTS tracker_history ON {table};
CREATE TRIGGER tracker_history AFTER INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {_function_name(table)}();
"""  # noqa: S608


PROTECT = f"""
CREATE OR REPLACE FUNCTION {REFUSE}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'History events cannot be changed or deleted (% on %)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
DROP TRIGGER IF EXISTS tracker_history_append_only ON {EVENTS};
CREATE TRIGGER tracker_history_append_only BEFORE UPDATE OR DELETE ON {EVENTS}
    FOR EACH ROW EXECUTE FUNCTION {REFUSE}();
"""


def install(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(PROTECT, params=None)
    for entry in TRACKED:
        schema_editor.execute(_record_function(entry.model_class(apps), entry.path), params=None)


def uninstall(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for entry in TRACKED:
        table = entry.model_class(apps)._meta.db_table
        schema_editor.execute(f"DROP TRIGGER IF EXISTS tracker_history ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {_function_name(table)}()")
    schema_editor.execute(f"DROP TRIGGER IF EXISTS tracker_history_append_only ON {EVENTS}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {REFUSE}()")
