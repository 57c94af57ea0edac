"""Health endpoint for the compose healthchecks and load balancers."""

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        database = "error"
    status = 200 if database == "ok" else 503
    return JsonResponse({"database": database}, status=status)
