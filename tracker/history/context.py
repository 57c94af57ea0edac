"""Who and where a change comes from, handed to the database triggers.

A request, command or task runs inside `history_context(...)`. On PostgreSQL, before
each writing statement the context is put in the session setting the triggers read
(`tracker.history_context`) and cleared again when the context ends, so a pooled
connection never lends one request's user to the next. Other databases read it in
the signal handlers (see orm.py).
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Callable, Iterator
from contextvars import ContextVar, Token
from typing import Any

from django.db import DatabaseError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse

from tracker.login_throttle import client_ip

SETTING = "tracker.history_context"
_WRITES = ("insert", "update", "delete", "merge", "with")

Source = Callable[[], dict[str, Any]]
_current: ContextVar[Source | None] = ContextVar("history_context", default=None)


def current() -> dict[str, Any] | None:
    source = _current.get()
    return source() if source is not None else None


@contextlib.contextmanager
def history_context(source: Source | None = None, **fixed: Any) -> Iterator[None]:
    """Attribute the changes made inside to a user and a place. `source` is called at
    the first write, so a request's user is looked up only when something changes."""

    token = enter(source, **fixed)
    try:
        yield
    finally:
        leave(token)


def enter(source: Source | None = None, **fixed: Any) -> Token[Source | None]:
    """The two halves of `history_context`, for hooks that start and end in different
    calls (Celery's task signals)."""

    def describe() -> dict[str, Any]:
        return {**fixed, **(source() if source else {})}

    return _current.set(describe)


def leave(token: Token[Source | None]) -> None:
    _current.reset(token)
    for connection in connections.all(initialized_only=True):
        _clear(connection)


def _clear(connection: BaseDatabaseWrapper) -> None:
    if not getattr(connection, "_history_context_set", False):
        return
    connection._history_context_set = False
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, '', false)", [SETTING])
    except DatabaseError:
        # A broken connection is closed and reopened by Django; its settings go with it.
        connection.close()


def _hand_over(execute, sql, params, many, context):
    connection = context["connection"]
    if (
        isinstance(sql, str)
        and sql.lstrip()[:6].lower().startswith(_WRITES)
        and (details := current()) is not None
    ):
        # Set before every write, not once: a rolled-back savepoint undoes the setting.
        with connection.connection.cursor() as raw:
            raw.execute(
                "SELECT set_config(%s, %s, false)",
                [SETTING, json.dumps(details, default=str)],
            )
        connection._history_context_set = True
    return execute(sql, params, many, context)


def _add_wrapper(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if connection.vendor == "postgresql" and _hand_over not in connection.execute_wrappers:
        connection.execute_wrappers.append(_hand_over)


def install() -> None:
    connection_created.connect(_add_wrapper, dispatch_uid="tracker.history.context")
    for connection in connections.all(initialized_only=True):
        _add_wrapper(None, connection)


def request_details(request: HttpRequest, request_id: str) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "user": user.pk if user is not None and user.is_authenticated else None,
        "method": request.method,
        "path": request.path[:300],
        # The client's address as the proxies in front of us report it (one place).
        "ip": client_ip(request) or "",
        "request": request_id,
    }


class HistoryMiddleware:
    """After authentication: every change a request makes names its user and path."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The id the log lines of this request carry (tracker.logs), to find one in the other.
        request_id = getattr(request, "request_id", "") or uuid.uuid4().hex
        with history_context(lambda: request_details(request, request_id)):
            return self.get_response(request)
