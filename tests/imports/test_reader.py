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
from audits.importing.text import Source, clean_pages

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


# Responses: the rules, on short texts of our own --------------------------------------


def _response(text: str) -> dict:
    """A proposal for a text as extraction leaves it (form feeds between pages)."""
    source = Source(lines=clean_pages(text.split("\f"), numbered=False), kind="text")
    return propose_response(source)


def test_the_body_and_date_are_those_of_the_adopting_decision() -> None:
    """A tjänsteskrivelse drafted by the administration is the nämnd's response once
    adopted, and dated by the adoption, not by the drafting or the report."""
    proposal = _response(
        "MILJÖ- OCH BYGGFÖRVALTNINGEN\n"
        "TJÄNSTESKRIVELSE\n"
        "2024-09-02\n"
        "Yttrande över granskning av tillsynen av enskilda avlopp\n"
        "Antaget av miljö- och byggnadsnämnden 2024-09-18, § 112\n"
        "Revisorerna har granskat tillsynen. Rapporten är daterad 2024-06-10 och svar\n"
        "önskas senast 2024-09-30.\n"
        "Förvaltningen delar bedömningen och tar fram en tillsynsplan för 2025.\n"
    )
    assert proposal["body"] == "Miljö- och byggnadsnämnden"
    assert proposal["date"] == "2024-09-18"
    assert "§ 112" in proposal["sources"]["date"]["text"]


def test_the_decision_on_the_response_is_the_latest_recorded_one() -> None:
    """An earlier decision the text cites, or one on another matter, is not the one
    on the response."""
    proposal = _response(
        "Svar på revisionsrapport om föreningsbidragen\n"
        "Nämnden beslutade den 12 april 2022, § 40, att anta riktlinjer för bidragen och\n"
        "svaret nedan bygger på dem.\n"
        "Fritidsplanen, som fastställdes av kommunstyrelsen 2024-11-05, § 130, gäller\n"
        "från årsskiftet.\n"
        "Kultur- och fritidsnämnden beslutade den 3 oktober 2024, § 77, att lämna detta\n"
        "yttrande som svar på revisionsrapporten.\n"
    )
    assert proposal["body"] == "Kultur- och fritidsnämnden"
    assert proposal["date"] == "2024-10-03"


def test_a_protokollsutdrag_is_dated_by_its_meeting_and_its_narrative_starts_at_the_decision() -> (
    None
):
    proposal = _response(
        "SOLBERGA KOMMUN PROTOKOLLSUTDRAG\n"
        "Kommunstyrelsen Sammanträdesdatum 2024-05-21\n"
        "§ 88 Dnr KS 2024/311\n"
        "Svar på revisorernas granskning av kommunens hantering av bisysslor\n"
        "Kommunstyrelsens beslut\n"
        "Kommunstyrelsen beslutar att anta personalavdelningens förslag till svar som sitt\n"
        "eget svar till revisorerna.\n"
        "Ärendebeskrivning\n"
        "Revisorerna har granskat hur bisysslor anmäls och prövas i förvaltningarna.\n"
        "Beslutsunderlag\n"
        "Tjänsteskrivelse 2024-05-02\n"
    )
    assert proposal["answers"] == []
    assert proposal["body"] == "Kommunstyrelsen"
    assert proposal["date"] == "2024-05-21"
    assert proposal["narrative"].startswith("Kommunstyrelsen beslutar att anta")


def test_the_narrative_starts_after_the_wrapped_title_and_the_dnr() -> None:
    proposal = _response(
        "SOLBERGA KOMMUN\n"
        "Kultur- och fritidsnämnden\n"
        "Kommunrevisionen\n"
        "Svar på revisionsrapport om bidragen till föreningar och\n"
        "studieförbund\n"
        "Dnr KFN 2024/77\n"
        "Kultur- och fritidsnämnden har tagit del av revisionsrapporten och lämnar här sitt\n"
        "svar. Bidragsreglerna ses över under hösten.\n"
        "Solberga den 20 juni 2024\n"
    )
    assert proposal["title"] == (
        "Svar på revisionsrapport om bidragen till föreningar och studieförbund"
    )
    assert proposal["narrative"].startswith("Kultur- och fritidsnämnden har tagit del av")
    assert proposal["date"] == "2024-06-20"


def test_a_one_word_kind_in_the_letterhead_is_not_the_title() -> None:
    proposal = _response(
        "YTTRANDE\n"
        "Datum: 2023-11-08\n"
        "Till: Revisorerna\n"
        "Yttrande över granskning av synpunktshanteringen\n"
        "Patientnämnden har tagit del av granskningen och delar revisorernas bedömning.\n"
    )
    assert proposal["title"] == "Yttrande över granskning av synpunktshanteringen"
    assert proposal["narrative"].startswith("Patientnämnden har tagit del")
    assert proposal["date"] == "2023-11-08"


