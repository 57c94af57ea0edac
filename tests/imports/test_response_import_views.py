"""Filling in a body's response form from its response document, for review, unsaved."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from audits.models import Audit
from recommendations.models import Answer, Recommendation, Response
from recommendations.views import response_import
from regions.models import Body, Membership, Region

from ..helpers import tiny_docx, tiny_pdf
from ..web import element, field_error, form_data, member, signed_in, text

ROLE = Membership.Role
SEEDS = Path("/work/shared/seeds")

# Our own short responses, written the way the bodies write theirs.
PER_RECOMMENDATION = """\
Yttrande över revisionsrapporten Granskning av telefonrådgivningen

Regionstyrelsen lämnar följande svar på revisorernas rekommendationer.

1. Fastställ mål för tillgängligheten i telefonrådgivningen

Svar:
Styrelsen delar revisorernas bedömning. Mål för andelen besvarade samtal och för
väntetiden beslutas i verksamhetsplanen för nästa år.

2. Följ upp målen varje kvartal

Svar:
Uppföljningen läggs in i kvartalsrapporterna från och med första kvartalet.
"""

NARRATIVE = """\
Yttrande över granskning av telefonrådgivningen

Regionstyrelsen har tagit del av revisorernas rapport och instämmer i huvudsak i
bedömningarna. Arbetet med tillgängligheten har prioriterats under året och fortsätter
enligt regionplanen. Styrelsen återkommer med en samlad redovisning i samband med
årsbokslutet.
"""


@pytest.fixture
def committee(region) -> Body:
    return Body.objects.create(region=region, name="Hälso- och sjukvårdsnämnden", short_name="HSN")


@pytest.fixture
def recommendations(issued_audit, board) -> list[Recommendation]:
    texts = [
        "Fastställ mål för tillgängligheten i telefonrådgivningen.",
        "Följ upp målen varje kvartal.",
        "Inför en miniminivå för e-tjänsterna på hälsocentralerna.",
    ]
    return [
        Recommendation.objects.create(audit=issued_audit, body=board, number=n, text=t)
        for n, t in enumerate(texts, start=1)
    ]


@pytest.fixture
def secretarys(region, board) -> Client:
    return signed_in(member(region, ROLE.SECRETARY, bodies=(board,)))


def _upload(browser: Client, audit: Audit, body: Body, name: str, content: bytes, **extra):
    document = SimpleUploadedFile(name, content, content_type="text/plain")
    url = reverse("response-import", args=[audit.pk, body.pk])
    return browser.post(url, {"import-document": document, **extra})


def _answer_form(page, recommendation: Recommendation):
    [form] = [f for f in page.context["answer_forms"] if f.recommendation == recommendation]
    return form


def _textarea(page, name: str) -> str:
    return element(page, f'<textarea name="{name}"', "textarea")


def test_a_response_per_recommendation_fills_in_each_answer_unsaved(
    secretarys, issued_audit, board, recommendations
):
    first, second, third = recommendations
    page = _upload(secretarys, issued_audit, board, "yttrande.txt", PER_RECOMMENDATION.encode())

    assert page.status_code == 200
    assert not Response.objects.exists()
    assert page.context["form"]["kind"].value() == Response.Kind.PER_RECOMMENDATION
    assert "beslutas i verksamhetsplanen" in _textarea(page, f"answer-{first.pk}-text")
    assert "kvartalsrapporterna" in _textarea(page, f"answer-{second.pk}-text")
    assert "kvartalsrapporterna" not in _textarea(page, f"answer-{first.pk}-text")
    assert _answer_form(page, third)["text"].value() in (None, "")
    # The stance is the secretary's to choose: none is ticked.
    for recommendation in recommendations:
        assert _answer_form(page, recommendation)["stance"].value() in (None, "")
    # The passage each answer came from is shown next to it.
    fieldset = element(
        page, f'<fieldset class="block" aria-labelledby="answer-{second.pk}', "fieldset"
    )
    assert "<blockquote" in fieldset and "kvartalsrapporterna" in fieldset
    content = text(page)
    assert "yttrande.txt" in content
    # The recommendation the document does not answer is named.
    assert f'href="#answer-{third.pk}-legend"' in content
    # Saving goes through the ordinary, validated path.
    action = reverse("response-edit", args=[issued_audit.pk, board.pk])
    assert f'<form method="post" action="{action}"' in content


def test_saving_the_filled_in_form_with_stances_records_the_answers(
    secretarys, issued_audit, board, recommendations
):
    first, second, _third = recommendations
    page = _upload(secretarys, issued_audit, board, "yttrande.txt", PER_RECOMMENDATION.encode())
    data = form_data(page.context["form"])
    for answer_form in page.context["answer_forms"]:
        data.update(form_data(answer_form))
    data[f"answer-{first.pk}-stance"] = Answer.Stance.ACCEPTED
    data[f"answer-{second.pk}-stance"] = Answer.Stance.ACCEPTED

    saved = secretarys.post(reverse("response-edit", args=[issued_audit.pk, board.pk]), data)

    assert saved.status_code == 302
    response = Response.objects.get()
    assert response.kind == Response.Kind.PER_RECOMMENDATION
    answers = {a.recommendation_id: a for a in response.answers.all()}
    assert set(answers) == {first.pk, second.pk}
    assert "beslutas i verksamhetsplanen" in answers[first.pk].text
    assert "kvartalsrapporterna" in answers[second.pk].text


def test_a_narrative_response_is_proposed_as_one_narrative(
    secretarys, issued_audit, board, recommendations
):
    page = _upload(secretarys, issued_audit, board, "yttrande.txt", NARRATIVE.encode())

    assert page.status_code == 200
    assert not Response.objects.exists()
    assert page.context["form"]["kind"].value() == Response.Kind.NARRATIVE
    assert "samlad redovisning" in _textarea(page, "narrative")
    for recommendation in recommendations:
        assert _answer_form(page, recommendation)["text"].value() in (None, "")


# One answer to two recommendations quoted as bullets above it.
JOINT_ANSWER = """\
Yttrande över revisionsrapporten Granskning av telefonrådgivningen

