"""Loading recommendations, responses and measures through the user's scope."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from regions.access import Scope, scope_for

from ..models import Measure, Recommendation, Response


def get_recommendation(request: HttpRequest, pk: int) -> tuple[Recommendation, Scope]:
    scope = scope_for(request.user)
    recommendation = get_object_or_404(
        scope.recommendations().select_related("audit__region", "body"), pk=pk
    )
    return recommendation, scope


def get_editable_recommendation(request: HttpRequest, pk: int) -> Recommendation:
    recommendation, scope = get_recommendation(request, pk)
    if not scope.can_edit_audit(recommendation.audit):
        raise PermissionDenied
    return recommendation


def get_response(request: HttpRequest, pk: int) -> tuple[Response, Scope]:
    scope = scope_for(request.user)
    response = get_object_or_404(scope.responses().select_related("audit__region", "body"), pk=pk)
    return response, scope


def get_editable_measure(request: HttpRequest, pk: int) -> Measure:
    scope = scope_for(request.user)
    measure = get_object_or_404(
        scope.measures().select_related("response__audit__region", "response__body"), pk=pk
    )
    if not scope.can_edit_measure(measure):
        raise PermissionDenied
    return measure
