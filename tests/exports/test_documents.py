"""The five documents, rendered from the demo data and read back from the PDF."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from django.utils.text import capfirst

from audits.demo import content
from audits.exports import DocumentRequest, Kind, render
from audits.models import Audit, QuestionSet
from recommendations.models import Answer, Measure, Recommendation
from regions.access import operator_scope, scope_for
from regions.models import Body, Membership, User

from ..web import demo_for_a_module
from .pdf import ReadPdf, flat, in_order, read_pdf

# Every test here reads the database (the module fixture renders the report from it):
# marked so, they run before the tests that empty the database between them.
pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NUMBER = content.NORRBOTTEN_AUDIT["reference_number"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with demo_for_a_module(django_db_blocker, TODAY):
        yield django_db_blocker


def _norrbotten() -> Audit:
    return Audit.objects.get(reference_number=NUMBER)


def _pdf(kind: Kind, language: str = "sv", **about) -> ReadPdf:
    return read_pdf(
        render(DocumentRequest(kind, **about), operator_scope(), language=language).data
    )


@pytest.fixture(scope="module")
def report(demo) -> ReadPdf:
    with demo.unblock():
        return _pdf(Kind.REPORT, audit=_norrbotten().pk)


def test_the_report_is_archival_tagged_swedish_and_titled(report):
    assert report.pdfa == ("3", "A")
    assert report.language == "sv"
    assert report.title == "Revisionsrapport: Granskning av 1177 – Region Norrbotten"
    assert "/StructTreeRoot" in report.reader.trailer["/Root"]
    assert report.reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    fonts = report.fonts()
    assert fonts, "no fonts found"
    assert all(embedded for _, embedded in fonts), fonts
    assert {name.split("+")[-1] for name, _ in fonts} >= {"DejaVu-Sans", "DejaVu-Sans-Bold"}


def test_every_page_has_the_reference_number_and_its_number_but_the_cover(report):
    total = len(report.pages)
    assert total >= 6
    assert NUMBER not in report.pages[0].replace(f"Diarienummer {NUMBER}", "")
    assert "Sida" not in report.pages[0]
    for number, page in enumerate(report.pages[1:], start=2):
        # The margin boxes come last in the page's text: header, then page number.
        assert page.endswith(f"{NUMBER} Sida {number} av {total}"), page[-80:]


def test_the_cover_names_region_date_firm_consultants_and_reviewer(report):
    cover = report.pages[0]
    for words in (
        "Revisionsrapport",
        "Granskning av 1177",
        "Region Norrbotten",
        "2021-02-26",
        NUMBER,
        "PwC",
        "Erik Jansen, revisionskonsult",
        "Michaela Nyman, revisionskonsult",
        "Ulrik Hellmark, revisionskonsult",
        "Kvalitetsgranskning Matti Leskelä, certifierad kommunal revisor",
    ):
        assert words in cover, words


def test_the_report_holds_every_question_rating_recommendation_and_the_deadline(report):
    text = report.text
    for question in content.QUESTIONS:
        assert text.count(flat(question)) >= 3, question  # summary, chapter 2, table
    for label, comment in content.RATINGS["norrbotten"]:
        assert f"Bedömning: {label}" in text
        assert flat(comment) in text
    for number, recommendation, _ in content.NORRBOTTEN_AUDIT["recommendations"]:
        assert f"Rekommendation {number}. {flat(recommendation)}" in text
    assert "Riktad till: Regionstyrelsen" in text
    assert "Revisorerna önskar svar senast 2021-05-31." in text
    for heading in ("Sammanfattning", "Syfte och revisionsfrågor", "Revisionskriterier", "Metod"):
        assert heading in text
    for criterion in content.NORRBOTTEN_AUDIT["criteria"]:
        assert flat(criterion) in text
    assert flat(content.NORRBOTTEN_AUDIT["overall_assessment"]) in text


def test_the_summary_table_lists_the_questions_in_order_with_their_ratings(report):
    table = report.pages[-1]
    assert table.startswith(
        "4. Bedömningar utifrån revisionsfrågor Revisionsfråga Bedömning Kommentar"
    )
    rows = []
    for number, (question, (label, comment)) in enumerate(
        zip(content.QUESTIONS, content.RATINGS["norrbotten"], strict=True), start=1
    ):
        rows += [f"{number}. {flat(question)}", label, flat(comment)]
    assert in_order(table, rows), table
    # The scale's words are spelled out beside their colours.
    assert "Bedömningsskala: Uppfylld · Delvis uppfylld · Ej uppfylld" in table


def test_the_contents_give_page_numbers(report):
    contents = report.pages[1]
    assert contents.startswith("Innehåll")
    for heading in ("Sammanfattning", "4. Bedömningar utifrån revisionsfrågor"):
        page = next(i for i, text in enumerate(report.pages, 1) if text.startswith(heading))
        assert re.search(rf"{re.escape(heading)} \.+ ?{page}\b", contents), heading


def test_a_report_in_english_for_an_english_user(demo, db):
    english = _pdf(Kind.REPORT, language="en", audit=_norrbotten().pk)
    assert english.language == "en"
    assert english.title == "Audit report: Granskning av 1177 – Region Norrbotten"
    assert "4. Assessments by audit question" in english.text
    assert f"Page 2 of {len(english.pages)}" in english.pages[1]
    # The findings are as written; only the frame is translated.
    assert "Assessment: Delvis uppfylld" in english.text


def test_a_draft_says_so_on_every_page(demo, db):
    draft = Audit.objects.get(region__code="norrbotten", status=Audit.Status.ONGOING)
    pdf = _pdf(Kind.REPORT, audit=draft.pk)
    assert all("Utkast – inte överlämnad" in page for page in pdf.pages)
    # Not issued: the date is today's, and no response deadline is asked for.
    assert TODAY.isoformat() in pdf.pages[0]
    assert "önskar svar senast" not in pdf.text


def test_the_cover_letter_asks_each_body_by_the_deadline_and_is_signed_by_the_chair(demo, db):
    audit = _norrbotten()
    chair = User.objects.get(username="revisor.norrbotten")
    assert Membership.objects.get(user=chair, region=audit.region).is_chair
    letter = _pdf(Kind.COVER_LETTER, audit=audit.pk)
    assert letter.pdfa == ("3", "A")
    assert letter.title == "Missiv: Granskning av 1177 – Regionstyrelsen"
    text = letter.text
    assert "Till: Regionstyrelsen Region Norrbotten" in text
    for number, recommendation, _ in content.NORRBOTTEN_AUDIT["recommendations"]:
        assert f"{number}. {flat(recommendation)}" in text
    assert (
        "Revisorerna önskar svar från Regionstyrelsen på rekommendationerna, med vilka "
        "åtgärder som vidtas och när, senast 2021-05-31."
    ) in text
    assert f"För revisorerna i Region Norrbotten {chair.get_full_name()} Ordförande" in text


def test_one_letter_per_body_and_only_its_own_recommendations(demo, db):
    audit = _norrbotten()
    committee = Body.objects.create(region=audit.region, name="Hälso- och sjukvårdsnämnden")
    audit.audited_bodies.add(committee)
    Recommendation.objects.create(
        audit=audit, body=committee, number=5, text="Följ upp väntetiderna i telefonen."
    )
    both = _pdf(Kind.COVER_LETTER, audit=audit.pk)
    one = _pdf(Kind.COVER_LETTER, audit=audit.pk, body=committee.pk)
    assert "Till: Hälso- och sjukvårdsnämnden" in both.text
    assert "Till: Regionstyrelsen" in both.text
    assert "Till: Regionstyrelsen" not in one.text
    assert "5. Följ upp väntetiderna i telefonen." in one.text
    assert flat(content.NORRBOTTEN_AUDIT["recommendations"][0][1]) not in one.text


def test_the_response_summary_has_stances_answers_measures_and_revised_dates(demo, db):
    audit = Audit.objects.get(region__code="vasterbotten", reference_number="REV 2021:7")
    pdf = _pdf(Kind.RESPONSE, audit=audit.pk)
    text = pdf.text
    assert pdf.pdfa == ("3", "A")
    assert "Sammanställning av yttranden" in text
    for number, (stance, answer) in content.VASTERBOTTEN_ANSWERS.items():
        recommendation = audit.recommendations.get(number=number)
        said = capfirst(Answer.Stance(stance).label)
        assert in_order(
            text,
            [f"Rekommendation {number}", flat(recommendation.text), f"Svar: {said}", flat(answer)],
        ), number
    for measure in Measure.objects.filter(response__audit=audit):
        assert flat(measure.description) in text
        assert measure.responsible in text


def test_the_response_summary_shows_original_and_revised_dates_with_the_reason(demo, db):
    audit = _norrbotten()
    revised = Measure.objects.get(response__audit=audit, revised_due_date__isnull=False)
    text = _pdf(Kind.RESPONSE, audit=audit.pk).text
    assert in_order(
        text,
        [
            revised.revised_due_date.isoformat(),
            f"Ursprungligen {revised.original_due_date.isoformat()}",
            f"Skäl: {revised.revision_reason}",
            "Pågår",
            "försenad",
        ],
    ), text
    # One narrative for the whole report: said once per recommendation, shown in full.
    assert "Nämnden har svarat i ett sammanhållet yttrande; se nedan." in text
    assert flat(content.NORRBOTTEN_DECISION["narrative"]) in text


def test_the_follow_up_report_has_latest_follow_ups_overdue_revisions_and_rates(demo, db):
    pdf = _pdf(Kind.FOLLOWUP, region="norrbotten")
    text = pdf.text
    assert pdf.pdfa == ("3", "A")
    assert pdf.title == "Uppföljningsrapport: Region Norrbotten"
    for recommendation in Recommendation.objects.filter(audit__reference_number=NUMBER):
        latest = recommendation.follow_ups.latest()
        assert f"{recommendation.number}. {flat(recommendation.text)[:60]}" in text
        assert f"{latest.date.isoformat()}: {capfirst(latest.get_assessment_display())}" in text
    # 1 of 4 implemented (the draft follow-up audit is not issued, so not counted).
    assert "Genomförandegrad 25 % (1/4)" in text
    assert "2021 4 1 25 %" in text
    revised = Measure.objects.get(
        response__audit__reference_number=NUMBER, revised_due_date__isnull=False
    )
    overdue_days = (TODAY - revised.revised_due_date).days
    assert in_order(text, ["Försenade åtgärder", flat(revised.description), str(overdue_days)])
    assert in_order(
        text,
        [
            "Ändrade slutdatum",
            flat(revised.description),
            revised.original_due_date.isoformat(),
            revised.revised_due_date.isoformat(),
            revised.revision_reason,
        ],
    )
    # Two charts, each tagged as a figure with a text alternative, and the same
    # figures as tables.
    alts = pdf.alt_texts()
    assert any(alt.startswith("Rekommendationer per status") for alt in alts), alts
    assert any(alt.startswith("Genomförandegrad per år för överlämnande") for alt in alts), alts
    assert "Rekommendationer per status Status Antal" in text


def test_the_follow_up_report_filters_by_year_body_and_status(demo, db):
    implemented = _pdf(Kind.FOLLOWUP, region="norrbotten", status="implemented")
    assert "Status Genomförd" in implemented.text
    assert "Rekommendationer 1 " in implemented.text
    later = _pdf(Kind.FOLLOWUP, region="norrbotten", year=2030)
    assert "Inga rekommendationer matchar." in later.text
    assert "År 2030" in later.text


def test_the_comparison_memo_sets_each_regions_ratings_side_by_side(demo, db):
    question_set = QuestionSet.objects.get()
    pdf = _pdf(Kind.COMPARISON, question_set=question_set.pk)
    text = pdf.text
    assert pdf.pdfa == ("3", "A")
    # The regions in alphabetical order, each question's row with the three ratings.
    assert "Revisionsfråga Region Norrbotten Region Västerbotten Region Västmanland" in text
    order = ("norrbotten", "vasterbotten", "vastmanland")
    for number, question in enumerate(content.QUESTIONS):
        labels = [content.RATINGS[code][number][0] for code in order]
        assert in_order(text, [f"{number + 1}. {flat(question)}", *labels]), number
    assert "Region Norrbotten Granskning av 1177 Uppföljd 4 0 1/1" in text


def test_the_comparison_memo_shows_other_regions_drafts_to_nobody(demo, db):
    question_set = QuestionSet.objects.get()
    Audit.objects.filter(region__code="vasterbotten", question_set=question_set).update(
        status=Audit.Status.FACT_CHECK
    )
    norrbotten = scope_for(User.objects.get(username="revisor.norrbotten"))
    vasterbotten = scope_for(User.objects.get(username="revisor.vasterbotten"))
    request = DocumentRequest(Kind.COMPARISON, question_set=question_set.pk)
    seen_by_norrbotten = read_pdf(render(request, norrbotten, language="sv").data).text
    seen_by_vasterbotten = read_pdf(render(request, vasterbotten, language="sv").data).text
    assert "Region Västerbotten" not in seen_by_norrbotten
    assert "Region Norrbotten Region Västmanland" in seen_by_norrbotten
    assert "Region Västerbotten Utkast" in seen_by_vasterbotten


def test_five_documents_from_one_entry_point_take_the_users_scope(demo, db):
    secretary = scope_for(User.objects.get(username="sekreterare.vasterbotten"))
    draft = Audit.objects.get(region__code="norrbotten", status=Audit.Status.ONGOING)
    from audits.exports import NotFound

    for kind in (Kind.REPORT, Kind.COVER_LETTER, Kind.RESPONSE, Kind.COMPARISON):
        with pytest.raises(NotFound):
            render(DocumentRequest(kind, audit=draft.pk), secretary, language="sv")
    with pytest.raises(NotFound):
        render(DocumentRequest(Kind.FOLLOWUP, region="norrbotten"), secretary, language="sv")


def test_dates_are_iso_in_both_languages(demo, db):
    audit = _norrbotten()
    for language in ("sv", "en"):
        text = _pdf(Kind.COVER_LETTER, language=language, audit=audit.pk).text
        assert "2021-02-26" in text
        assert "2021-05-31" in text
        assert not any(month in text for month in ("februari", "February", "maj 2021", "May 2021"))


def test_a_deadline_passed_without_response_is_marked(demo, db):
    audit = Audit.objects.get(reference_number="REV 2026:3")
    Audit.objects.filter(pk=audit.pk).update(response_deadline=TODAY - datetime.timedelta(days=1))
    text = _pdf(Kind.RESPONSE, audit=audit.pk).text
    assert "Inget yttrande; sista svarsdagen har passerats" in text
