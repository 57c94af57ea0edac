"""The public page of a region that opted in: issued audits, their reports and the
status of each recommendation, without sign-in (like the GAO's recommendations
database). Drafts never appear, and neither do names of people: no auditors, team
members, secretaries or persons responsible for measures."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from audits.models import Audit
from recommendations.models import Recommendation
from tracker import uploads

from .access import public_audits, public_regions

# Published information, the same for everyone: proxies may keep it a few minutes.
PUBLIC_CACHE = {"public": True, "max_age": 300}


@require_GET
@cache_control(**PUBLIC_CACHE)
def public_index(request: HttpRequest) -> HttpResponse:
    return render(request, "regions/public_index.html", {"regions": list(public_regions())})


@require_GET
@cache_control(**PUBLIC_CACHE)
def public_region(request: HttpRequest, code: str) -> HttpResponse:
    region = get_object_or_404(public_regions(), code=code)
    recommendations = Recommendation.objects.select_related("body").order_by("number")
    audits = list(
        public_audits(region)
        .prefetch_related(Prefetch("recommendations", queryset=recommendations), "audited_bodies")
        .order_by("-issued_date", "title")
    )
    return render(request, "regions/public_region.html", {"region": region, "audits": audits})


@require_GET
@cache_control(**PUBLIC_CACHE)
def public_report(request: HttpRequest, code: str, pk: int) -> FileResponse:
    region = get_object_or_404(public_regions(), code=code)
    audit: Audit = get_object_or_404(public_audits(region), pk=pk)
    return uploads.serve(audit.report_file)
