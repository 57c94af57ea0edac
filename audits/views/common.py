"""What the audit pages share: loading through the scope, and the page's data."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse

from recommendations.models import Recommendation, Response
from regions.access import Scope, scope_for

from ..models import Audit, AuditQuestion, Observation


def get_audit(request: HttpRequest, pk: int) -> tuple[Audit, Scope]:
    """The audit if the user may see it (404 otherwise), with the user's scope."""
    scope = scope_for(request.user)
    audit = get_object_or_404(
        scope.audits().select_related(
            "region", "rating_scale", "question_set", "follows_up", "responsible_auditor"
        ),
        pk=pk,
    )
    return audit, scope


def get_editable_audit(request: HttpRequest, pk: int) -> Audit:
    audit, scope = get_audit(request, pk)
    if not scope.can_edit_audit(audit):
        raise PermissionDenied
    return audit


def get_editable_question(request: HttpRequest, pk: int) -> AuditQuestion:
    scope = scope_for(request.user)
    question = get_object_or_404(
        scope.questions().select_related("audit__region", "audit__rating_scale", "parent"), pk=pk
    )
    if not scope.can_edit_audit(question.audit):
        raise PermissionDenied
    return question


def get_editable_observation(request: HttpRequest, pk: int) -> Observation:
    scope = scope_for(request.user)
    observation = get_object_or_404(
        Observation.objects.filter(question__in=scope.questions()).select_related(
            "question__audit", "question__parent"
        ),
        pk=pk,
    )
    if not scope.can_edit_audit(observation.question.audit):
        raise PermissionDenied
    return observation


def audit_url(audit: Audit, anchor: str = "") -> str:
    url = reverse("audit-detail", args=[audit.pk])
    return f"{url}#{anchor}" if anchor else url


def recommendations_of(audit: Audit) -> list[Recommendation]:
    return list(audit.recommendations.select_related("body").prefetch_related("questions__parent"))


def responses_of(audit: Audit, scope: Scope) -> list[dict[str, object]]:
    """Each body the report went to, with its response if the user may see it."""
    visible = {r.body_id: r for r in scope.responses().filter(audit=audit)}
    # Whether a body has answered is shown to all who see the audit; the answer itself
    # only to those the scope lets read it.
    answered = set(Response.objects.filter(audit=audit).values_list("body_id", flat=True))
    return [
        {
            "body": body,
            "response": visible.get(body.pk),
            "has_response": body.pk in answered,
            "can_respond": scope.can_respond(audit, body),
        }
        for body in audit.audited_bodies.order_by("name")
    ]
