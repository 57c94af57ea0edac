"""The report and response reader on the real documents in ../shared/seeds, as text and
as PDFs rendered from them (running header, page footer, hyphenated line breaks)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from audits.importing import (
    UnreadableDocument,
    match_answers,
    propose_report,
    propose_response,
    public_json,
    read_document,
)
from audits.importing.text import clean_pages

from .render import render_pdf

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
REPORT = SEEDS / "norrbotten-1177-audit-report-2021.txt"
PER_RECOMMENDATION = SEEDS / "vasterbotten-1177-committee-response.txt"
NARRATIVE = SEEDS / "vastmanland-1177-board-response.txt"

RATINGS = ["Uppfylld", "Delvis uppfylld", "Delvis uppfylld", "Ej uppfylld", "Delvis uppfylld"]


def as_pdf(path: Path, *, width_mm: int, footer: str = "sida") -> bytes:
    """The seed's lines in a narrow column, so that lines wrap and words are hyphenated."""
    lines = read_document(path.read_bytes()).lines
    return render_pdf(
        "\n".join(line.text for line in lines),
        header="Revisionsrapport – Region Norrbotten",
        width_mm=width_mm,
        footer=footer,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def report_versions() -> dict[str, bytes]:
    return {
        "text": REPORT.read_bytes(),
        "pdf-120mm": as_pdf(REPORT, width_mm=120),
        "pdf-95mm-number": as_pdf(REPORT, width_mm=95, footer="number"),
    }


@pytest.mark.parametrize("version", ["text", "pdf-120mm", "pdf-95mm-number"])
def test_norrbotten_report(report_versions: dict[str, bytes], version: str) -> None:
    source = read_document(report_versions[version])
    assert source.kind == ("text" if version == "text" else "pdf")
    proposal = propose_report(source)
    questions = proposal["questions"]
    assert [q["number"] for q in questions] == ["1", "2", "3", "4", "5"]
    assert [q["rating"] for q in questions] == RATINGS
    assert questions[0]["text"] == (
        "Har användandet av de nationella invånartjänsterna 1177 utvecklats i önskvärd "
        "riktning utifrån nationella och egna målsättningar sedan tidpunkten för föregående "
        "granskning?"
    )
    # Hyphenated in the narrow PDF column, mended on reading.
    assert questions[4]["text"] == (
        "Säkerställer regionstyrelsen att invånartjänsterna är välfungerande utifrån ett "
        "medborgarperspektiv?"
    )
    assert proposal["scale"] == "uppfylld"
    recommendations = proposal["recommendations"]
    assert len(recommendations) == 4
    assert recommendations[1]["text"].startswith("Att styrelsen överväger att sätta")
    assert recommendations[3]["text"].endswith("ur ett medborgarperspektiv.")
    assert {r["body"] for r in recommendations} == {"regionstyrelsen"}
    assert proposal["region"] == "Region Norrbotten"
    assert proposal["firm"] == "PwC"
    assert proposal["date"] == "2021-02-01"
    assert proposal["year"] == 2021
    assert proposal["title"] == "1177"
    assert [p["name"] for p in proposal["consultants"]] == [
        "Erik Jansen",
        "Michaela Nyman",
        "Ulrik Hellmark",
        "Matti Leskelä",
    ]
    assert proposal["consultants"][3]["title"] == "certifierad kommunal revisor"
    assert proposal["purpose"].startswith("Syftet med granskningen har varit att bedöma om")
    assert proposal["overall_assessment"].startswith("Vår samlade revisionella bedömning är att")
    assert "den interna kontrollen inte helt är tillräcklig" in proposal["overall_assessment"]
    # No cover letter in this report, so no deadline is made up.
    assert proposal["response_deadline"] is None
    # Nothing of the page furniture leaks into what was read.
    dumped = json.dumps(public_json(proposal), ensure_ascii=False)
    assert "Sida " not in dumped and "Revisionsrapport – Region" not in dumped


def test_every_value_shows_its_passage(report_versions: dict[str, bytes]) -> None:
    proposal = propose_report(read_document(report_versions["pdf-120mm"]))
    sources = proposal["sources"]
    assert "Region Norrbotten" in sources["region"]["text"]
    assert "Februari 2021" in sources["date"]["text"]
    assert sources["date"]["page"] == 1
    assert "PwC" in sources["firm"]["text"]
    assert isinstance(sources["purpose"]["page"], int)
    for question in proposal["questions"]:
        first_words = " ".join(question["text"].split()[:3])
        assert first_words in " ".join(question["source"]["text"].split())
        assert "uppfyll" in question["rating_source"]["text"].lower()
        assert isinstance(question["rating_source"]["page"], int)
    for recommendation in proposal["recommendations"]:
        assert recommendation["source"]["text"].startswith("●")


DOCUMENTS = Path(__file__).resolve().parent / "documents"


@pytest.mark.parametrize(
    ("stem", "issued"),
    [
        # The cover letter comes after the report, a month later.
        ("fjallmark-kompetensforsorjning-2023", "2023-10-05"),
        # A missiv before the title page ("Skrivelse 2022-11-15").
        ("ostervik-avtalstrohet-2022", "2022-11-15"),
        # No letter: the closing paragraph asks for the answer and is signed after it.
        ("norras-grundlaggande-2024", "2024-01-24"),
        # No request for an answer, so no letter either.
        ("ekeby-intern-kontroll-2023", None),
    ],
)
def test_the_cover_letters_date_is_proposed_as_the_issue_date(stem: str, issued: str) -> None:
    proposal = propose_report(read_document((DOCUMENTS / f"{stem}.txt").read_bytes()))
    assert proposal["issued_date"] == issued
    if issued:
        assert issued[:4] in proposal["sources"]["issued_date"]["text"]
    assert "issued_date" not in public_json(proposal)


def test_a_quoted_decision_before_the_report_is_no_issue_date() -> None:
    text = (
        "Revisionsrapport\n\nGranskning av lokalvården\n\nEkeby kommun\n\n2024-05-02\n\n"
        "Sammanfattning\n\nFullmäktige beslutade 2023-11-20 om en ny lokalvårdsplan. "
        "Vi har granskat om kommunstyrelsen följer upp lokalvården i skolorna och på "
        "förskolorna, och om avtalen med leverantörerna följs.\n\n"
        "Revisorerna önskar svar senast den 2024-08-30.\n"
    )
    proposal = propose_report(read_document(text.encode()))
    assert proposal["response_deadline"] == "2024-08-30"
    assert proposal["issued_date"] is None


def test_public_json_has_the_issue_shape(report_versions: dict[str, bytes]) -> None:
    data = public_json(propose_report(read_document(report_versions["text"])))
    assert list(data) == [
        "title",
        "region",
        "date",
        "firm",
        "questions",
        "overall_assessment",
        "recommendations",
        "response_deadline",
    ]
    assert set(data["questions"][0]) == {"number", "text", "rating", "sub_questions"}
    assert set(data["recommendations"][0]) == {"number", "text"}


def test_import_report_command_prints_json(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("import_report", str(REPORT), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert [q["rating"] for q in data["questions"]] == RATINGS
    assert len(data["recommendations"]) == 4

    pdf = tmp_path / "rapport.pdf"
    pdf.write_bytes(as_pdf(REPORT, width_mm=120))
    out = io.StringIO()
    call_command("import_report", str(pdf), "--json", stdout=out)
    assert json.loads(out.getvalue()) == data


def test_import_report_command_reads_responses() -> None:
    out = io.StringIO()
    call_command("import_report", str(PER_RECOMMENDATION), "--response", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert [a["number"] for a in data["answers"]] == ["1", "2", "3"]
    out = io.StringIO()
    call_command("import_report", str(PER_RECOMMENDATION), "--response", stdout=out)
    assert "Svar: 1177 Vårdguiden ett väl inarbetat varumärke" in out.getvalue()


def test_import_report_command_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    image = tmp_path / "scan.pdf"
    image.write_bytes(b"%PDF-1.4\n% not really a PDF\n")
    with pytest.raises(CommandError, match="no text to read"):
        call_command("import_report", str(image), "--json")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_report", str(tmp_path / "missing.pdf"))


# Responses ---------------------------------------------------------------------------

# The committee's three recommendations, worded the way an audit office would have
# registered them (shorter, not the response's quotation).
VASTERBOTTEN = [
    (1, "Besluta om direktiv, mål, uppdrag och strategier för arbetet med 1177 Vårdguiden."),
    (2, "Följ upp och utvärdera verksamheternas arbete med 1177 och dess måluppfyllelse."),
    (
        3,
        "Säkerställ att en miniminivå tas fram under 2021 för vilket utbud av 1177:s "
        "e-tjänster hälsocentraler och mottagningar ska erbjuda.",
    ),
]


@pytest.mark.parametrize("as_pdf_file", [False, True])
def test_vasterbotten_response_answers_recommendations_one_to_three(as_pdf_file: bool) -> None:
    data = PER_RECOMMENDATION.read_bytes()
    if as_pdf_file:
        lines = read_document(data).lines
        data = render_pdf("\n".join(line.text for line in lines), width_mm=100)
    proposal = propose_response(read_document(data))
    assert proposal["body"] == "Hälso och sjukvårdsnämnden"
    assert proposal["narrative"] is None
    answers = proposal["answers"]
    assert [a["number"] for a in answers] == ["1", "2", "3"]
    assert answers[0]["text"].startswith("1177 Vårdguiden ett väl inarbetat varumärke")
    assert answers[2]["recommendation"].startswith("Säkerställ att det under 2021")
    assert answers[2]["text"].endswith("befolknings- och tillgänglighetsperspektiv.")
    matched = match_answers(proposal, VASTERBOTTEN)
    assert list(matched) == [1, 2, 3]
    assert matched[2]["text"].startswith("Inom objektet invånartjänster")


def test_answers_are_matched_by_wording_when_the_numbers_differ() -> None:
    proposal = propose_response(read_document(PER_RECOMMENDATION.read_bytes()))
    # The audit numbered the same recommendations 4, 5, 6 (and has one more).
    renumbered = [(n + 3, text) for n, text in VASTERBOTTEN] + [
        (1, "Ta fram tillgänglighetsmål för telefonrådgivningen."),
    ]
    matched = match_answers(proposal, renumbered)
    assert {n: a["number"] for n, a in matched.items()} == {4: "1", 5: "2", 6: "3"}


def test_an_answer_that_fits_no_recommendation_is_left_unmatched() -> None:
    proposal = propose_response(read_document(PER_RECOMMENDATION.read_bytes()))
    others = [(1, "Inför ett system för avtalsuppföljning av städtjänster i skolorna.")]
    assert match_answers(proposal, others) == {}


def test_vastmanland_response_is_one_narrative() -> None:
    proposal = propose_response(read_document(NARRATIVE.read_bytes()))
    assert proposal["answers"] == []
    assert proposal["body"] == "Regionstyrelsen"
    assert proposal["title"] == "YTTRANDE ÖVER GRANSKNING AV 1177"
    narrative = proposal["narrative"]
    assert narrative.startswith("Regionens revisorer har överlämnat revisionsrapporten")
    assert narrative.rstrip().endswith("dialogpart men också kravställare.")
    # Paragraphs survive, the headings on lines of their own.
    assert "\n\nRevisorernas bedömning\n\n" in narrative
    assert match_answers(proposal, VASTERBOTTEN) == {}


# Cleaning ----------------------------------------------------------------------------


def test_page_furniture_and_hyphenation_are_cleaned() -> None:
    topics = ["lokalvården", "skolskjutsarna", "bygglovet", "upphandlingen"]
    pages = [
        f"Region Sydkust – Granskning av städning\nOm {topic} och verksam-\n"
        f"heten inom hälso-\noch sjukvården i e-\ntjänster om {topic}.\nSida {n} av 4"
        for n, topic in enumerate(topics, start=1)
    ]
    lines = [line.text for line in clean_pages(pages, numbered=True)]
    # The mended word moves up; the rest of its line stays a line.
    assert lines[:4] == [
        "Om lokalvården och verksamheten",
        "inom hälso-",
        "och sjukvården i e-tjänster",
        "om lokalvården.",
    ]
    assert not any("Sida" in line or "Sydkust" in line for line in lines)
    assert len(lines) == 16


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"%PDF-1.7\n1 0 obj broken",
        "För kort.".encode(),
    ],
    ids=["empty", "image", "broken-pdf", "too-short"],
)
def test_unreadable_documents_are_refused(data: bytes) -> None:
    with pytest.raises(UnreadableDocument):
        read_document(data)


def test_a_pdf_without_text_is_refused() -> None:
    with pytest.raises(UnreadableDocument):
        read_document(render_pdf(" "))


def test_windows_encoded_text_is_read() -> None:
    text = REPORT.read_text(encoding="utf-8")
    source = read_document(text.encode("cp1252", errors="replace"))
    assert "Region Norrbotten" in source.text
    assert "Säkerställer regionstyrelsen" in source.text


# Hostile input -----------------------------------------------------------------------

REPORT_WORDS = [
    "Revisionsfråga 1:",
    "Revisionsfrågor",
    "Rekommendationer",
    "Vi rekommenderar regionstyrelsen att:",
    "Bedömning:",
    "Delvis uppfyllt",
    "Ja",
    "Nej",
    "Svar:",
    "1.",
    "1.1",
    "●",
    "- ",
    "senast den 31 februari",
    "2024-13-45",
    "Syftet med granskningen är att",
    "Vår samlade bedömning är att",
    "Innehållsförteckning",
    "Sida 3 av 2",
    "?",
    "\n",
    "\f",
]


@given(
    st.lists(
        st.one_of(st.sampled_from(REPORT_WORDS), st.text(max_size=40)),
        min_size=1,
        max_size=80,
    )
)
@settings(max_examples=150, deadline=None)
def test_any_text_gives_a_proposal_or_a_clear_refusal(parts: list[str]) -> None:
    """The readers never fail on what they are given: the upload either has no text to
    read (UnreadableDocument) or gives proposals of the documented shape."""
    # Enough ordinary words that most examples are read, not refused as too short.
    filler = "Granskningen har genomförts genom intervjuer och dokumentstudier. " * 5
    data = (filler + " ".join(parts)).encode("utf-8", errors="surrogatepass")
    try:
        source = read_document(data)
    except UnreadableDocument:
        return
    report = propose_report(source)
    json.dumps(report)
    data_out = public_json(report)
    assert all(q["rating"] is None or isinstance(q["rating"], str) for q in data_out["questions"])
    response = propose_response(source)
    json.dumps(response)
    match_answers(response, [(1, "Säkerställ en rutin."), (2, "Följ upp målen.")])


def test_a_report_repeated_twenty_times_reads_as_one() -> None:
    """About 900 kB of text (a rule that backtracked over the whole text per line would
    not finish); the same questions and recommendations, each taken once."""
    text = REPORT.read_text(encoding="utf-8") * 20
    proposal = propose_report(read_document(text.encode()))
    assert [q["rating"] for q in proposal["questions"]] == RATINGS
    assert len(proposal["recommendations"]) == 4


@pytest.mark.django_db
def test_the_readers_scales_are_the_shipped_ones() -> None:
    """The reader names levels without the database (the command runs anywhere); its
    labels must stay those of the scales the migration ships, or the review page could
    not offer the rating it read."""
    from audits.importing.words import SCALE_LEVELS
    from audits.models import RatingScale

    shipped = {
        scale.code: [level.label for level in scale.levels.order_by("rank")]
        for scale in RatingScale.objects.filter(code__in=SCALE_LEVELS)
    }
    assert shipped == SCALE_LEVELS
