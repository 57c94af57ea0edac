"""Errors as JSON: {"detail": "..."} or, for invalid input, the fields and their errors.

Besides what DRF handles itself (its own exceptions, Http404, PermissionDenied), a
model's ValidationError raised by a service or a body past DATA_UPLOAD_MAX_MEMORY_SIZE
is a 400, and an edit made on an out-of-date version a 409 that carries the current
representation (`Conflict`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, current: dict[str, Any] | None) -> None:
        super().__init__(
            _(
                "Someone saved this after you read it. Here is the saved version: apply "
                "your change to it and send it again with its version."
            )
        )
        self.current = current


def django_errors(error: DjangoValidationError) -> dict[str, list[str]] | list[str]:
    """A model's or form's ValidationError in DRF's shape."""
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): [str(m) for m in messages]
            for field, messages in error.message_dict.items()
        }
    return {"non_field_errors": [str(message) for message in error.messages]}


def form_errors(form: Any) -> dict[str, list[str]]:
    return {
        ("non_field_errors" if field == "__all__" else field): [str(m) for m in messages]
        for field, messages in form.errors.items()
    }


def handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(django_errors(exc))
    elif isinstance(exc, RequestDataTooBig):
        # Past DATA_UPLOAD_MAX_MEMORY_SIZE: Django would answer with its HTML 400 page.
        exc = ParseError(str(exc))
    response = exception_handler(exc, context)
    if response is not None and isinstance(exc, Conflict):
        response.data = {"detail": response.data["detail"], "current": exc.current}
    return response


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any other address under /api/: a 404 in JSON, like the API's own."""
    return JsonResponse({"detail": _("Not found.")}, status=404)
