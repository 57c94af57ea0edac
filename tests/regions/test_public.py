"""The public page: no sign-in, only regions that opted in, only issued audits, no names."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from audits.models import Audit, AuditTeamMember
from recommendations.models import Measure
from regions.models import Membership

from ..web import member, text

PDF = b"%PDF-1.7\n% published report\n"


@pytest.fixture
def published(region, issued_audit, recommendation, response, board):
    region.public_page = True
    region.save()
    auditor = member(region, Membership.Role.AUDITOR, username="anna.lind")
    issued_audit.responsible_auditor = auditor
    issued_audit.save()
    AuditTeamMember.objects.create(audit=issued_audit, name="Kim Konsult", title="Revisor")
    Measure.objects.create(
        response=response,
        description="Inför mål.",
        responsible="Hälso- och sjukvårdsdirektör Eva Ek",
        original_due_date="2022-06-01",
    )
    return issued_audit


def test_an_opted_in_region_shows_issued_audits_and_recommendation_status(
    published, recommendation, region, scale
):
    draft = Audit.objects.create(
        region=region, title="Hemligt utkast om vården", year=2026, rating_scale=scale
    )
    page = Client().get(reverse("public-region", args=[region.code]))
    assert page.status_code == 200
    html = text(page)
    assert published.title in html
    assert recommendation.text in html
    assert recommendation.get_status_display() in html
    assert draft.title not in html
    # Names of people never appear: not the auditor, the team, nor measure owners.
    for name in ("Anna", "anna.lind", "Kim Konsult", "Eva Ek", "Inför mål."):
        assert name not in html
    assert page["Cache-Control"].startswith("public") or "public" in page["Cache-Control"]


def test_a_region_that_has_not_opted_in_has_no_public_page(region, issued_audit):
    assert Client().get(reverse("public-region", args=[region.code])).status_code == 404
    assert region.name not in text(Client().get(reverse("public-index")))


def test_the_published_report_is_downloadable_without_sign_in(published, region):
    name = published.report_file.storage.save("audits/reports/public.pdf", ContentFile(PDF))
    Audit.objects.filter(pk=published.pk).update(report_file=name)
    url = reverse("public-report", args=[region.code, published.pk])
    assert url in text(Client().get(reverse("public-region", args=[region.code])))
    download = Client().get(url)
    assert b"".join(download.streaming_content) == PDF


def test_a_drafts_report_is_not_downloadable(region, audit, scale):
    region.public_page = True
    region.save()
    name = audit.report_file.storage.save("audits/reports/draft.pdf", ContentFile(PDF))
    Audit.objects.filter(pk=audit.pk).update(report_file=name)
    url = reverse("public-report", args=[region.code, audit.pk])
    assert Client().get(url).status_code == 404


def test_the_index_lists_only_regions_that_publish(published, region, other_region):
    html = text(Client().get(reverse("public-index")))
    assert region.name in html
    assert other_region.name not in html


def test_the_public_page_costs_the_same_queries_for_many_audits(
    published, region, scale, board, django_assert_max_num_queries
):
    for n in range(10):
        audit = Audit.objects.create(
            region=region,
            title=f"Granskning {n}",
            year=2024,
            rating_scale=scale,
            status=Audit.Status.ISSUED,
            issued_date="2024-05-01",
            response_deadline="2024-08-01",
        )
        audit.audited_bodies.add(board)
        audit.recommendations.create(body=board, number=1, text=f"Rekommendation {n}.")
    with django_assert_max_num_queries(6):
        assert Client().get(reverse("public-region", args=[region.code])).status_code == 200
