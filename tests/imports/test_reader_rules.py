"""The reader's rules from the third held-out set, each on a short report of our own."""

from __future__ import annotations

from audits.importing import propose_report, read_document

INTRO = (
    "Revisionsrapport\n\nGranskning av krisberedskapen\n\nLillby kommun\n\n2025-04-02\n\n"
    "Sammanfattning\n\nVi har granskat om kommunstyrelsen har en ändamålsenlig styrning "
    "av krisberedskapen och om förvaltningarna har planer för kontinuitet vid bortfall "
    "av el, vatten och it-stöd.\n\n"
)


def _read(body: str) -> dict:
    return propose_report(read_document((INTRO + body).encode()))


def _questions(proposal: dict) -> list[tuple[str, str, str | None, list]]:
    return [
        (
            q["number"],
            q["text"],
            q["rating"],
            [(s["number"], s["text"], s["rating"]) for s in q["sub_questions"]],
        )
        for q in proposal["questions"]
    ]


def test_sub_questions_lettered_under_their_number() -> None:
    proposal = _read(
        "Revisionsfrågor\n"
        "1 Har kommunstyrelsen en aktuell risk- och sårbarhetsanalys?\n"
        "1a Är analysen fastställd av fullmäktige?\n"
        "1b Har förvaltningarna bidragit till\nanalysen?\n"
        "2 Finns det en plan för extraordinära händelser?\n\n"
        "Metod\n\nIntervjuer och dokumentstudier.\n"
    )
    assert _questions(proposal) == [
        (
            "1",
            "Har kommunstyrelsen en aktuell risk- och sårbarhetsanalys?",
            None,
            [
                ("1.1", "Är analysen fastställd av fullmäktige?", None),
                ("1.2", "Har förvaltningarna bidragit till analysen?", None),
            ],
        ),
        ("2", "Finns det en plan för extraordinära händelser?", None, []),
    ]


def test_bulleted_sub_questions_under_a_labelled_question_and_ratings_by_number() -> None:
    proposal = _read(
        "Revisionsfråga 1: Har kommunstyrelsen en aktuell risk- och sårbarhetsanalys?\n"
        "Delfrågor:\n"
        "o Är analysen fastställd av fullmäktige?\n"
        "o Har förvaltningarna bidragit till analysen?\n\n"
        "Revisionsfråga 2: Finns det en plan för extraordinära händelser?\n\n"
        "Bedömning av revisionsfråga 1\nTill övervägande del. Analysen är aktuell.\n\n"
        "Bedömning av revisionsfråga 2\nNej. Planen är inte antagen.\n"
    )
    questions = _questions(proposal)
    assert [(n, rating) for n, _t, rating, _s in questions] == [
        ("1", "Till övervägande del"),
        ("2", "Nej"),
    ]
    assert [number for number, _t, _r in questions[0][3]] == ["1.1", "1.2"]
    assert questions[0][3][0][1] == "Är analysen fastställd av fullmäktige?"


def test_control_objectives_are_the_questions() -> None:
    proposal = _read(
        "1.3 Kontrollmål\nSyftet besvaras genom följande kontrollmål:\n"
        "1. Det finns dokumenterade rutiner för löneprocessen.\n"
        "2. Behörigheterna i lönesystemet följs upp regelbundet.\n\n"
        "2 Granskningsresultat\n"
        "Kontrollmål 1\nDet finns dokumenterade rutiner för löneprocessen.\n"
        "Bedömning\nUppfyllt. Rutinerna är kända.\n"
        "Kontrollmål 2\nBehörigheterna i lönesystemet följs upp regelbundet.\n"
        "Bedömning\nKontrollmålet bedöms som ej uppfyllt.\n"
    )
    assert [(q[0], q[2]) for q in _questions(proposal)] == [
        ("1", "Uppfylld"),
        ("2", "Ej uppfylld"),
    ]


def test_a_request_for_an_answer_beats_a_date_the_law_sets() -> None:
    proposal = _read(
        "Analysen ska redovisas till länsstyrelsen senast den 31 oktober året efter ett "
        "ordinarie val.\n\n"
        "Revisorerna                    2025-05-06\n\nTill kommunstyrelsen\n\n"
        "Svar önskas senast den 15 december.\n"
    )
    assert proposal["response_deadline"] == "2025-12-15"
    assert proposal["issued_date"] == "2025-05-06"


def test_the_latest_version_dates_the_report() -> None:
    text = INTRO.replace("2025-04-02\n\n", "Dokumenthistorik\nVersion Datum Kommentar\n")
    text = text.replace(
        "Sammanfattning\n",
        "0.9 2025-02-07 Utkast för sakgranskning\n1.0 2025-03-03 Slutlig rapport\n\n"
        "Sammanfattning\n",
        1,
    )
    proposal = propose_report(read_document(text.encode()))
    assert proposal["date"] == "2025-03-03"
    assert "Slutlig rapport" in proposal["sources"]["date"]["text"]


def test_an_overall_assessment_that_opens_with_its_grounds() -> None:
    proposal = _read(
        "Kommunen har investerat för 1,2 miljarder kronor.\n\n"
        "Utifrån genomförd granskning är vår sammanfattande bedömning att kommunstyrelsen "
        "inte har en tillräcklig styrning av investeringarna.\n\nRekommendationer\n"
    )
    assert proposal["overall_assessment"].startswith(
        "Utifrån genomförd granskning är vår sammanfattande bedömning att kommunstyrelsen"
    )
