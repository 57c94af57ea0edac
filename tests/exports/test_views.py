"""PDF downloads in the browser: who gets which document, and background exports."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audits.exports import DocumentRequest, Kind, jobs
from audits.exports.models import Export
from audits.models import Audit
from regions.models import Body, Membership, Region, User
from tracker.celery import app as celery_app

from ..conftest import sv
from ..web import demo_for_a_module, field_error, grant, signed_in, text
from .pdf import read_pdf

TODAY = timezone.localdate()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_for_a_module(django_db_blocker, TODAY):
        yield


def _as(username: str):
    return signed_in(User.objects.get(username=username))


def _audit(reference: str) -> Audit:
    return Audit.objects.get(reference_number=reference)


def _draft() -> Audit:
    return Audit.objects.get(region__code="norrbotten", status=Audit.Status.ONGOING)


def _pdf_url(audit: Audit, kind: str) -> str:
    return reverse("audit-pdf", args=[audit.pk, kind])


def test_the_audit_page_links_its_documents(demo, db):
    audit = _audit("Nr 11/2021")
    page = _as("revisor.norrbotten").get(reverse("audit-detail", args=[audit.pk]))
    body = Body.objects.get(region=audit.region, name="Regionstyrelsen")
    for url in (
        _pdf_url(audit, "report"),
        f"{_pdf_url(audit, 'cover-letter')}?body={body.pk}",
        _pdf_url(audit, "response"),
        _pdf_url(audit, "comparison"),
    ):
        assert f'href="{url}"' in text(page), url


def test_an_auditor_downloads_the_report_as_an_inline_pdf(demo, db):
    audit = _audit("Nr 11/2021")
    answer = _as("revisor.norrbotten").get(_pdf_url(audit, "report"))
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer["Content-Disposition"] == 'inline; filename="revisionsrapport-Nr-11-2021.pdf"'
    pdf = read_pdf(answer.content)
    assert pdf.title == "Revisionsrapport: Granskning av 1177 – Region Norrbotten"
    assert pdf.pdfa == ("3", "A")


def test_an_english_user_gets_the_pdf_in_english(demo, db):
    user = User.objects.get(username="revisor.norrbotten")
    user.language = "en"
    user.save(update_fields=["language"])
    answer = signed_in(user).get(_pdf_url(_audit("Nr 11/2021"), "report"))
    pdf = read_pdf(answer.content)
    assert pdf.language == "en"
    assert pdf.title.startswith("Audit report: ")


@pytest.mark.parametrize("kind", ["report", "cover-letter", "response", "comparison"])
def test_no_pdf_of_a_draft_to_a_secretary_or_reader_nor_of_another_region(demo, db, kind):
    draft = _draft()
    for username in ("sekreterare.norrbotten", "lasare.norrbotten", "revisor.vasterbotten"):
        assert _as(username).get(_pdf_url(draft, kind)).status_code == 404, username
    other = _audit("REV 2021:7")
    assert _as("revisor.norrbotten").get(_pdf_url(other, kind)).status_code == 404
    # Its own audit side may print the draft (the follow-up audit is addressed to no
    # body yet and is not coordinated, so it has no letter and no comparison).
    expected = 200 if kind in ("report", "response") else 404
    assert _as("revisor.norrbotten").get(_pdf_url(draft, kind)).status_code == expected


def test_issued_documents_reach_readers_and_the_addressed_bodys_secretary(demo, db):
    audit = _audit("Nr 11/2021")
    for username in ("lasare.norrbotten", "sekreterare.norrbotten"):
        answer = _as(username).get(_pdf_url(audit, "report"))
        assert answer.status_code == 200, username


def test_bad_addresses_are_not_found_not_errors(demo, db):
    audit = _audit("Nr 11/2021")
    browser = _as("revisor.norrbotten")
    other_body = Body.objects.get(region__code="vasterbotten", name="Hälso- och sjukvårdsnämnden")
    for url in (
        _pdf_url(audit, "followup"),
        _pdf_url(audit, "nonsense"),
        f"{_pdf_url(audit, 'cover-letter')}?body=abc",
        f"{_pdf_url(audit, 'cover-letter')}?body={other_body.pk}",
        f"{_pdf_url(audit, 'cover-letter')}?body=99999999999999999999",
        reverse("audit-pdf", args=[99999, "report"]),
    ):
        assert browser.get(url).status_code == 404, url
    assert browser.post(_pdf_url(audit, "report")).status_code == 405


def test_the_follow_up_form_offers_the_users_regions_and_checks_its_input(demo, db):
    browser = _as("revisor.norrbotten")
    url = reverse("followup-report")
    form = browser.get(url)
    assert form.status_code == 200
    assert 'value="norrbotten" selected' in text(form)
    assert 'value="vasterbotten"' not in text(form)
    other = browser.get(url, {"region": "vasterbotten"})
    assert other.status_code == 200
    assert field_error(other, "id_region") == sv(
        "Select a valid choice. That choice is not one of the available choices."
    )
    bad_year = browser.get(url, {"region": "norrbotten", "year": "tjugo"})
    assert field_error(bad_year, "id_year") == sv("Enter a whole number.")
    # Beyond any database integer: a clear error, not a crash.
    huge = browser.get(url, {"region": "norrbotten", "body": "99999999999999999999"})
    assert field_error(huge, "id_body") == sv(
        "Select a valid choice. That choice is not one of the available choices."
    )
    body = Body.objects.get(region__code="vasterbotten", name="Hälso- och sjukvårdsnämnden")
    grant(User.objects.get(username="revisor.norrbotten"), body.region, Membership.Role.READER)
    wrong_body = _as("revisor.norrbotten").get(url, {"region": "norrbotten", "body": body.pk})
    assert field_error(wrong_body, "id_body") == "Nämnden hör till en annan region."


def test_a_small_follow_up_report_comes_at_once(demo, db):
    answer = _as("lasare.norrbotten").get(
        reverse("followup-report"), {"region": "norrbotten", "year": "2021"}
    )
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert "Genomförandegrad 25 % (1/4)" in read_pdf(answer.content).text
    assert not Export.objects.exists()


def test_a_large_follow_up_report_renders_in_the_background_with_progress(
    demo, db, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.TRACKER = {**settings.TRACKER, "PDF_INLINE_MAX_RECOMMENDATIONS": 2}
    # The demo's way: the task runs in-process once the request's transaction commits
    # (tests/exports/test_worker.py runs it in a real worker).
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    browser = _as("revisor.norrbotten")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        answer = browser.get(reverse("followup-report"), {"region": "norrbotten"})
    assert len(callbacks) == 1
    export = Export.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("export-status", args=[export.pk])
    assert export.status == Export.Status.DONE
    assert export.progress == 100
    page = browser.get(answer["Location"])
    assert "hx-trigger" not in text(page)
    download = reverse("export-download", args=[export.pk])
    assert f'href="{download}"' in text(page)
    pdf = browser.get(download)
    assert pdf["Content-Type"] == "application/pdf"
    assert read_pdf(pdf.content).title == "Uppföljningsrapport: Region Norrbotten"
    # Only the user who asked may see it.
    other = _as("revisionskontor.norrbotten")
    assert other.get(answer["Location"]).status_code == 404
    assert other.get(download).status_code == 404


def test_a_running_export_shows_its_progress_and_polls(demo, db):
    user = User.objects.get(username="revisor.norrbotten")
    export = Export.objects.create(
        user=user,
        kind="followup",
        params={"kind": "followup", "region": "norrbotten"},
        language="sv",
        status=Export.Status.RUNNING,
        progress=40,
        stage="layout",
    )
    browser = signed_in(user)
    page = text(browser.get(reverse("export-status", args=[export.pk])))
    assert '<progress id="export-progress" max="100" value="40">' in page
    assert "Sätter sidorna …" in page
    assert 'hx-trigger="every 1s"' in page
    fragment = text(browser.get(reverse("export-status", args=[export.pk]), HTTP_HX_REQUEST="true"))
    assert fragment.lstrip().startswith('<div id="export-status"')
    assert "<html" not in fragment
    # Not ready yet: nothing to download.
    assert browser.get(reverse("export-download", args=[export.pk])).status_code == 404


def test_an_export_is_rendered_once_however_often_its_task_arrives(demo, db):
    user = User.objects.get(username="revisor.norrbotten")
    export = jobs.start(DocumentRequest(Kind.FOLLOWUP, region="norrbotten"), user, language="sv")
    jobs.run(str(export.pk))
    first = Export.objects.get(pk=export.pk)
    assert first.status == Export.Status.DONE
    Export.objects.filter(pk=export.pk).update(title="kept")
    jobs.run(str(export.pk))
    assert Export.objects.get(pk=export.pk).title == "kept"


def test_an_export_for_what_the_user_can_no_longer_see_fails_with_a_reason(demo, db):
    user = User.objects.get(username="revisor.norrbotten")
    export = jobs.start(DocumentRequest(Kind.FOLLOWUP, region="norrbotten"), user, language="sv")
    Membership.objects.filter(user=user).delete()
    jobs.run(str(export.pk))
    failed = Export.objects.get(pk=export.pk)
    assert failed.status == Export.Status.FAILED
    assert failed.data is None
    page = text(signed_in(user).get(reverse("export-status", args=[export.pk])))
    assert "Dokumentet gäller något som du inte längre har behörighet att se." in page


def test_finished_exports_older_than_a_day_are_removed(demo, db):
    user = User.objects.get(username="revisor.norrbotten")
    old = Export.objects.create(user=user, kind="followup", language="sv")
    Export.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))
    jobs.start(DocumentRequest(Kind.FOLLOWUP, region="norrbotten"), user, language="sv")
    assert not Export.objects.filter(pk=old.pk).exists()
    assert Export.objects.count() == 1


def test_a_region_the_user_does_not_see_is_refused_by_the_task_too(demo, db):
    user = User.objects.get(username="revisor.norrbotten")
    region = Region.objects.get(code="vasterbotten")
    document = DocumentRequest(Kind.FOLLOWUP, region=region.code)
    export = jobs.start(document, user, language="sv")
    jobs.run(str(export.pk))
    assert Export.objects.get(pk=export.pk).status == Export.Status.FAILED