@pytest.mark.parametrize(
    ("letterhead", "signature", "body"),
    [
        ("Patientnämnden\n", "", "Patientnämnden"),
        ("", "För gymnasienämnden\nAnna Berg\nOrdförande\n", "Gymnasienämnden"),
    ],
    ids=["letterhead", "signature"],
)
def test_the_body_is_the_committee_of_the_letterhead_or_the_signature(
    letterhead: str, signature: str, body: str
) -> None:
    """ "Nämnden lämnar …" names no body: the letterhead or "För …" above the signature
    does."""
    proposal = _response(
        f"Region Norrskog\n{letterhead}YTTRANDE\n"
        "Yttrande över granskning av synpunktshanteringen\n"
        "Nämnden lämnar följande svar på revisorernas rapport om synpunkter och klagomål.\n"
        "Rutinen för synpunkter ses över under våren.\n"
        f"{signature}"
    )
    assert proposal["body"] == body


def test_dates_given_to_other_documents_are_not_the_responses() -> None:
    proposal = _response(
        "Svar på revisionsrapport om skolskjutsarna\n"
        "Nämnden har läst rapporten daterad 2024-05-03 och svarar senast 2024-07-01.\n"
        "Rapporten överlämnades till nämnden den 6 maj 2024.\n"
        "Svaret beslutades på sammanträdet 2024-06-12.\n"
    )
    assert proposal["date"] == "2024-06-12"


def test_a_decision_recorded_by_its_meeting_dates_the_response() -> None:
    """ "vid sitt sammanträde den …" records the decision without a paragraph; a meeting
    still to come decides nothing."""
    proposal = _response(
        "Svar på revisionsrapport om skolskjutsarna\n"
        "Skickat: den 20 mars 2024\n"
        "Barn- och utbildningsnämnden behandlade rapporten vid sitt sammanträde den 12\n"
        "mars 2024 och beslutade att lämna detta svar.\n"
        "Revisorernas förslag ska också behandlas vid sammanträdet den 16 april 2024.\n"
    )
    assert proposal["date"] == "2024-03-12"
    assert proposal["body"] == "Barn- och utbildningsnämnden"
    assert "vid sitt sammanträde" in proposal["sources"]["date"]["text"]


@pytest.mark.parametrize(
    ("text", "source"),
    [
        (
            "Styrelsen för Östby Hamn AB behandlade rapporten vid sitt sammanträde den\n"
            "4 april 2024 och beslutade att lämna detta svar.\n",
            "sammanträde",
        ),
        (
            "Styrelsen har tagit del av rapporten och delar bedömningen.\n"
            "Anna Berg\nOrdförande i styrelsen för Östby Hamn AB\n",
            "Ordförande",
        ),
    ],
    ids=["decision", "signature"],
)
def test_a_company_board_is_named_with_its_company(text: str, source: str) -> None:
    """ "Styrelsen" alone names no body; a municipal company's board is "Styrelsen för
    <the company> AB"."""
    proposal = _response("Svar på lekmannarevisorernas granskning av uthyrningen\n" + text)
    assert proposal["body"] == "Styrelsen för Östby Hamn AB"
    assert source in proposal["sources"]["body"]["text"]


def test_an_e_mail_is_read_from_its_first_paragraph_to_the_message_it_quotes() -> None:
    """The mail header, in whatever order the client prints it, is the heading block
    and its subject the title; the earlier message quoted below the signature (the
    auditors', with their dates) is not the response."""
    proposal = _response(
        "Anna Berg\n"
        "Ämne: SV: Granskning av underhållet – styrelsens svar\n"
        "Datum: 2024-05-02 09:12\n"
        "Från: Anna Berg <anna.berg@ostbyhamn.se>\n"
        "Till: Revisorerna <revision@ostby.se>\n"
        "Kopia: Per Ek <per.ek@ostbyhamn.se>, Eva Lind <eva.lind@ostbyhamn.se>\n"
        "Tack för rapporten om underhållet av kajerna. Styrelsen delar bedömningen och\n"
        "tar fram en underhållsplan under hösten.\n"
        "Med vänlig hälsning\n"
        "Anna Berg\n"
        "Från: Revisorerna <revision@ostby.se>\n"
        "Skickat: den 4 mars 2024 10:00\n"
        "Ämne: Granskning av underhållet\n"
        "Vi önskar styrelsens svar senast den 30 april 2024.\n"
    )
    assert proposal["title"] == "Granskning av underhållet – styrelsens svar"
    assert proposal["narrative"].startswith("Tack för rapporten om underhållet")
    assert proposal["narrative"].endswith("Anna Berg")
    assert "senast" not in proposal["narrative"]
    assert proposal["sources"]["narrative"]["text"].endswith("Anna Berg")


