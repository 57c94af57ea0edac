"""Structured logs: one JSON object a line, tagged with the request and the user's id.

Logs leave the application (a collector, a support ticket), so a line identifies the user
by database id only: never a username, an e-mail address or an IP address. Who the id
belongs to is looked up, with access control, in the application itself.
"""

from __future__ import annotations

import contextvars
import datetime
import json
import logging
import re
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

_current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "tracker_current_request", default=None
)
# A request id from the proxy is kept if it looks like one; anything else could forge
# log lines or carry personal data, and is replaced by our own.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestContextMiddleware:
    """First in MIDDLEWARE: gives each request an id (echoed as X-Request-ID) and makes
    the request known to the log filter for everything logged while it is handled."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex  # type: ignore[attr-defined]
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _current_request.reset(token)
        response["X-Request-ID"] = request.request_id  # type: ignore[attr-defined]
        return response


def _user_id(request: HttpRequest) -> int | None:
    user = getattr(request, "user", None)
    # A user not yet loaded stays unloaded: logging must not query the database.
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


class RequestContextFilter(logging.Filter):
    """Adds request_id and user_id to every record. Django's own request log lines
    (404s, 500s) are written after the middleware has finished but carry the request."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None) or _current_request.get()
        if isinstance(request, HttpRequest):
            record.request_id = getattr(request, "request_id", None)
            record.user_id = _user_id(request)
        else:
            record.request_id = None
            record.user_id = None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        # Only these two fields come from the request: nothing else of it is written out.
        for field in ("request_id", "user_id"):
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
