"""The change history of an audit, or of one recommendation, response or measure in it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tracker.history.describe import describe
from tracker.history.queries import ITEM_KINDS, item_events

from .common import audit_url, get_audit

PAGE = 100


def _item(request: HttpRequest) -> tuple[str, int] | None:
    """`?item=recommendation-12` narrows the page to one item; anything else is a 404."""
    raw = request.GET.get("item", "")
    if not raw:
        return None
    kind, _sep, pk = raw.partition("-")
    if kind not in ITEM_KINDS or not pk.isdigit() or len(pk) > 18:
        raise Http404
    return kind, int(pk)


def _older_than(request: HttpRequest) -> int | None:
    raw = request.GET.get("before", "")
    if raw.isdigit() and len(raw) <= 18:
        return int(raw)
    return None


@require_GET
@login_required
def audit_history(request: HttpRequest, pk: int) -> HttpResponse:
    audit, scope = get_audit(request, pk)
    events = scope.history(audit)
    item = _item(request)
    if item is not None:
        events = events.filter(item_events(*item))
    before = _older_than(request)
    if before is not None:
        events = events.filter(id__lt=before)
    page = list(events.select_related(None).order_by("-id")[: PAGE + 1])
    more = len(page) > PAGE
    entries = describe(page[:PAGE])
    return render(
        request,
        "audits/history.html",
        {
            "audit": audit,
            "entries": entries,
            "item": f"{item[0]}-{item[1]}" if item else "",
            "older": entries[-1].event.id if more and entries else None,
            "back_url": audit_url(audit),
            "title": _("Change history: %(audit)s") % {"audit": audit.title},
        },
    )