def test_the_addressee_is_part_of_the_heading_block() -> None:
    """A line naming the auditors it is addressed to is no paragraph of the text, however
    long."""
    proposal = _response(
        "SOLBERGA KOMMUN\n"
        "Svar på revisionsrapport om bidragen till föreningar\n"
        "Till de förtroendevalda revisorerna och revisionskontoret i Solberga kommun\n"
        "Kultur- och fritidsnämnden har tagit del av revisionsrapporten och lämnar här sitt\n"
        "svar. Bidragsreglerna ses över under hösten och nämnden följer upp dem i januari.\n"
    )
    assert proposal["narrative"].startswith("Kultur- och fritidsnämnden har tagit del")


# Bullet-quoted recommendations, one answer for two of them, a bulleted list inside an
# answer (before "Åtgärd:", which continues the answer rather than opening one).
BULLETED = """\
Yttrande över granskning av lokalvården

Revisorernas rekommendationer och förvaltningens kommentarer
• ”Ta fram en städplan för varje skola.”
• ”Följ upp städningens kvalitet på skolorna
varje termin.”
Förvaltningens kommentar: Städplaner finns i dag för hälften av skolorna.
Kvaliteten följs upp vid behov.
Åtgärd: Städplaner tas fram för alla skolor under våren och kvaliteten följs upp varje
termin.
• ”Upphandla lokalvården i konkurrens.”
Förvaltningens kommentar: Lokalvården utförs i egen regi och nämnden avser inte att
upphandla den, eftersom
• egen regi har lägre kostnader,
• kvaliteten är god.
Åtgärd: Ingen.
"""
LOKALVARD = [
    (1, "Upphandla lokalvården i konkurrens för att pröva kostnaderna."),
    (2, "Ta fram en städplan för varje skola."),
    (3, "Följa upp städningens kvalitet på skolorna varje termin."),
]


def test_bullet_quoted_recommendations_are_answered_under_their_label() -> None:
    proposal = _response(BULLETED)
    answers = proposal["answers"]
    assert len(answers) == 2
    assert answers[0]["recommendation"] == (
        "Ta fram en städplan för varje skola.\n"
        "Följ upp städningens kvalitet på skolorna varje termin."
    )
    assert answers[0]["text"].startswith("Städplaner finns i dag för hälften")
    assert "Åtgärd: Städplaner tas fram" in answers[0]["text"]
    assert answers[1]["text"].startswith("Lokalvården utförs i egen regi")
    assert "egen regi har lägre kostnader" in answers[1]["text"]
    assert answers[1]["text"].endswith("Åtgärd: Ingen.")
    assert answers[0]["source"]["text"].startswith("• ”Ta fram en städplan")


def test_an_answer_to_two_recommendations_is_matched_to_both() -> None:
    proposal = _response(BULLETED)
    matched = match_answers(proposal, LOKALVARD)
    first, second = proposal["answers"]
    assert matched == {1: second, 2: first, 3: first}
    assert matched[2] is matched[3]


def test_bullets_without_the_opening_label_are_not_quotations() -> None:
    """A bulleted list in a text whose labels do not follow the bullets stays prose."""
    proposal = _response(
        "Yttrande över granskning av lokalvården\n"
        "Svar: Nämnden delar bedömningen.\n"
        "Nämnden kommer att\n"
        "• ta fram städplaner,\n"
        "• följa upp kvaliteten.\n"
        "Åtgärd: Städplaner tas fram under våren.\n"
    )
    assert proposal["answers"] == []


# A handlingsplan's table, extracted cell by cell; its header repeated on the next page.
HANDLINGSPLAN = """\
Svar på granskning av avtalstroheten

Handlingsplan
Rekommendation
Åtgärd
Ansvarig
Klart
1. Inför en rutin för
uppföljning av avtal.
Upphandlingsenheten tar
fram en rutin för
uppföljning.
Upphandlingschef
2025-03-31
\f
Rekommendation
Åtgärd
Ansvarig
Klart
2. Utbilda beställarna
i avtalstrohet.
En utbildning ges till
alla beställare.
HR-chef och
ekonomichef
hösten 2025
Kommunstyrelsen beslutade den 4 februari 2025, § 21, att anta handlingsplanen som svar.
"""


