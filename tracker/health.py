"""Health endpoint for the compose healthchecks and load balancers.

The web process is only useful if it reaches the database and the Celery broker (exports
and reminders are queued there), so both are checked; 503 if either does not answer.
"""

from __future__ import annotations

import logging

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

# A healthcheck that hangs is worse than one that fails: compose gives it 5 seconds.
BROKER_TIMEOUT_SECONDS = 2


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return "error"
    return "ok"


def _broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        # The demo runs tasks in-process and has no broker at all.
        return "not used"
    try:
        client = redis.Redis.from_url(
            settings.CELERY_BROKER_URL,
            socket_connect_timeout=BROKER_TIMEOUT_SECONDS,
            socket_timeout=BROKER_TIMEOUT_SECONDS,
        )
        try:
            client.ping()
        finally:
            client.close()
    except (redis.RedisError, OSError, ValueError):
        # ValueError: a broker URL the Redis client cannot parse.
        logger.exception("Health check: the broker does not answer")
        return "error"
    return "ok"


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database(), "broker": _broker()}
    healthy = all(state in {"ok", "not used"} for state in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)
