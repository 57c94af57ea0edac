"""The start page: what each role should look at first."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from audits.models import Audit
from recommendations.reminders.queries import awaited_pairs
from regions.access import Scope, scope_for


def _audit_side(scope: Scope, today: datetime.date) -> dict[str, object]:
    soon = today + datetime.timedelta(days=settings.TRACKER["DUE_SOON_DAYS"])
    audits = scope.audits().filter(region__in=scope.audit_regions)
    counts = dict(audits.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    by_status = [(status, label, counts.get(status, 0)) for status, label in Audit.Status.choices]
    # Bodies that were sent a report and have not answered, deadline soon or passed.
    awaited = list(
        awaited_pairs()
        .filter(audit__in=audits, audit__response_deadline__lte=soon)
        .select_related("audit__region", "body")
        .order_by("audit__response_deadline", "audit__title")
    )
    follow_ups = list(
        scope.recommendations()
        .filter(audit__region__in=scope.audit_regions)
        .follow_up_due(soon)
        .select_related("audit", "body")
        .order_by("follow_up_base", "audit__title", "number")[:50]
    )
    active = list(
        audits.exclude(status=Audit.Status.CLOSED)
        .select_related("region")
        .order_by("status", "-year", "title")[:50]
    )
    return {
        "by_status": by_status,
        "awaited": awaited,
        "follow_ups_due": follow_ups,
        "active_audits": active,
    }


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a signed-in user keeps it for the next visit and
    for the e-mails the tracker sends them."""
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and language in dict(settings.LANGUAGES) and language != user.language:
        user.language = language
        user.save(update_fields=["language"])
    return django_set_language(request)


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    today = timezone.localdate()
    context: dict[str, object] = {
        "memberships": request.user.memberships.select_related("region").order_by(
            "region__name", "role"
        ),
        "today": today,
    }
    if scope.is_audit_side:
        context.update(_audit_side(scope, today))
    if scope.is_secretary:
        context["inbox_count"] = (
            scope.recommendations()
            .awaiting_response()
            .filter(body__in=scope.secretary_bodies)
            .count()
        )
    if scope.reader_regions or scope.is_secretary:
        context["issued_audits"] = list(
            scope.audits()
            .exclude(region__in=scope.audit_regions)
            .select_related("region")
            .order_by("-issued_date", "title")[:20]
        )
    return render(request, "home.html", context)
