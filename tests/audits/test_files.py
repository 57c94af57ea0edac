"""The report and cover letter as uploaded files: PDF or Word by content, served only
through the view that checks who may see the audit."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audits.models import Audit
from regions.models import Membership

from ..conftest import sv
from ..web import field_error, form_data, formset_data, member, signed_in, text

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def browser(region):
    return signed_in(member(region, Membership.Role.AUDITOR))


def _edit(browser, audit: Audit, **files) -> object:
    url = reverse("audit-edit", args=[audit.pk])
    page = browser.get(url)
    data = {**form_data(page.context["form"]), **formset_data(page.context["team"])}
    data = {k: v for k, v in data.items() if k not in ("report_file", "cover_letter_file")}
    return browser.post(url, {**data, **files})


def _download(browser, audit: Audit, name: str):
    page = browser.get(reverse("audit-file", args=[audit.pk, name]))
    content = b"".join(page.streaming_content) if page.status_code == 200 else b""
    return page, content


def test_an_uploaded_report_is_kept_outside_any_public_address(uploads, browser, audit):
    report = SimpleUploadedFile("Revisionsrapport.pdf", PDF, content_type="application/pdf")
    assert _edit(browser, audit, report_file=report).status_code == 302
    audit.refresh_from_db()
    assert audit.report_file.path.startswith(str(uploads))

    page = text(browser.get(reverse("audit-detail", args=[audit.pk])))
    assert reverse("audit-file", args=[audit.pk, "report"]) in page
    assert audit.report_file.name not in page
    download, content = _download(browser, audit, "report")
    assert (download.status_code, content) == (200, PDF)
    assert download["Content-Disposition"].startswith("attachment")
    # The stored path answers nothing; a missing cover letter or an unknown name neither.
    assert browser.get("/" + audit.report_file.name).status_code == 404
    assert _download(browser, audit, "cover-letter")[0].status_code == 404
    assert _download(browser, audit, "protocol")[0].status_code == 404


def test_a_file_that_is_not_pdf_or_word_is_refused_by_its_content(uploads, browser, audit):
    fake = SimpleUploadedFile(
        "rapport.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    page = _edit(browser, audit, cover_letter_file=fake)
    assert page.status_code == 200
    assert sv("Upload a PDF or a Word document (.docx).") in field_error(
        page, "id_cover_letter_file"
    )
    audit.refresh_from_db()
    assert not audit.cover_letter_file
    assert not any(uploads.rglob("*"))


def test_a_file_over_the_size_limit_is_refused(uploads, settings, browser, audit):
    settings.UPLOAD_MAX_BYTES = 1000
    big = SimpleUploadedFile("rapport.pdf", PDF + b"0" * 2000, content_type="application/pdf")
    page = _edit(browser, audit, report_file=big)
    assert page.status_code == 200
    assert field_error(page, "id_report_file")
    audit.refresh_from_db()
    assert not audit.report_file


def test_the_report_reaches_only_those_who_see_the_audit(
    uploads, browser, audit, board, region, other_region
):
    report = SimpleUploadedFile("rapport.exe", PDF, content_type="application/octet-stream")
    _edit(browser, audit, report_file=report)
    audit.refresh_from_db()
    # Named by what it is, not by what it was called.
    assert audit.report_file.name.endswith(".pdf")
    secretary = signed_in(member(region, Membership.Role.SECRETARY, bodies=(board,)))
    audit.audited_bodies.add(board)
    # A draft's report stays with the audit side.
    assert _download(secretary, audit, "report")[0].status_code == 404
    assert (
        _download(signed_in(member(other_region, Membership.Role.AUDITOR)), audit, "report")[
            0
        ].status_code
        == 404
    )
    Audit.objects.filter(pk=audit.pk).update(
        status=Audit.Status.ISSUED, issued_date="2026-01-15", response_deadline="2026-03-15"
    )
    assert _download(secretary, audit, "report")[1] == PDF
