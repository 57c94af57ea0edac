"""Importing a published audit report: upload, review next to the source, save or discard."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfWriter

from audits.importing_save import AlreadySaved, QuestionLine, ReviewedAudit, report_import_save
from audits.models import Audit, AuditTeamMember, RatingLevel, RatingScale, ReportImport
from recommendations.models import Recommendation
from regions.models import Body, Membership

from ..web import field_error, form_data, formset_data, member, signed_in, text
from .render import render_pdf

ROLE = Membership.Role

# A short report of our own, laid out as the firms lay theirs out: title page, cover
# letter with the deadline, summary, questions with a sub-question, recommendations.
REPORT = """\
Revisionsrapport

Granskning av telefonrådgivningen

Region Norrbotten

2024-03-15

Karin Ek, revisionskonsult
Lars Berg, certifierad kommunal revisor

Till regionstyrelsen

Revisorerna önskar svar på rekommendationerna senast den 2024-06-14.

Sammanfattning

KPMG har på uppdrag av de förtroendevalda revisorerna granskat telefonrådgivningen.

Syftet med granskningen har varit att bedöma om regionstyrelsen styr telefonrådgivningen \
på ett ändamålsenligt sätt.

Vår samlade bedömning är att regionstyrelsen delvis styr telefonrådgivningen ändamålsenligt.

Revisionsfråga 1: Finns det mål för hur snabbt samtal ska besvaras?

Revisionsfrågan bedöms som uppfylld.

Revisionsfråga 2: Följs tillgängligheten upp av styrelsen?

Revisionsfrågan bedöms som delvis uppfylld.

Delfråga 2.1: Rapporteras väntetiderna till styrelsen varje månad?

Delfrågan bedöms som ej uppfylld.

Rekommendationer

Utifrån granskningens iakttagelser lämnas följande rekommendationer till regionstyrelsen:

1. Inför en månatlig rapport om väntetiderna i telefonrådgivningen.
2. Besluta om ett mål för andelen besvarade samtal.
"""
QUESTION_1 = "Finns det mål för hur snabbt samtal ska besvaras?"
SUB_QUESTION = "Rapporteras väntetiderna till styrelsen varje månad?"
RECOMMENDATION_1 = "Inför en månatlig rapport om väntetiderna i telefonrådgivningen."


def upload(region, content: bytes = REPORT.encode(), name: str = "rapport.txt") -> dict:
    return {"region": region.pk, "file": SimpleUploadedFile(name, content)}


def empty_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def review_data(page: Any) -> dict[str, Any]:
    """What saving the review page unchanged submits."""
    context = page.context
    return {
        **form_data(context["form"]),
        **formset_data(context["questions"]),
        **formset_data(context["recommendations"]),
    }


def question_index(page: Any, number: str) -> int:
    for index, form in enumerate(page.context["questions"].forms):
        if form["number"].value() == number:
            return index
    raise AssertionError(f"no question {number} on the review page")


@pytest.fixture
def auditor(region, board, scale):
    return member(region, ROLE.AUDITOR)


@pytest.fixture
def client_(auditor) -> Client:
    return signed_in(auditor)


@pytest.fixture
def imported(client_, region) -> ReportImport:
    response = client_.post(reverse("report-import"), upload(region))
    assert response.status_code == 302, response.content.decode()[:2000]
    return ReportImport.objects.get()


def test_upload_reads_the_report_and_shows_the_draft_next_to_its_passages(client_, region):
    response = client_.post(reverse("report-import"), upload(region))

    report_import = ReportImport.objects.get()
    assert response["Location"] == reverse("report-import-review", args=[report_import.pk])
    assert report_import.region == region
    assert report_import.file_name == "rapport.txt"
    assert "Revisionsfråga 1" in report_import.text
    page = client_.get(response["Location"])
    assert page.status_code == 200
    body = text(page)
    assert 'value="Granskning av telefonrådgivningen"' in body
    assert QUESTION_1 in body and SUB_QUESTION in body and RECOMMENDATION_1 in body
    passages = re.findall(r'<blockquote class="import-passage">(.*?)</blockquote>', body, re.S)
    assert any("senast den 2024-06-14" in passage for passage in passages)
    assert any("Revisionsfrågan bedöms som delvis uppfylld." in p for p in passages)
    # Proposed values are preselected: the scale, the ratings, the addressed body.
    form = page.context["form"]
    assert form["rating_scale"].value() == RatingScale.objects.get(code="uppfylld").pk
    questions = page.context["questions"].forms
    sub = questions[question_index(page, "2.1")]
    assert RatingLevel.objects.get(pk=sub["rating"].value()).label == "Ej uppfylld"
    first_recommendation = page.context["recommendations"].forms[0]
    assert first_recommendation["body"].value() == Body.objects.get(name="Regionstyrelsen").pk
    assert form["status"].value() == Audit.Status.ISSUED
    # Nothing is saved before the review.
    assert not Audit.objects.exists()


def test_a_later_cover_letter_is_proposed_as_the_issue_date(client_, region):
    dated_letter = REPORT.replace("Till regionstyrelsen\n", "Till regionstyrelsen\n\n2024-03-22\n")
    response = client_.post(reverse("report-import"), upload(region, dated_letter.encode()))

    page = client_.get(response["Location"])
    form = page.context["form"]
    assert str(form["issued_date"].value()) == "2024-03-22"
    assert form["year"].value() == 2024
    # The passage beside the issue date is the letter's date, not the title page's.
    issued = next(row for row in page.context["details"] if row.field.name == "issued_date")
    assert issued.source is not None and issued.source.text == "2024-03-22"


def test_saving_the_review_creates_the_audit_with_everything_found(client_, imported, auditor):
    url = reverse("report-import-review", args=[imported.pk])
    page = client_.get(url)

    response = client_.post(url, review_data(page))

    audit = Audit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("audit-detail", args=[audit.pk])
    assert audit.title == "Granskning av telefonrådgivningen"
    assert (audit.year, audit.status) == (2024, Audit.Status.ISSUED)
    assert str(audit.issued_date) == "2024-03-15"
    assert str(audit.response_deadline) == "2024-06-14"
    assert audit.audit_firm == "KPMG"
    assert audit.purpose.startswith("Syftet med granskningen")
    assert "delvis styr" in audit.overall_assessment
    assert audit.rating_scale.code == "uppfylld"
    assert audit.responsible_auditor == auditor
    rated = {
        question.number: (question.text, question.assessment.level.label)
        for question in audit.questions.select_related("parent", "assessment__level")
    }
    assert rated == {
        "1": (QUESTION_1, "Uppfylld"),
        "2": ("Följs tillgängligheten upp av styrelsen?", "Delvis uppfylld"),
        "2.1": (SUB_QUESTION, "Ej uppfylld"),
    }
    board = Body.objects.get(name="Regionstyrelsen")
    assert list(audit.recommendations.values_list("number", "body", "text")) == [
        (1, board.pk, RECOMMENDATION_1),
        (2, board.pk, "Besluta om ett mål för andelen besvarade samtal."),
    ]
    assert list(audit.audited_bodies.all()) == [board]
    assert list(audit.team.values_list("name", "title", "role")) == [
        ("Karin Ek", "revisionskonsult", AuditTeamMember.Role.CONSULTANT),
        ("Lars Berg", "certifierad kommunal revisor", AuditTeamMember.Role.QUALITY_REVIEWER),
    ]
    # A text file is only the report's text: the audit's report file waits for the PDF.
    assert not audit.report_file
    imported.refresh_from_db()
    assert imported.audit == audit


def test_corrections_and_left_out_rows_are_saved_as_reviewed(client_, imported):
    url = reverse("report-import-review", args=[imported.pk])
    page = client_.get(url)
    data = review_data(page)
    data["title"] = "Granskning av 1177 på telefon"
    data["status"] = Audit.Status.ONGOING
    data["issued_date"] = data["response_deadline"] = ""
    data["team"] = "Karin Ek, revisionskonsult"
    second = question_index(page, "2.1")
    data[f"questions-{second}-text"] = "Rapporteras väntetiderna?"
    data[f"questions-{second}-rating"] = ""
    data["questions-0-include"] = ""  # question 1 is left out
    data["recommendations-1-include"] = ""
    # The blank row at the end adds a recommendation the reader missed.
    extra = page.context["recommendations"].total_form_count() - 1
    committee = Body.objects.create(region=imported.region, name="Hälso- och sjukvårdsnämnden")
    data[f"recommendations-{extra}-number"] = "3"
    data[f"recommendations-{extra}-text"] = "Utvärdera bemanningen."
    data[f"recommendations-{extra}-body"] = str(committee.pk)

    response = client_.post(url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    audit = Audit.objects.get()
    assert audit.title == "Granskning av 1177 på telefon"
    assert audit.status == Audit.Status.ONGOING and audit.issued_date is None
    assert [q.number for q in audit.questions.select_related("parent")] == ["2", "2.1"]
    sub = audit.questions.get(parent__isnull=False)
    assert sub.text == "Rapporteras väntetiderna?" and not hasattr(sub, "assessment")
    assert list(audit.recommendations.values_list("number", "body__name")) == [
        (1, "Regionstyrelsen"),
        (3, "Hälso- och sjukvårdsnämnden"),
    ]
    assert audit.audited_bodies.count() == 2
    assert audit.team.get().name == "Karin Ek"


def test_a_rating_not_in_the_chosen_scale_is_an_error_next_to_it(client_, imported):
    url = reverse("report-import-review", args=[imported.pk])
    page = client_.get(url)
    data = review_data(page)
    other_scale_level = RatingLevel.objects.get(scale__code="ja-delvis-nej", label="Ja")
    data["questions-0-rating"] = str(other_scale_level.pk)

    response = client_.post(url, data)

    assert response.status_code == 200
    assert "Uppfylld / Delvis uppfylld / Ej uppfylld" in field_error(
        response, "id_questions-0-rating"
    )
    assert not Audit.objects.exists()
    imported.refresh_from_db()
    assert imported.audit is None


def test_review_rules_show_their_errors_next_to_the_fields(client_, imported):
    url = reverse("report-import-review", args=[imported.pk])
    page = client_.get(url)
    data = review_data(page)
    data["title"] = ""
    data["response_deadline"] = "2024-01-01"  # before the issue date
    data["questions-1-include"] = ""  # main question 2 left out, its 2.1 kept
    data["recommendations-0-body"] = ""

    response = client_.post(url, data)

    assert response.status_code == 200
    for field_id in (
        "id_title",
        "id_response_deadline",
        "id_recommendations-0-body",
    ):
        assert field_error(response, field_id)
    # The sub-question's error comes from the whole list, once each row is valid.
    data["title"] = "Granskning av telefonrådgivningen"
    data["response_deadline"] = "2024-06-14"
    data["recommendations-0-body"] = str(Body.objects.get(name="Regionstyrelsen").pk)
    response = client_.post(url, data)
    assert response.status_code == 200
    sub = question_index(page, "2.1")
    assert "2" in field_error(response, f"id_questions-{sub}-number")
    data["status"] = Audit.Status.ISSUED
    data["issued_date"] = ""
    data["questions-1-include"] = "on"
    response = client_.post(url, data)
    assert response.status_code == 200
    assert field_error(response, "id_issued_date")
    assert not Audit.objects.exists()


def test_an_empty_post_shows_errors_and_saves_nothing(client_, imported):
    response = client_.post(reverse("report-import-review", args=[imported.pk]), {})
    assert response.status_code == 200
    assert field_error(response, "id_title")
    assert not Audit.objects.exists()


def test_a_saved_import_opens_its_audit_instead_of_saving_twice(client_, imported):
    url = reverse("report-import-review", args=[imported.pk])
    data = review_data(client_.get(url))
    client_.post(url, data)
    audit = Audit.objects.get()

    again = client_.post(url, data)
    opened = client_.get(url)
    discard = client_.post(reverse("report-import-discard", args=[imported.pk]))

    for response in (again, opened, discard):
        assert response.status_code == 302
        assert response["Location"] == reverse("audit-detail", args=[audit.pk])
    assert Audit.objects.count() == 1
    assert ReportImport.objects.filter(pk=imported.pk).exists()


def test_discard_deletes_the_import_and_its_file(
    client_, imported, django_capture_on_commit_callbacks
):
    storage, name = imported.file.storage, imported.file.name
    assert storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_.post(reverse("report-import-discard", args=[imported.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("report-import")
    assert not ReportImport.objects.exists()
    assert not storage.exists(name)


def test_the_upload_page_lists_imports_not_yet_saved(client_, imported):
    page = client_.get(reverse("report-import"))
    body = text(page)
    assert reverse("report-import-review", args=[imported.pk]) in body
    assert "Granskning av telefonrådgivningen" in body


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "rapport.png"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "rapport.pdf"),
        (None, "skannad.pdf"),
        (b"%PDF-1.4\n%broken\n", "trasig.pdf"),
        (REPORT.encode() + b" " * 9000 + b"\x00", "rapport.txt"),
    ],
    ids=["image", "image-named-pdf", "pdf-without-text", "broken-pdf", "nul-far-in"],
)
def test_an_unreadable_upload_is_a_field_error_and_nothing_is_stored(
    client_, region, content, name
):
    content = empty_pdf() if content is None else content
    response = client_.post(reverse("report-import"), upload(region, content, name))
    assert response.status_code == 200
    assert field_error(response, "id_file")
    assert not ReportImport.objects.exists()


def test_a_text_pdf_shows_the_page_of_each_passage_and_becomes_the_report_file(client_, region):
    pdf = render_pdf(REPORT.replace("Sammanfattning", "\fSammanfattning"))
    response = client_.post(reverse("report-import"), upload(region, pdf, "Rapport 1177.pdf"))
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client_.get(response["Location"])
    body = text(page)
    assert re.search(r"<footer>[^<]*2</footer>", body), "no passage says it is on page 2"

    client_.post(response["Location"], review_data(page))

    audit = Audit.objects.get()
    assert audit.report_file.name.endswith(".pdf")
    with audit.report_file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_a_report_naming_another_region_is_pointed_out(other_region, scale):
    user = member(other_region, ROLE.AUDIT_OFFICE)
    client = signed_in(user)
    response = client.post(reverse("report-import"), upload(other_region))
    page = client.get(response["Location"])
    notice = re.search(r'<div class="conflict" role="note">(.*?)</div>', text(page), re.S)
    assert notice and "Region Norrbotten" in notice.group(1)


def test_without_a_body_to_match_the_recommendation_asks_for_one(other_region, scale):
    Body.objects.create(region=other_region, name="Regionstyrelsen", is_active=False)
    client = signed_in(member(other_region, ROLE.AUDITOR))
    response = client.post(reverse("report-import"), upload(other_region))
    page = client.get(response["Location"])
    assert page.context["recommendations"].forms[0]["body"].value() is None
    response = client.post(response["Location"], review_data(page))
    assert field_error(response, "id_recommendations-0-body")
    assert not Recommendation.objects.exists()


@pytest.mark.parametrize("role", [ROLE.SECRETARY, ROLE.READER])
def test_only_the_audit_side_imports_reports(region, board, imported, role):
    bodies = (board,) if role == ROLE.SECRETARY else ()
    client = signed_in(member(region, role, bodies=bodies))
    assert client.get(reverse("report-import")).status_code == 403
    assert client.post(reverse("report-import"), upload(region)).status_code == 403
    review = reverse("report-import-review", args=[imported.pk])
    assert client.get(review).status_code == 404
    assert client.post(reverse("report-import-discard", args=[imported.pk])).status_code == 404
    assert ReportImport.objects.count() == 1


def test_another_regions_auditor_cannot_reach_the_import(other_region, imported):
    client = signed_in(member(other_region, ROLE.AUDITOR))
    page = client.get(reverse("report-import"))
    assert reverse("report-import-review", args=[imported.pk]) not in text(page)
    assert client.get(reverse("report-import-review", args=[imported.pk])).status_code == 404
    assert client.post(reverse("report-import-discard", args=[imported.pk])).status_code == 404
    # Nor upload into a region that is not theirs.
    response = client.post(reverse("report-import"), upload(imported.region))
    assert response.status_code == 200 and field_error(response, "id_region")
    assert ReportImport.objects.count() == 1


def test_the_start_page_and_audit_list_offer_the_import(client_):
    url = reverse("report-import")
    assert f'href="{url}"' in text(client_.get(reverse("home")))
    assert f'href="{url}"' in text(client_.get(reverse("audit-list")))


def test_a_second_save_of_the_same_import_is_refused_whole(client_, imported, auditor, scale):
    # Two tabs saved at once: the second still holds the import as unsaved.
    stale = ReportImport.objects.get(pk=imported.pk)
    reviewed = ReviewedAudit(
        title="Granskning av telefonrådgivningen",
        year=2024,
        status=Audit.Status.ONGOING,
        rating_scale=scale,
        questions=[QuestionLine(main=1, sub=None, text=QUESTION_1)],
    )
    first = report_import_save(report_import=imported, reviewed=reviewed, user=auditor)

    with pytest.raises(AlreadySaved) as refused:
        report_import_save(report_import=stale, reviewed=reviewed, user=auditor)

    assert refused.value.audit_id == first.pk
    assert Audit.objects.count() == 1
    assert first.questions.count() == 1


def test_a_file_over_the_size_limit_is_refused(client_, region, settings):
    settings.UPLOAD_MAX_BYTES = 100
    response = client_.post(reverse("report-import"), upload(region))
    assert response.status_code == 200
    assert field_error(response, "id_file")
    assert not ReportImport.objects.exists()


def test_changing_the_scale_asks_for_the_ratings_again_on_its_levels(client_, imported):
    url = reverse("report-import-review", args=[imported.pk])
    data = review_data(client_.get(url))
    other_scale = RatingScale.objects.get(code="ja-delvis-nej")
    data["rating_scale"] = str(other_scale.pk)

    response = client_.post(url, data)

    assert response.status_code == 200
    assert other_scale.name in field_error(response, "id_questions-0-rating")
    offered = [
        label for _value, label in response.context["questions"].forms[0]["rating"].field.choices
    ]
    assert offered[1:] == ["Ja", "Delvis", "Nej"]
    assert not Audit.objects.exists()