def test_a_handlingsplan_table_gives_one_answer_per_row() -> None:
    proposal = _response(HANDLINGSPLAN)
    answers = proposal["answers"]
    assert [a["number"] for a in answers] == ["1", "2"]
    assert answers[0]["recommendation"] == "Inför en rutin för uppföljning av avtal."
    assert answers[0]["text"] == (
        "Upphandlingsenheten tar fram en rutin för uppföljning.\n\n"
        "Ansvarig: Upphandlingschef\nKlart: 2025-03-31"
    )
    assert answers[1]["text"] == (
        "En utbildning ges till alla beställare.\n\n"
        "Ansvarig: HR-chef och ekonomichef\nKlart: hösten 2025"
    )
    assert answers[1]["source"]["text"].startswith("2. Utbilda beställarna")
    assert proposal["date"] == "2025-02-04"
    matched = match_answers(
        proposal,
        [(1, "Införa en rutin för uppföljning av avtal."), (2, "Utbilda beställare.")],
    )
    assert {n: a["number"] for n, a in matched.items()} == {1: "1", 2: "2"}


def test_a_table_without_its_recommendation_column_name_is_read_by_its_rows() -> None:
    """The name of the first column can go with the running headers when it opens
    every page: the recommendation is still each row's first cell."""
    proposal = _response(HANDLINGSPLAN.replace("Rekommendation\n", ""))
    assert [a["recommendation"] for a in proposal["answers"]] == [
        "Inför en rutin för uppföljning av avtal.",
        "Utbilda beställarna i avtalstrohet.",
    ]
    matched = match_answers(proposal, [(1, "Införa en rutin för uppföljning av avtal.")])
    assert matched[1]["text"].startswith("Upphandlingsenheten tar fram")


def test_cells_that_do_not_fill_whole_rows_are_no_table() -> None:
    proposal = _response(HANDLINGSPLAN.replace("HR-chef och\nekonomichef\n", ""))
    assert proposal["answers"] == []
    assert proposal["narrative"]


def test_an_answer_under_the_auditors_numbered_recommendation() -> None:
    """ "Revisorernas rekommendation 3" heads a part: the recommendation in the body's
    words, then "Nämndens svar" on a line of its own and the answer."""
    proposal = _response(
        "Svar på granskning av tillsynen\n"
        "Nämnden svarar nedan på rekommendationerna 1 och 3.\n"
        "Revisorernas rekommendation 1\n"
        "Ta fram en tillsynsplan.\n"
        "Nämndens svar\n"
        "En tillsynsplan antas i november.\n"
        "Revisorernas rekommendation 3\n"
        "Följ upp tillsynsskulden.\n"
        "Nämndens svar\n"
        "Tillsynsskulden redovisas i delårsrapporten.\n"
    )
    answers = proposal["answers"]
    assert [(a["number"], a["recommendation"]) for a in answers] == [
        ("1", "Ta fram en tillsynsplan."),
        ("3", "Följ upp tillsynsskulden."),
    ]
    assert [a["text"] for a in answers] == [
        "En tillsynsplan antas i november.",
        "Tillsynsskulden redovisas i delårsrapporten.",
    ]
    matched = match_answers(
        proposal,
        [(1, "Upprätta en tillsynsplan."), (2, "Säkra bemanningen."), (3, "Följa upp skulden.")],
    )
    assert sorted(matched) == [1, 3]


# The same kind of handlingsplan extracted row by row, as extraction leaves it: each
# row's cells side by side on its first line, the wrapped cells going on below, under
# their columns (one space between cells once read). A running footer and the header
# again at the page break; a sentence after the table.
HANDLINGSPLAN_ROWS = """\
Svar på granskning av avtalstroheten
Kommunstyrelsen redovisar sina åtgärder i tabellen nedan.
Nr   Rekommendation           Åtgärd                                     Klart
1    Inför en rutin för       Upphandlingsenheten tar fram en rutin      2025-03-31
     uppföljning av avtal.    för uppföljning av de största avtalen.
                              Rutinen gäller alla förvaltningar.
2    Utbilda beställarna i    En utbildning ges till alla beställare     Påbörjad, klar
     avtalstrohet.            under våren och följs upp i en enkät.      2025-06-30
Solberga kommun | Kommunstyrelsen | Dnr KS 2025/12
\fNr   Rekommendation           Åtgärd                                     Klart
3    Redovisa                 Avtalstroheten redovisas i årsrapporten    Februari 2026
     avtalstroheten för       från och med 2025.
     nämnden varje år.
Åtgärderna följs upp i kommunstyrelsens internkontrollplan för år 2026.
Kommunstyrelsen beslutade den 4 februari 2025, § 21, att anta handlingsplanen som svar.
"""


