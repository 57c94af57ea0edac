"""Recommendations, the secretary's inbox and responses, measures and follow-ups in the UI."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audits.models import Audit, AuditQuestion, RatingScale
from recommendations.models import Answer, FollowUp, Measure, Recommendation, Response
from recommendations.services import answer_record, followup_record, measure_complete
from regions.models import Body, Membership

from ..conftest import sv
from ..helpers import tiny_docx, tiny_pdf
from ..web import (
    HTMX,
    element,
    field_error,
    form_data,
    member,
    signed_in,
    sv_plural,
    text,
)

D = datetime.date
ROLE = Membership.Role


@pytest.fixture
def auditor(region):
    return member(region, ROLE.AUDITOR)


@pytest.fixture
def auditors(auditor):
    return signed_in(auditor)


@pytest.fixture
def secretary(region, board):
    return member(region, ROLE.SECRETARY, bodies=(board,))


@pytest.fixture
def secretarys(secretary):
    return signed_in(secretary)


@pytest.fixture
def committee(region) -> Body:
    return Body.objects.create(region=region, name="Hälso- och sjukvårdsnämnden", short_name="HSN")


def _today() -> datetime.date:
    return timezone.localdate()


# Recommendations on the draft audit ---------------------------------------------------


def _add_form(browser, audit: Audit) -> dict:
    page = browser.get(reverse("recommendation-add", args=[audit.pk]), **HTMX)
    assert page.status_code == 200
    return form_data(page.context["form"])


def test_auditor_adds_recommendations_over_htmx(auditors, audit, board):
    audit.audited_bodies.add(board)
    question = AuditQuestion.objects.create(audit=audit, position=1, text="Finns mål?")
    data = _add_form(auditors, audit)
    assert data["new-recommendation-number"] == 1
    assert data["new-recommendation-body"] == board.pk
    data.update(
        {
            "new-recommendation-text": "Sätt mål för 1177 på telefon.",
            "new-recommendation-questions": [question.pk],
        }
    )
    page = auditors.post(reverse("recommendation-add", args=[audit.pk]), data, **HTMX)
    assert page.status_code == 200
    assert page["HX-Retarget"] == "#recommendations"
    announce = json.loads(page["HX-Trigger-After-Settle"])["tracker:announce"]
    assert announce == sv("Recommendation %(number)s added.") % {"number": 1}
    recommendation = Recommendation.objects.get()
    assert (recommendation.number, recommendation.body, recommendation.text) == (
        1,
        board,
        "Sätt mål för 1177 på telefon.",
    )
    assert list(recommendation.questions.all()) == [question]
    assert _add_form(auditors, audit)["new-recommendation-number"] == 2


def test_a_duplicate_number_is_refused_in_swedish_not_a_500(auditors, audit, board):
    Recommendation.objects.create(audit=audit, body=board, number=1, text="Sätt mål.")
    data = {**_add_form(auditors, audit), "new-recommendation-number": "1"}
    data.update({"new-recommendation-body": board.pk, "new-recommendation-text": "Följ upp."})
    page = auditors.post(reverse("recommendation-add", args=[audit.pk]), data, **HTMX)
    assert page.status_code == 200
    assert field_error(page, "id_new-recommendation-number") == sv(
        "The audit already has a recommendation with this number."
    )
    assert Recommendation.objects.count() == 1


def test_editing_a_recommendation_to_a_taken_number_is_refused(auditors, audit, board):
    Recommendation.objects.create(audit=audit, body=board, number=1, text="Sätt mål.")
    second = Recommendation.objects.create(audit=audit, body=board, number=2, text="Följ upp.")
    url = reverse("recommendation-edit", args=[second.pk])
    data = form_data(auditors.get(url, **HTMX).context["form"])
    data[f"rec-{second.pk}-number"] = "1"
    page = auditors.post(url, data, **HTMX)
    assert page.status_code == 200
    assert field_error(page, f"id_rec-{second.pk}-number") == sv(
        "The audit already has a recommendation with this number."
    )
    second.refresh_from_db()
    assert second.number == 2

    data[f"rec-{second.pk}-number"] = "3"
    data[f"rec-{second.pk}-text"] = "Följ upp målen årligen."
    page = auditors.post(url, data, **HTMX)
    assert page["HX-Retarget"] == f"#recommendation-{second.pk}"
    second.refresh_from_db()
    assert (second.number, second.text) == (3, "Följ upp målen årligen.")


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("0", "The number must be 1 or more."),
        ("abc", "Enter a whole number."),
        ("", "This field is required."),
    ],
)
def test_a_bad_number_is_refused_next_to_the_field(auditors, audit, board, number, message):
    data = {**_add_form(auditors, audit), "new-recommendation-number": number}
    data.update({"new-recommendation-body": board.pk, "new-recommendation-text": "Sätt mål."})
    page = auditors.post(reverse("recommendation-add", args=[audit.pk]), data, **HTMX)
    assert page.status_code == 200
    assert sv(message) in field_error(page, "id_new-recommendation-number")
    assert not Recommendation.objects.exists()


def test_a_huge_number_is_refused_not_a_500(auditors, audit, board):
    data = {**_add_form(auditors, audit), "new-recommendation-number": "99999999999999999999"}
    data.update({"new-recommendation-body": board.pk, "new-recommendation-text": "Sätt mål."})
    page = auditors.post(reverse("recommendation-add", args=[audit.pk]), data, **HTMX)
    assert page.status_code == 200
    assert field_error(page, "id_new-recommendation-number")
    assert not Recommendation.objects.exists()


def test_a_recommendation_to_a_body_of_another_region_is_refused(auditors, audit, other_region):
    foreign = Body.objects.create(region=other_region, name="Regionstyrelsen")
    data = {**_add_form(auditors, audit), "new-recommendation-body": foreign.pk}
    data["new-recommendation-text"] = "Sätt mål."
    page = auditors.post(reverse("recommendation-add", args=[audit.pk]), data, **HTMX)
    assert page.status_code == 200
    assert field_error(page, "id_new-recommendation-body") == sv(
        "Select a valid choice. That choice is not one of the available choices."
    )
    assert not Recommendation.objects.exists()


def test_a_question_of_another_audit_cannot_be_linked(auditors, audit, board, region, scale):
    other = Audit.objects.create(region=region, title="Annan", year=2022, rating_scale=scale)
    foreign = AuditQuestion.objects.create(audit=other, position=1, text="Annan fråga")
    data = {**_add_form(auditors, audit), "new-recommendation-questions": [foreign.pk]}
    data.update({"new-recommendation-body": board.pk, "new-recommendation-text": "Sätt mål."})
    page = auditors.post(reverse("recommendation-add", args=[audit.pk]), data, **HTMX)
    assert page.status_code == 200
    assert field_error(page, "id_new-recommendation-questions") == sv(
        "Select a valid choice. %(value)s is not one of the available choices."
    ) % {"value": foreign.pk}
    assert not Recommendation.objects.exists()


# The secretary's inbox ------------------------------------------------------------------


def _issued(region, title: str, deadline: datetime.date, *bodies: Body) -> Audit:
    audit = Audit.objects.create(
        region=region,
        title=title,
        year=deadline.year,
        rating_scale=RatingScale.objects.get(code="uppfylld"),
        status=Audit.Status.ISSUED,
        issued_date=deadline - datetime.timedelta(days=60),
        response_deadline=deadline,
    )
    audit.audited_bodies.add(*bodies)
    return audit


def test_inbox_lists_what_the_secretarys_bodies_must_answer_with_days_left(
    secretarys, region, board, committee, other_region, scale
):
    soon = _issued(region, "Granskning av 1177", _today() + datetime.timedelta(days=10), board)
    Recommendation.objects.create(audit=soon, body=board, number=1, text="Sätt mål för 1177.")
    answered = Recommendation.objects.create(
        audit=soon, body=board, number=2, text="Redan besvarad.", status="answered"
    )
    theirs = _issued(region, "Granskning av HSN", _today(), committee)
    Recommendation.objects.create(audit=theirs, body=committee, number=1, text="Nämndens sak.")
    far_board = Body.objects.create(region=other_region, name="Regionstyrelsen")
    far = _issued(other_region, "Annan region", _today(), far_board)
    Recommendation.objects.create(audit=far, body=far_board, number=1, text="Annan regions.")

    page = secretarys.get(reverse("inbox"))
    assert page.status_code == 200
    awaiting = element(page, '<section aria-labelledby="awaiting-heading"', "section")
    assert "Sätt mål för 1177." in awaiting
    assert sv_plural("%(days)d day left", "%(days)d days left", 10) % {"days": 10} in awaiting
    assert reverse("response-edit", args=[soon.pk, board.pk]) in awaiting
    assert answered.text not in awaiting
    assert "Nämndens sak." not in awaiting
    assert "Annan regions." not in awaiting


def test_inbox_says_overdue_when_the_deadline_has_passed(secretarys, region, board):
    late = _issued(region, "Granskning av 1177", _today() - datetime.timedelta(days=3), board)
    Recommendation.objects.create(audit=late, body=board, number=1, text="Sätt mål för 1177.")
    page = secretarys.get(reverse("inbox"))
    awaiting = element(page, '<section aria-labelledby="awaiting-heading"', "section")
    assert "Sätt mål för 1177." in awaiting
    overdue = sv_plural("overdue by %(days)d day", "overdue by %(days)d days", 3) % {"days": 3}
    assert overdue in awaiting


def test_inbox_lists_the_bodys_measures_due_soon(secretarys, response, recommendation):
    due = Measure.objects.create(
        response=response,
        description="Ta fram mål.",
        responsible="Regiondirektör",
        original_due_date=_today() + datetime.timedelta(days=5),
    )
    Measure.objects.create(
        response=response,
        description="Långt fram.",
        responsible="Regiondirektör",
        original_due_date=_today() + datetime.timedelta(days=300),
    )
    page = secretarys.get(reverse("inbox"))
    measures = element(page, '<section aria-labelledby="measures-heading"', "section")
    assert due.description in measures
    assert "Långt fram." not in measures


def test_inbox_is_for_secretaries_only(auditors):
    assert auditors.get(reverse("inbox")).status_code == 403


# Recording a response -------------------------------------------------------------------


@pytest.fixture
def two_recommendations(issued_audit, board):
    return [
        Recommendation.objects.create(audit=issued_audit, body=board, number=1, text="Sätt mål."),
        Recommendation.objects.create(audit=issued_audit, body=board, number=2, text="Följ upp."),
    ]


def _response_form(browser, audit: Audit, body: Body) -> dict:
    page = browser.get(reverse("response-edit", args=[audit.pk, body.pk]))
    assert page.status_code == 200
    data = form_data(page.context["form"])
    for answer_form in page.context["answer_forms"]:
        data.update(form_data(answer_form))
    return data


def _respond(browser, audit: Audit, body: Body, **fields):
    data = {**_response_form(browser, audit, body), "received_date": "2021-05-20", **fields}
    return browser.post(reverse("response-edit", args=[audit.pk, body.pk]), data)


def test_secretary_records_a_response_per_recommendation(
    secretarys, issued_audit, board, two_recommendations
):
    first, second = two_recommendations
    page = _respond(
        secretarys,
        issued_audit,
        board,
        decision_reference="RS 2021-05-18 §45",
        **{
            f"answer-{first.pk}-stance": "accepted",
            f"answer-{first.pk}-text": "Mål beslutas under hösten.",
        },
    )
    response = Response.objects.get()
    assert page.status_code == 302
    assert page["Location"] == reverse("response-detail", args=[response.pk])
    assert (response.kind, response.received_date) == ("per_recommendation", D(2021, 5, 20))
    assert list(response.answers.values_list("recommendation__number", "stance", "text")) == [
        (1, "accepted", "Mål beslutas under hösten.")
    ]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("answered", "open")
    issued_audit.refresh_from_db()
    assert issued_audit.status == Audit.Status.ANSWERED

    detail = text(secretarys.get(page["Location"]))
    assert "Mål beslutas under hösten." in detail and "RS 2021-05-18 §45" in detail


def test_a_stance_needs_its_answer_and_an_answer_its_stance(
    secretarys, issued_audit, board, two_recommendations
):
    first, second = two_recommendations
    page = _respond(
        secretarys,
        issued_audit,
        board,
        **{
            f"answer-{first.pk}-stance": "accepted",
            f"answer-{first.pk}-text": "   ",
            f"answer-{second.pk}-text": "Vi följer upp.",
        },
    )
    assert page.status_code == 200
    assert field_error(page, f"id_answer-{first.pk}-text") == sv(
        "Write the answer, or clear the stance."
    )
    assert field_error(page, f"id_answer-{second.pk}-stance") == sv(
        "Choose whether the body accepts the recommendation."
    )
    assert not Response.objects.exists()


def test_a_response_per_recommendation_answers_at_least_one(
    secretarys, issued_audit, board, two_recommendations
):
    page = _respond(secretarys, issued_audit, board)
    assert page.status_code == 200
    assert field_error(page, "id_kind") == sv(
        "Answer at least one recommendation, or choose one narrative response."
    )
    assert not Response.objects.exists()


def test_a_narrative_response_answers_every_recommendation_at_once(
    secretarys, issued_audit, board, two_recommendations
):
    page = _respond(secretarys, issued_audit, board, kind="narrative", narrative="")
    assert field_error(page, "id_narrative") == sv("A narrative response needs its text.")
    assert not Response.objects.exists()

    page = _respond(
        secretarys, issued_audit, board, kind="narrative", narrative="Regionstyrelsen instämmer."
    )
    assert page.status_code == 302
    response = Response.objects.get()
    assert (response.kind, response.narrative) == ("narrative", "Regionstyrelsen instämmer.")
    assert not response.answers.exists()
    assert set(Recommendation.objects.values_list("status", flat=True)) == {"answered"}
    issued_audit.refresh_from_db()
    assert issued_audit.status == Audit.Status.ANSWERED


def test_the_audit_is_answered_once_every_audited_body_has_responded(
    secretarys, issued_audit, board, committee, region
):
    issued_audit.audited_bodies.add(committee)
    rec = Recommendation.objects.create(audit=issued_audit, body=board, number=1, text="Sätt mål.")
    hsn = Recommendation.objects.create(audit=issued_audit, body=committee, number=2, text="Följ.")
    _respond(
        secretarys,
        issued_audit,
        board,
        **{f"answer-{rec.pk}-stance": "partly", f"answer-{rec.pk}-text": "Delvis."},
    )
    issued_audit.refresh_from_db()
    assert issued_audit.status == Audit.Status.ISSUED

    hsn_secretary = signed_in(member(region, ROLE.SECRETARY, bodies=(committee,), username="hsn"))
    page = _respond(
        hsn_secretary,
        issued_audit,
        committee,
        **{f"answer-{hsn.pk}-stance": "accepted", f"answer-{hsn.pk}-text": "Vi följer upp."},
    )
    assert page.status_code == 302
    issued_audit.refresh_from_db()
    assert issued_audit.status == Audit.Status.ANSWERED


def test_a_response_with_answers_cannot_become_a_narrative(
    secretarys, issued_audit, board, two_recommendations
):
    first, _second = two_recommendations
    _respond(
        secretarys,
        issued_audit,
        board,
        **{f"answer-{first.pk}-stance": "accepted", f"answer-{first.pk}-text": "Ja."},
    )
    page = _respond(
        secretarys, issued_audit, board, kind="narrative", narrative="Regionstyrelsen instämmer."
    )
    assert page.status_code == 200
    assert field_error(page, "id_kind") == sv(
        "The response already answers recommendation by recommendation."
    )
    response = Response.objects.get()
    assert (response.kind, response.narrative) == ("per_recommendation", "")


def test_a_response_cannot_arrive_before_the_report_was_issued(
    secretarys, issued_audit, board, two_recommendations
):
    first, _second = two_recommendations
    page = _respond(
        secretarys,
        issued_audit,
        board,
        received_date="2021-01-01",
        **{f"answer-{first.pk}-stance": "accepted", f"answer-{first.pk}-text": "Ja."},
    )
    assert page.status_code == 200
    assert field_error(page, "id_received_date") == sv(
        "The response cannot arrive before the audit was issued."
    )
    assert not Response.objects.exists()


def test_only_the_bodys_secretary_records_its_response(
    issued_audit, board, committee, region, auditors, two_recommendations
):
    issued_audit.audited_bodies.add(committee)
    other = signed_in(member(region, ROLE.SECRETARY, bodies=(committee,), username="hsn"))
    url = reverse("response-edit", args=[issued_audit.pk, board.pk])
    assert other.get(url).status_code == 403
    assert auditors.get(url).status_code == 403
    assert not Response.objects.exists()


def test_a_draft_cannot_be_answered(secretarys, audit, board):
    audit.audited_bodies.add(board)
    assert secretarys.get(reverse("response-edit", args=[audit.pk, board.pk])).status_code == 404


# The signed document --------------------------------------------------------------------


@pytest.fixture
def uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _download(browser, response: Response):
    page = browser.get(reverse("response-document", args=[response.pk]))
    # Reading the stream to its end closes the file (and the response) as a server would.
    content = b"".join(page.streaming_content) if page.status_code == 200 else b""
    return page, content


def test_a_signed_pdf_is_kept_and_downloadable_by_those_who_may_read_the_response(
    uploads, secretarys, issued_audit, board, committee, region, other_region, two_recommendations
):
    pdf = tiny_pdf()
    narrative = {"kind": "narrative", "narrative": "Regionstyrelsen instämmer."}
    page = _respond(
        secretarys,
        issued_audit,
        board,
        document=SimpleUploadedFile("Yttrande RS.pdf", pdf, content_type="application/pdf"),
        **narrative,
    )
    assert page.status_code == 302
    response = Response.objects.get()
    assert response.document.name.endswith(".pdf")
    assert response.document.path.startswith(str(uploads))

    detail = secretarys.get(reverse("response-detail", args=[response.pk]))
    assert reverse("response-document", args=[response.pk]) in detail.content.decode()

    readers = {
        "secretary": secretarys,
        "auditor": signed_in(member(region, ROLE.AUDITOR)),
        "reader": signed_in(member(region, ROLE.READER)),
    }
    for who, browser in readers.items():
        download, content = _download(browser, response)
        assert download.status_code == 200, who
        assert content == pdf, who
        assert download["Content-Type"] == "application/pdf", who
        assert download["Content-Disposition"].startswith("attachment"), who

    strangers = {
        "secretary of another body": signed_in(
            member(region, ROLE.SECRETARY, bodies=(committee,), username="hsn")
        ),
        "auditor of another region": signed_in(member(other_region, ROLE.AUDITOR)),
    }
    for who, browser in strangers.items():
        download, _content = _download(browser, response)
        assert download.status_code == 404, who
    anonymous = Client().get(reverse("response-document", args=[response.pk]))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))
    # The stored file has no address of its own.
    assert secretarys.get("/" + response.document.name).status_code == 404
    assert response.document.name not in detail.content.decode()


def test_a_word_document_is_accepted_and_a_pdf_is_named_by_its_content(
    uploads, secretarys, issued_audit, board
):
    narrative = {"kind": "narrative", "narrative": "Regionstyrelsen instämmer."}
    docx = SimpleUploadedFile("yttrande.docx", tiny_docx())
    assert _respond(secretarys, issued_audit, board, document=docx, **narrative).status_code == 302
    response = Response.objects.get()
    assert response.document.name.endswith(".docx")

    pdf = SimpleUploadedFile("protokoll.exe", tiny_pdf(), content_type="application/octet-stream")
    assert _respond(secretarys, issued_audit, board, document=pdf, **narrative).status_code == 302
    response.refresh_from_db()
    assert response.document.name.endswith(".pdf")
    download, content = _download(secretarys, response)
    assert (download["Content-Type"], content) == ("application/pdf", tiny_pdf())


def test_a_text_file_named_pdf_is_refused(uploads, secretarys, issued_audit, board):
    fake = SimpleUploadedFile(
        "yttrande.pdf", b"Det har ar ingen PDF, bara text.", content_type="application/pdf"
    )
    page = _respond(
        secretarys,
        issued_audit,
        board,
        kind="narrative",
        narrative="Regionstyrelsen instämmer.",
        document=fake,
    )
    assert page.status_code == 200
    assert field_error(page, "id_document") == sv("Upload a PDF or a Word document (.docx).")
    assert not Response.objects.exists()
    assert not any(path.is_file() for path in uploads.rglob("*"))


# Measures -------------------------------------------------------------------------------


@pytest.fixture
def measure(response, recommendation) -> Measure:
    measure = Measure.objects.create(
        response=response,
        description="Ta fram mål för 1177 på telefon.",
        responsible="Hälso- och sjukvårdsdirektör",
        original_due_date=D(2021, 12, 31),
    )
    measure.recommendations.add(recommendation)
    return measure


def test_secretary_adds_a_measure_to_the_response(secretarys, response, recommendation):
    url = reverse("measure-add", args=[response.pk])
    data = form_data(secretarys.get(url).context["form"])
    data.update(
        description="Ta fram mål för 1177 på telefon.",
        recommendations=[recommendation.pk],
        responsible="Hälso- och sjukvårdsdirektör",
        due_as_written="under hösten 2021",
        original_due_date="2021-12-31",
    )
    page = secretarys.post(url, data)
    measure = Measure.objects.get()
    assert page.status_code == 302
    assert page["Location"] == (
        reverse("response-detail", args=[response.pk]) + f"#measure-{measure.pk}"
    )
    assert (measure.original_due_date, measure.due_date, measure.status) == (
        D(2021, 12, 31),
        D(2021, 12, 31),
        "planned",
    )
    assert list(measure.recommendations.all()) == [recommendation]


def test_a_measure_due_date_must_be_an_iso_date(secretarys, response):
    url = reverse("measure-add", args=[response.pk])
    data = form_data(secretarys.get(url).context["form"])
    data.update(description="Mål.", responsible="HSD", original_due_date="31/12/2021")
    page = secretarys.post(url, data)
    assert page.status_code == 200
    assert field_error(page, "id_original_due_date") == sv(
        "Enter a date as YYYY-MM-DD, e.g. 2022-09-15."
    )
    assert not Measure.objects.exists()


def test_the_original_due_date_cannot_be_edited_after_creation(secretarys, measure):
    url = reverse("measure-edit", args=[measure.pk])
    form = secretarys.get(url).context["form"]
    assert "original_due_date" not in form.fields
    data = form_data(form)
    data.update(description="Besluta om mål för 1177.", original_due_date="2030-01-01")
    page = secretarys.post(url, data)
    assert page.status_code == 302
    measure.refresh_from_db()
    assert measure.description == "Besluta om mål för 1177."
    assert measure.original_due_date == D(2021, 12, 31)


def test_marking_a_measure_done_refuses_a_future_date(secretarys, measure):
    url = reverse("measure-complete", args=[measure.pk])
    data = form_data(secretarys.get(url).context["form"])
    assert data["completed_date"] == _today().isoformat()
    tomorrow = _today() + datetime.timedelta(days=1)
    page = secretarys.post(url, {**data, "completed_date": tomorrow.isoformat()})
    assert page.status_code == 200
    assert field_error(page, "id_completed_date") == sv("The date cannot be in the future.")
    measure.refresh_from_db()
    assert (measure.status, measure.completed_date) == ("planned", None)

    page = secretarys.post(url, {**data, "completed_date": "2021-11-30"})
    assert page.status_code == 302
    measure.refresh_from_db()
    assert (measure.status, measure.completed_date) == ("done", D(2021, 11, 30))


def test_revising_the_due_date_needs_a_reason_and_keeps_the_original(secretarys, measure):
    url = reverse("measure-revise", args=[measure.pk])
    data = form_data(secretarys.get(url).context["form"])
    page = secretarys.post(url, {**data, "revised_due_date": "2022-06-30"})
    assert page.status_code == 200
    assert field_error(page, "id_revision_reason") == sv("A revised due date needs a reason.")
    measure.refresh_from_db()
    assert measure.revised_due_date is None

    page = secretarys.post(
        url,
        {**data, "revised_due_date": "2022-06-30", "revision_reason": "Väntar på ny budget."},
    )
    assert page.status_code == 302
    measure.refresh_from_db()
    assert (measure.original_due_date, measure.revised_due_date, measure.due_date) == (
        D(2021, 12, 31),
        D(2022, 6, 30),
        D(2022, 6, 30),
    )

    detail = secretarys.get(reverse("response-detail", args=[measure.response_id]))
    block = element(detail, f'<div class="block" id="measure-{measure.pk}"', "div")
    assert "2021-12-31" in block and "2022-06-30" in block
    assert "Väntar på ny budget." in block


def test_a_revised_date_equal_to_the_original_is_refused(secretarys, measure):
    url = reverse("measure-revise", args=[measure.pk])
    data = form_data(secretarys.get(url).context["form"])
    data.update(revised_due_date="2021-12-31", revision_reason="Ingen ändring.")
    page = secretarys.post(url, data)
    assert page.status_code == 200
    assert field_error(page, "id_revised_due_date") == sv(
        "The revised date is the same as the original."
    )


def test_only_the_bodys_secretary_changes_its_measures(measure, auditors, region, committee):
    other = signed_in(member(region, ROLE.SECRETARY, bodies=(committee,), username="hsn"))
    for name in ("measure-edit", "measure-complete", "measure-revise"):
        url = reverse(name, args=[measure.pk])
        assert auditors.get(url).status_code == 403, name
        assert auditors.post(url, {"completed_date": "2021-11-30"}).status_code == 403, name
        assert other.get(url).status_code == 404, name
    measure.refresh_from_db()
    assert measure.status == "planned"


# Follow-ups and the recommendation's history -------------------------------------------


def test_auditor_records_a_follow_up_that_the_history_lists(auditors, auditor, recommendation):
    url = reverse("follow-up-add", args=[recommendation.pk])
    page = auditors.post(
        url,
        {"date": "2022-03-15", "assessment": "partly", "comment": "Mål finns, uppföljning saknas."},
    )
    detail = reverse("recommendation-detail", args=[recommendation.pk])
    assert (page.status_code, page["Location"]) == (302, f"{detail}#history")
    follow_up = FollowUp.objects.get()
    assert (follow_up.date, follow_up.assessment, follow_up.recorded_by) == (
        D(2022, 3, 15),
        "partly",
        auditor,
    )
    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.PARTLY_IMPLEMENTED

    page = auditors.get(detail)
    history = element(page, '<section aria-labelledby="history-heading"', "section")
    assert "2022-03-15" in history
    assert sv("Follow-up: %(assessment)s.") % {"assessment": sv("partly implemented")} in history
    assert "Mål finns, uppföljning saknas." in history
    table = element(page, '<section aria-labelledby="follow-ups-heading"', "section")
    assert str(auditor) in table


@pytest.mark.parametrize(
    ("date", "field_message"),
    [
        ("future", "A follow-up cannot be dated in the future."),
        ("2021-01-01", "A follow-up cannot be dated before the audit was issued."),
        ("15/3/2022", "Enter a date as YYYY-MM-DD, e.g. 2022-09-15."),
    ],
)
def test_a_follow_up_date_is_checked(auditors, recommendation, date, field_message):
    if date == "future":
        date = (_today() + datetime.timedelta(days=1)).isoformat()
    page = auditors.post(
        reverse("follow-up-add", args=[recommendation.pk]),
        {"date": date, "assessment": "implemented", "comment": ""},
    )
    assert page.status_code == 200
    assert field_error(page, "id_date") == sv(field_message)
    assert not FollowUp.objects.exists()


def test_secretaries_do_not_follow_up(secretarys, recommendation):
    page = secretarys.post(
        reverse("follow-up-add", args=[recommendation.pk]),
        {"date": "2022-03-15", "assessment": "implemented"},
    )
    assert page.status_code == 403
    assert not FollowUp.objects.exists()


def test_history_lists_issue_answer_measure_and_follow_ups_in_date_order(
    auditors, auditor, recommendation, response, measure
):
    answer_record(
        response=response, recommendation=recommendation, stance="accepted", text="Vi sätter mål."
    )
    measure_complete(measure=measure, completed_date=D(2021, 9, 1))
    # Recorded out of date order: the history follows the dates, not the recording.
    followup_record(
        recommendation=recommendation,
        date=D(2022, 3, 15),
        assessment="implemented",
        comment="Målen är beslutade.",
        recorded_by=auditor,
    )
    followup_record(
        recommendation=recommendation,
        date=D(2021, 12, 1),
        assessment="partly",
        comment="Arbetet pågår.",
        recorded_by=auditor,
    )
    page = auditors.get(reverse("recommendation-detail", args=[recommendation.pk]))
    timeline = element(page, '<ol class="timeline">', "ol")
    events = [
        (date, " ".join(re.sub(r"<[^>]+>", " ", body).split()))
        for date, body in re.findall(
            r'<li><time datetime="([\d-]+)">[\d-]+</time>(.*?)</li>', timeline, re.S
        )
    ]
    assert [date for date, _ in events] == [
        "2021-02-26",
        "2021-05-20",
        "2021-09-01",
        "2021-12-01",
        "2022-03-15",
    ]
    issued, answered, done, first, latest = (event for _, event in events)
    assert issued.startswith(
        sv("Report issued to %(body)s; response due %(deadline)s.")
        % {"body": "Regionstyrelsen", "deadline": D(2021, 5, 31)}
    )
    assert answered.startswith(
        sv("Response from %(body)s: %(stance)s.")
        % {"body": "Regionstyrelsen", "stance": sv("accepted")}
    )
    assert "Vi sätter mål." in answered
    assert done == sv("Measure done: %(measure)s") % {"measure": measure.description}
    assert first.startswith(
        sv("Follow-up: %(assessment)s.") % {"assessment": sv("partly implemented")}
    )
    assert "Arbetet pågår." in first
    assert latest.startswith(sv("Follow-up: %(assessment)s.") % {"assessment": sv("implemented")})
    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.IMPLEMENTED


def test_the_history_shows_a_narrative_response(auditors, recommendation, response):
    response.kind = Response.Kind.NARRATIVE
    response.narrative = "Regionstyrelsen instämmer i revisorernas bedömning."
    response.save()
    page = auditors.get(reverse("recommendation-detail", args=[recommendation.pk]))
    timeline = element(page, '<ol class="timeline">', "ol")
    assert sv("Narrative response from %(body)s.") % {"body": "Regionstyrelsen"} in timeline
    assert "Regionstyrelsen instämmer i revisorernas bedömning." in timeline
    assert not Answer.objects.exists()