Revisorernas rekommendationer och styrelsens kommentarer
• ”Fastställ mål för tillgängligheten i telefonrådgivningen.”
• ”Följ upp målen varje kvartal.”
Styrelsens kommentar: Mål för andelen besvarade samtal beslutas i verksamhetsplanen och
följs upp i kvartalsrapporterna.
"""


def test_one_answer_to_two_recommendations_fills_in_both_and_saves(
    secretarys, issued_audit, board, recommendations
):
    first, second, third = recommendations
    page = _upload(secretarys, issued_audit, board, "yttrande.txt", JOINT_ANSWER.encode())

    assert page.status_code == 200
    assert page.context["form"]["kind"].value() == Response.Kind.PER_RECOMMENDATION
    for recommendation in (first, second):
        assert "kvartalsrapporterna" in _textarea(page, f"answer-{recommendation.pk}-text")
        fieldset = element(
            page, f'<fieldset class="block" aria-labelledby="answer-{recommendation.pk}', "fieldset"
        )
        assert "<blockquote" in fieldset and "Följ upp målen varje kvartal" in fieldset
    assert _answer_form(page, third)["text"].value() in (None, "")
    imported = page.context["imported"]
    # The shared answer is matched, not also listed as unmatched.
    assert imported.unmatched == []
    assert imported.unanswered == [third]

    data = form_data(page.context["form"])
    for answer_form in page.context["answer_forms"]:
        data.update(form_data(answer_form))
    data[f"answer-{first.pk}-stance"] = Answer.Stance.ACCEPTED
    data[f"answer-{second.pk}-stance"] = Answer.Stance.ACCEPTED
    saved = secretarys.post(reverse("response-edit", args=[issued_audit.pk, board.pk]), data)

    assert saved.status_code == 302
    answers = {a.recommendation_id: a.text for a in Response.objects.get().answers.all()}
    assert set(answers) == {first.pk, second.pk}
    assert answers[first.pk] == answers[second.pk]
    assert "kvartalsrapporterna" in answers[first.pk]


UNREADABLE = "The document has no text that can be read. Upload a PDF with text (not a scanned image) or a text file (.txt)."  # noqa: E501


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("skannad.pdf", tiny_pdf(), UNREADABLE),
        ("yttrande.docx", tiny_docx(), "Upload a PDF or a text file (.txt)."),
    ],
)
def test_an_unreadable_document_is_an_error_next_to_the_file_field(
    secretarys, issued_audit, board, recommendations, name, content, message
):
    page = _upload(secretarys, issued_audit, board, name, content)

    assert page.status_code == 200
    assert field_error(page, "id_import-document") == gettext(message)
    assert page.context["imported"] is None
    assert not Response.objects.exists()


def test_a_document_over_the_size_limit_is_refused(
    settings, secretarys, issued_audit, board, recommendations
):
    settings.UPLOAD_MAX_BYTES = 100
    page = _upload(secretarys, issued_audit, board, "yttrande.txt", PER_RECOMMENDATION.encode())

    assert page.status_code == 200
    message = gettext("The file is too large (at most %(limit)s).") % {"limit": filesizeformat(100)}
    assert field_error(page, "id_import-document") == " ".join(message.split())
    assert not Response.objects.exists()


def test_only_the_bodys_secretary_may_import_its_response(
    issued_audit, board, committee, region, other_region, recommendations
):
    issued_audit.audited_bodies.add(committee)
    other_body = Body.objects.create(region=other_region, name="Regionstyrelsen")
    refused = {
        "auditor": (signed_in(member(region, ROLE.AUDITOR)), 403),
        "reader": (signed_in(member(region, ROLE.READER)), 403),
        "another body's secretary": (
            signed_in(member(region, ROLE.SECRETARY, bodies=(committee,), username="hsn")),
            403,
        ),
        "another region's secretary": (
            signed_in(member(other_region, ROLE.SECRETARY, bodies=(other_body,))),
            404,
        ),
    }
    for who, (browser, status) in refused.items():
        page = _upload(browser, issued_audit, board, "yttrande.txt", PER_RECOMMENDATION.encode())
        assert page.status_code == status, who
        assert "beslutas i verksamhetsplanen" not in page.content.decode(), who
    assert not Response.objects.exists()


def test_a_draft_audit_cannot_be_imported_into(secretarys, audit, board):
    audit.audited_bodies.add(board)
    page = _upload(secretarys, audit, board, "yttrande.txt", PER_RECOMMENDATION.encode())
    assert page.status_code == 404


def test_answers_matching_no_recommendation_are_listed_and_the_date_proposed(
    monkeypatch, secretarys, issued_audit, board, recommendations
):
    """Nothing in the document is silently dropped (the reader is stubbed: this is about
    what the page does with a proposal, not about reading)."""
    first = recommendations[0]
    matched = {
        "number": "1",
        "recommendation": "Fastställ mål",
        "text": "Målen beslutas i höst.",
        "source": {"text": "1. Fastställ mål ... Svar: Målen beslutas i höst.", "page": 2},
    }
    stray = {
        "number": "7",
        "recommendation": "Anställ fler sjuksköterskor",
        "text": "Rekrytering pågår.",
        "source": {"text": "7. Anställ fler ... Svar: Rekrytering pågår.", "page": 3},
    }
    proposal = {
        "title": "Yttrande",
        "body": "Regionstyrelsen",
        "date": "2021-05-18",
        "answers": [matched, stray],
        "narrative": None,
        "sources": {"date": {"text": "Regionstyrelsen 2021-05-18 § 45", "page": 4}},
    }
    monkeypatch.setattr(response_import, "propose_response", lambda source: proposal)
    monkeypatch.setattr(response_import, "match_answers", lambda response, recs: {1: matched})

    page = _upload(secretarys, issued_audit, board, "yttrande.txt", PER_RECOMMENDATION.encode())

    assert page.status_code == 200
    assert page.context["form"]["decision_date"].value() == datetime.date(2021, 5, 18)
    assert re.search(
        r'<input type="text" name="decision_date" value="2021-05-18"', page.content.decode()
    )
    assert _answer_form(page, first)["text"].value() == "Målen beslutas i höst."
    imported = page.context["imported"]
    assert imported.unmatched == [stray]
    assert [r.number for r in imported.unanswered] == [2, 3]
    content = text(page)
    assert "Rekrytering pågår." in content and "Anställ fler sjuksköterskor" in content
    assert "Regionstyrelsen 2021-05-18 § 45" in content
    assert not Response.objects.exists()


def test_importing_over_a_saved_response_keeps_its_stances_and_version(
    monkeypatch, secretarys, issued_audit, board, recommendations
):
    first = recommendations[0]
    response = Response.objects.create(
        audit=issued_audit, body=board, received_date=datetime.date(2021, 5, 20)
    )
    Answer.objects.create(
        response=response, recommendation=first, stance=Answer.Stance.PARTLY, text="Delvis."
    )
    matched = {
        "number": "1",
        "recommendation": None,
        "text": "Målen beslutas i höst.",
        "source": {"text": "Svar: Målen beslutas i höst.", "page": None},
    }
    proposal = {
        "title": None,
        "body": None,
        "date": None,
        "answers": [matched],
        "narrative": None,
        "sources": {},
    }
    monkeypatch.setattr(response_import, "propose_response", lambda source: proposal)
    monkeypatch.setattr(response_import, "match_answers", lambda response, recs: {1: matched})

    page = _upload(secretarys, issued_audit, board, "yttrande.txt", PER_RECOMMENDATION.encode())

    answer_form = _answer_form(page, first)
    assert answer_form["text"].value() == "Målen beslutas i höst."
    assert answer_form["stance"].value() == Answer.Stance.PARTLY
    assert page.context["form"]["received_date"].value() == datetime.date(2021, 5, 20)
    assert page.context["form"]["version"].value() == response.version
    assert Answer.objects.get().text == "Delvis."


def test_the_response_page_offers_the_import(secretarys, issued_audit, board, recommendations):
    page = secretarys.get(reverse("response-edit", args=[issued_audit.pk, board.pk]))
    action = reverse("response-import", args=[issued_audit.pk, board.pk])
    assert f'action="{action}"' in page.content.decode()
    assert 'name="import-document"' in page.content.decode()


def test_the_import_stays_within_its_query_budget(
    django_assert_max_num_queries, secretarys, issued_audit, board, recommendations
):
    secretarys.get(reverse("response-edit", args=[issued_audit.pk, board.pk]))  # warm up
    with django_assert_max_num_queries(10):
        page = _upload(secretarys, issued_audit, board, "yttrande.txt", PER_RECOMMENDATION.encode())
    assert page.status_code == 200


# The real response of Region Västerbotten's health committee ---------------------------


@pytest.fixture
def vasterbotten(db) -> Region:
    return Region.objects.create(name="Region Västerbotten", code="vasterbotten")


def test_the_vasterbotten_committee_response_answers_its_three_recommendations(vasterbotten, scale):
    committee = Body.objects.create(region=vasterbotten, name="Hälso- och sjukvårdsnämnden")
    audit = Audit.objects.create(
        region=vasterbotten,
        title="Granskning av 1177",
        year=2021,
        rating_scale=scale,
        status=Audit.Status.ISSUED,
        issued_date=datetime.date(2021, 2, 26),
        response_deadline=datetime.date(2021, 5, 31),
    )
    audit.audited_bodies.add(committee)
    quoted = [
        "Besluta om direktiv, mål, uppdrag och strategier för verksamheternas arbete med "
        "1177 Vårdguiden",
        "Följ upp och utvärdera verksamheternas arbete med 1177 samt måluppfyllelse",
        "Säkerställ att det under 2021 tas fram en miniminivå gällande vilket utbud av "
        "1177:s e-tjänster som enskilda hälsocentraler och mottagningar ska erbjuda",
    ]
    recommendations = [
        Recommendation.objects.create(audit=audit, body=committee, number=n, text=t)
        for n, t in enumerate(quoted, start=1)
    ]
    browser = signed_in(member(vasterbotten, ROLE.SECRETARY, bodies=(committee,)))
    content = (SEEDS / "vasterbotten-1177-committee-response.txt").read_bytes()

    page = _upload(browser, audit, committee, "yttrande-hsn.txt", content)

    assert page.status_code == 200
    assert page.context["form"]["kind"].value() == Response.Kind.PER_RECOMMENDATION
    expected = {
        1: "fundament",
        2: "styrgruppen",
        3: "basutbud",
    }
    for recommendation in recommendations:
        answer = _answer_form(page, recommendation)["text"].value() or ""
        assert expected[recommendation.number] in answer, recommendation.number
        others = [word for number, word in expected.items() if number != recommendation.number]
        assert not any(word in answer for word in others), recommendation.number
    assert page.context["imported"].unmatched == []
    assert page.context["imported"].unanswered == []
    assert not Response.objects.exists()


def test_the_vastmanland_board_response_is_one_narrative(secretarys, issued_audit, board):
    Recommendation.objects.create(
        audit=issued_audit, body=board, number=1, text="Säkerställ styrningen av 1177."
    )
    content = (SEEDS / "vastmanland-1177-board-response.txt").read_bytes()

    page = _upload(secretarys, issued_audit, board, "yttrande-rs.txt", content)

    assert page.status_code == 200
    assert page.context["form"]["kind"].value() == Response.Kind.NARRATIVE
    assert "Digitalt först" in (page.context["form"]["narrative"].value() or "")
    assert page.context["imported"].unmatched == []
    assert not Response.objects.exists()