def test_a_table_extracted_row_by_row_gives_one_answer_per_row() -> None:
    proposal = _response(HANDLINGSPLAN_ROWS)
    answers = proposal["answers"]
    assert [(a["number"], a["recommendation"]) for a in answers] == [
        ("1", "Inför en rutin för uppföljning av avtal."),
        ("2", "Utbilda beställarna i avtalstrohet."),
        ("3", "Redovisa avtalstroheten för nämnden varje år."),
    ]
    assert [a["text"] for a in answers] == [
        "Upphandlingsenheten tar fram en rutin för uppföljning av de största avtalen. "
        "Rutinen gäller alla förvaltningar.\n\nKlart: 2025-03-31",
        "En utbildning ges till alla beställare under våren och följs upp i en enkät."
        "\n\nKlart: Påbörjad, klar 2025-06-30",
        "Avtalstroheten redovisas i årsrapporten från och med 2025.\n\nKlart: Februari 2026",
    ]
    # Each row's passage is its lines: not the footer at the page break, nor the
    # sentence after the table.
    assert answers[1]["source"]["text"].startswith("2 Utbilda beställarna i")
    assert answers[1]["source"]["text"].endswith("2025-06-30")
    assert answers[2]["source"]["text"].endswith("nämnden varje år.")
    matched = match_answers(
        proposal,
        [(1, "Införa en rutin för uppföljning av avtal."), (2, "Utbilda beställare.")],
    )
    assert {n: a["number"] for n, a in matched.items()} == {1: "1", 2: "2"}


def test_the_last_answer_ends_where_the_closing_starts() -> None:
    proposal = _response(
        "Yttrande över granskning av elevhälsan\n"
        "1. Inför en plan för elevhälsan.\n"
        "Svar: En plan tas fram under året.\n"
        "2. Följ upp planen.\n"
        "Svar: Planen följs upp i delårsrapporten.\n"
        "Gymnasienämnden beslutade den 14 mars 2024, § 31, att lämna detta yttrande.\n"
        "För gymnasienämnden\n"
        "Anna Berg\n"
        "Ordförande\n"
    )
    assert [a["text"] for a in proposal["answers"]] == [
        "En plan tas fram under året.",
        "Planen följs upp i delårsrapporten.",
    ]
    assert proposal["answers"][1]["source"]["text"].endswith("i delårsrapporten.")
    assert proposal["body"] == "Gymnasienämnden"
    assert proposal["date"] == "2024-03-14"


def test_the_most_alike_quotation_and_recommendation_are_matched_first() -> None:
    """An earlier answer that fits two recommendations does not take the one a later
    answer quotes word for word."""
    quoted = [
        "Upphandla lokalvården och ta fram en städplan.",  # 0.6 like 1, 0.75 like 2
        "Ta fram en städplan för lokalvården på varje skola.",  # 2 word for word
    ]
    response = {
        "answers": [
            {"number": None, "recommendation": quote, "text": text, "source": {}}
            for quote, text in zip(quoted, "AB", strict=True)
        ]
    }
    recommendations = [
        (1, "Upphandla lokalvården i konkurrens för att pröva kostnaderna."),
        (2, "Ta fram en städplan för lokalvården på varje skola."),
    ]
    matched = match_answers(response, recommendations)
    assert {n: a["text"] for n, a in matched.items()} == {1: "A", 2: "B"}


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
    # The layouts of the later held-out sets.
    "Revisionsfråga 1",
    "Fråga a)",
    "RF1 ",
    "o Är",
    "1a Finns",
    "(1) ",
    "ii. ",
    "Ansvarig: Regionstyrelsen",
    "Prioritet: Hög",
    "Delfrågor:",
    "följande granskningsfråga:",
    "Svaret på granskningsfrågan är nej.",
    "0.9 2025-02-07 Utkast",
    "Kontrollområde 1",
    "Övergripande kontrollmål:",
    "Kontrollmål 1.1",
    "Rekommendation (hög prioritet)",
    "● = Ja ◐ = Delvis",
    "◐",
    "Vi föreslår att revisorerna",
    "· Sida 2 (6)",
    "Nr Revisorernas rekommendation Nämndens åtgärd Klart",
    "Från: Skickat: Ämne: SV:",
    "Antaget av tekniska nämnden 2025-05-20, § 58",
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
