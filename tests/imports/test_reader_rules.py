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


# Held-out set 4 ------------------------------------------------------------------------


def test_lettered_questions_are_numbered_by_order_and_rated_by_letter() -> None:
    proposal = _read(
        "Granskningen ska besvara följande frågor:\n"
        "a) Finns det rutiner för samverkan vid utskrivning?\n"
        "b) Tillämpas rutinerna i verksamheterna?\n\n"
        "1.3 Revisionskriterier\n\nLagen om samverkan vid utskrivning.\n\n"
        "Fråga a) bedöms som uppfylld. Rutinerna är aktuella.\n\n"
        "Vi bedömer att fråga b) är delvis uppfylld.\n"
    )
    assert [(q[0], q[1], q[2]) for q in _questions(proposal)] == [
        ("1", "Finns det rutiner för samverkan vid utskrivning?", "Uppfylld"),
        ("2", "Tillämpas rutinerna i verksamheterna?", "Delvis uppfylld"),
    ]


def test_labels_on_lines_of_their_own_and_answer_lines() -> None:
    proposal = _read(
        "Svar på revisionsfrågorna\n\n"
        "Fråga 1. Finns det aktuella riktlinjer för ekonomiskt bistånd?\nSvar: Ja.\n"
        "Fråga 2. Är besluten dokumenterade?\nSvar: Delvis.\n"
        "Fråga 2.1 Finns en bedömning av behovet?\nSvar: Nej.\n\n"
        "2.2 Syfte och revisionsfrågor\nGranskningen besvarar följande revisionsfrågor:\n\n"
        "Revisionsfråga 1\nFinns det aktuella riktlinjer för ekonomiskt bistånd?\n\n"
        "Revisionsfråga 2\nÄr besluten dokumenterade?\n"
        "Delfråga 2.1\nFinns en bedömning av behovet?\n\n"
        "Slutsats\nVår slutsats är att nämnden delvis har en rättssäker handläggning.\n"
    )
    assert _questions(proposal) == [
        ("1", "Finns det aktuella riktlinjer för ekonomiskt bistånd?", "Ja", []),
        (
            "2",
            "Är besluten dokumenterade?",
            "Delvis",
            [("2.1", "Finns en bedömning av behovet?", "Nej")],
        ),
    ]
    assert proposal["overall_assessment"].startswith("Vår slutsats är att nämnden")


def test_the_title_before_the_document_type_and_no_label_lines() -> None:
    text = (
        "Hammarviks kommun\n\nBygg- och miljönämndens\nhandläggning av bygglov\n\n"
        "Revisionsrapport\nRapportdatum: 17 juni 2025\nVersion 1.0\n\n"
        "Ahlgren Öberg Revision AB\n\nUppdragsledare: Sofia Ahlgren\n\n"
        "Innehåll\n\nSammanfattning\n\nVi har granskat handläggningen av bygglov, om "
        "besluten fattas i tid och om nämnden följer upp handläggningstiderna. Vi bedömer "
        "att revisionsfrågan inte är uppfylld för handläggningstiderna.\n"
    )
    proposal = propose_report(read_document(text.encode()))
    assert proposal["title"] == "Bygg- och miljönämndens handläggning av bygglov"
    assert proposal["date"] == "2025-06-17"


def test_a_subtitle_naming_the_audited_body_is_not_the_title() -> None:
    text = (
        "Sälvsta kommun\nRevisorerna\n\nGranskningsrapport 1/2026\n\n"
        "Elevhälsans förebyggande och\nhälsofrämjande arbete\n\n"
        "Granskning av barn- och utbildningsnämnden\n\n27 januari 2026\n\n"
        "Sammanfattning\n\n" + INTRO.split("Sammanfattning\n\n")[1]
    )
    proposal = propose_report(read_document(text.encode()))
    assert proposal["title"] == "Elevhälsans förebyggande och hälsofrämjande arbete"


def test_rf_numbered_questions_rated_in_order_and_labelled_recommendations() -> None:
    proposal = _read(
        "Svar på granskningens syfte\nNämnden säkerställer enligt vår bedömning endast "
        "delvis att elevhälsan arbetar förebyggande.\n\n"
        "Rekommendationer\n"
        "Rekommendation 1: Nämnden bör fördela elevhälsans tid efter elevernas behov.\n"
        "Rekommendation 2: Nämnden bör följa upp hälsosamtalen.\n\n"
        "Revisorerna begär att nämnden senast den 30 april 2026 redovisar\n"
        "vilka åtgärder nämnden avser att vidta.\n\n"
        "Följande revisionsfrågor besvaras:\n"
        "RF1 Finns det en plan för elevhälsans förebyggande arbete?\n"
        "RF2 Genomförs hälsobesöken enligt skollagen?\n\n"
        "2 Iakttagelser och bedömningar\n2.1 Plan\nNämnden antog en plan 2024.\n\n"
        "Bedömning\nRevisionsfrågan kan i allt väsentligt besvaras jakande.\n\n"
        "2.2 Hälsobesök\nDe flesta erbjuds hälsobesök.\n\nBedömning\nDelvis. Inte alla.\n"
    )
    assert [(q[0], q[2]) for q in _questions(proposal)] == [
        ("1", "I allt väsentligt"),
        ("2", "Delvis"),
    ]
    assert [(r["number"], r["text"]) for r in proposal["recommendations"]] == [
        ("1", "Nämnden bör fördela elevhälsans tid efter elevernas behov."),
        ("2", "Nämnden bör följa upp hälsosamtalen."),
    ]
    assert proposal["overall_assessment"].startswith("Nämnden säkerställer enligt vår bedömning")


def test_a_footer_ending_in_its_page_number_is_dropped_from_a_text_file() -> None:
    page = "Vi har granskat elevhälsan på elva skolor och intervjuat rektorerna där.\n"
    text = "".join(
        f"{page * 3}Elevhälsans arbete · Sida {n} (4)\nTIBERG KOMMUNREVISION\n" for n in range(1, 5)
    )
    lines = [line.text for line in read_document(text.encode()).lines]
    assert not any("Sida" in line or "TIBERG" in line for line in lines)


def test_a_cover_letter_signed_side_by_side_comes_before_the_report() -> None:
    text = (
        "Till\nRegionstyrelsen\n\nRevisionsskrivelse – Samverkan vid utskrivning\n\n"
        "Revisorerna vill ha styrelsens svar senast den 1 februari 2026.\n\n"
        "För Regionens revisorer i Region Storvalla\n\n"
        "Ingrid Paulsson                          Bertil Öhman\n"
        "Ordförande                               Vice ordförande\n\n"
        "Bilaga: Revisionsrapport 2025:7\n"
        "Revisionsrapport 2025:7\n\nSamverkan vid utskrivning\nfrån sluten vård\n\n"
        "Region Storvalla\n\n2025-11-04\n\n"
        "Sammanfattning\n\n" + INTRO.split("Sammanfattning\n\n")[1]
    )
    proposal = propose_report(read_document(text.encode()))
    assert proposal["title"] == "Samverkan vid utskrivning från sluten vård"
    assert proposal["date"] == "2025-11-04"
    assert proposal["response_deadline"] == "2026-02-01"


# Held-out set 5 ------------------------------------------------------------------------


def test_recommendation_fields_and_a_plan_date_that_is_no_deadline() -> None:
    proposal = _read(
        "Styrelsen ska få planen, som ska redovisas för styrelsen senast den 31 mars 2026.\n\n"
        "Revisorerna önskar ett yttrande inom tre månader.\n\n"
        "Rekommendationer\n"
        "1. Fastställa en handlingsplan för minskad inhyrning.\nAnsvarig: Regionstyrelsen\n"
        "Prioritet: Hög\n"
        "2. Följa upp kostnaderna varje kvartal. Medel\n"
        "3. Dokumentera kontrollen av legitimation.\n\n"
        "5 Revisorernas beslut\nRevisorerna beslutade att överlämna rapporten.\n"
    )
    recommendations = proposal["recommendations"]
    assert [r["text"] for r in recommendations] == [
        "Fastställa en handlingsplan för minskad inhyrning.",
        "Följa upp kostnaderna varje kvartal.",
        "Dokumentera kontrollen av legitimation.",
    ]
    assert recommendations[0]["body"] == "regionstyrelsen"
    assert proposal["response_deadline"] is None


def test_a_rated_main_question_keeps_its_sub_questions() -> None:
    proposal = _read(
        "Svaret på granskningsfrågan är nej. Kommunstyrelsen kontrollerar inte bidragen.\n\n"
        "1.2 Syfte och granskningsfråga\n"
        "Syftet med granskningen är att besvara följande granskningsfråga:\n"
        "Säkerställer kommunstyrelsen att bidragen används för sitt ändamål?\n\n"
        "Granskningsfrågan har brutits ned i följande delfrågor:\n"
        "• Finns det aktuella regler för bidragen?\n"
        "• Kontrolleras att bidragen har använts för ändamålet?\n\n"
        "Delfrågorna besvaras med ja, delvis eller nej.\n\n"
        "3 Iakttagelser\nReglerna är aktuella.\n\nBedömning: Ja. Reglerna är kända.\n\n"
        "Ingen kontroll görs.\n\nBedömning: Nej. Det finns ingen kontroll.\n"
    )
    assert _questions(proposal) == [
        (
            "1",
            "Säkerställer kommunstyrelsen att bidragen används för sitt ändamål?",
            "Nej",
            [
                ("1.1", "Finns det aktuella regler för bidragen?", "Ja"),
                ("1.2", "Kontrolleras att bidragen har använts för ändamålet?", "Nej"),
            ],
        )
    ]
    assert proposal["overall_assessment"].startswith("Svaret på granskningsfrågan är nej")


def test_an_unrated_main_question_is_the_purpose_and_its_sub_questions_the_questions() -> None:
    proposal = _read(
        "Granskningens syfte formuleras som en huvudfråga:\n"
        "Säkerställer nämnden att barn erbjuds tandvård på lika villkor?\n\n"
        "För att besvara huvudfrågan har följande underfrågor ställts:\n"
        "1. Finns det en aktuell regelbok för tandvården?\n"
        "2. Kallas barnen med rätt intervall?\n\n"
        "3 Iakttagelser\nSvar på underfråga 1\n"
        "Underfrågan kan i allt väsentligt besvaras med ja.\n\n"
        "Svar på underfråga 2\nUnderfrågan besvaras med nej.\n"
    )
    assert [(q[0], q[1], q[2]) for q in _questions(proposal)] == [
        ("1", "Finns det en aktuell regelbok för tandvården?", "I allt väsentligt"),
        ("2", "Kallas barnen med rätt intervall?", "Nej"),
    ]


def test_the_audit_office_is_no_firm_and_an_assisting_firm_is() -> None:
    own = _read(
        "Granskningen har utförts av revisionskontoret.\n\nRevisionskontoret har på "
        "uppdrag av revisorerna granskat bidragen.\n"
    )
    assert own["firm"] is None
    assisted = _read(
        "Lekmannarevisorerna har med biträde av Hagström Kommunkonsult AB granskat ledningsnätet.\n"
    )
    assert assisted["firm"] == "Hagström Kommunkonsult AB"


def test_a_logo_in_capitals_is_not_the_title() -> None:
    text = (
        "HAGSTRÖM\nKOMMUNKONSULT\n\nGranskningsrapport 2025\n\n"
        "Lekmannarevisorerna i Stenvik Vatten AB\n\n"
        "Förnyelse och underhåll av\nledningsnätet för vatten och avlopp\n\n"
        "Stenviks kommun\nSeptember 2025\n\n"
        "Sammanfattning\n\n" + INTRO.split("Sammanfattning\n\n")[1]
    )
    proposal = propose_report(read_document(text.encode()))
    assert proposal["title"] == "Förnyelse och underhåll av ledningsnätet för vatten och avlopp"


def test_bracketed_numbers_and_a_sammantagna_bedomning() -> None:
    proposal = _read(
        "Vi gör den sammantagna bedömningen att nämnderna inte arbetar förebyggande.\n\n"
        "Vi rekommenderar kommunstyrelsen att\n"
        "(1) revidera riktlinjen mot mutor och jäv,\n"
        "(2) ta fram en rutin för utredningar.\n"
    )
    assert [(r["number"], r["text"]) for r in proposal["recommendations"]] == [
        ("1", "revidera riktlinjen mot mutor och jäv"),
        ("2", "ta fram en rutin för utredningar."),
    ]
    assert proposal["overall_assessment"].startswith("Vi gör den sammantagna bedömningen att")


# Held-out set 6 ------------------------------------------------------------------------


def test_control_areas_with_detailed_objectives_rated_per_section() -> None:
    proposal = _read(
        "Kontrollområde 1 – Leverantörsregister\n"
        "Övergripande kontrollmål: Leverantörsregistret är korrekt och skyddat.\n"
        "1.1 Det finns en rutin för ändring av leverantörer.\n"
        "1.2 Bankuppgifter kontrolleras mot en oberoende källa.\n\n"
        "Kontrollområde 2 – Attest\n"
        "Övergripande kontrollmål: Endast attesterade fakturor betalas ut.\n"
        "2.1 Det finns en aktuell attestordning.\n\n"
        "Kontrollmålen bedöms enligt följande skala:\n"
        "Uppfyllt – kontrollen fungerar.\nDelvis uppfyllt – brister.\n\n"
        "3 Iakttagelser\nKontrollmål 1.1\nRutinen finns.\nBedömning: Uppfyllt.\n\n"
        "Kontrollmål 1.2\nNio av 25 saknar kontroll.\nBedömning: Ej uppfyllt.\n\n"
        "Rekommendation (hög prioritet)\nRegionstyrelsen bör kontrollera varje ändring av\n"
        "bankuppgifter.\n\n"
        "Samlad bedömning kontrollområde 1: Ej uppfyllt.\n\n"
        "Kontrollmål 2.1\nAttestordningen är beslutad.\nBedömning: Uppfyllt.\n\n"
        "Rekommendation (medelhög prioritet)\nRegionstyrelsen bör följa upp attesten.\n\n"
        "Samlad bedömning kontrollområde 2: Uppfyllt.\n\n"
        "Vår övergripande slutsats är att den interna kontrollen inte är tillräcklig.\n"
    )
    assert _questions(proposal) == [
        (
            "1",
            "Leverantörsregistret är korrekt och skyddat.",
            "Ej uppfylld",
            [
                ("1.1", "Det finns en rutin för ändring av leverantörer.", "Uppfylld"),
                ("1.2", "Bankuppgifter kontrolleras mot en oberoende källa.", "Ej uppfylld"),
            ],
        ),
        (
            "2",
            "Endast attesterade fakturor betalas ut.",
            "Uppfylld",
            [("2.1", "Det finns en aktuell attestordning.", "Uppfylld")],
        ),
    ]
    assert [r["text"] for r in proposal["recommendations"]] == [
        "Regionstyrelsen bör kontrollera varje ändring av bankuppgifter.",
        "Regionstyrelsen bör följa upp attesten.",
    ]
    assert proposal["overall_assessment"].startswith("Vår övergripande slutsats är att")


def test_ratings_drawn_as_symbols_with_a_legend() -> None:
    proposal = _read(
        "Bedömning per område\nMål och styrning\n◐\nEkonomi\n●\nIntern kontroll\n○\n"
        "● = Ja ◐ = Delvis ○ = Nej – = Ej bedömd\n\n"
        "Granskningen ska besvara följande frågor:\n"
        "1. Har nämnden mätbara mål?\n2. Följer nämnden upp ekonomin?\n"
        "3. Har nämnden en internkontrollplan?\n\n2 Iakttagelser\n"
    )
    assert [(q[0], q[2]) for q in _questions(proposal)] == [
        ("1", "Delvis"),
        ("2", "Ja"),
        ("3", "Nej"),
    ]


def test_a_pre_study_has_questions_but_no_deadline_or_proposals_to_the_auditors() -> None:
    proposal = _read(
        "Kommunen ska lämna svar på länsstyrelsens enkät senast den 14 november 2025.\n\n"
        "Förstudien har utgått från följande frågeställningar:\n"
        "a. Hur är ansvaret fördelat mellan nämnderna?\n"
        "b. Vilka risker finns som kan motivera en fördjupad granskning?\n\n"
        "4 Förslag till fortsatt granskning\n"
        "Bristen är så allvarlig att vi redan nu rekommenderar socialnämnden att ta fram en "
        "rutin för stöd till barn. Eftersom detta är en förstudie lämnar vi i övrigt inga "
        "rekommendationer till nämnderna.\n\n"
        "Vi föreslår att revisorerna\n"
        "1. genomför en fördjupad granskning 2026,\n2. följer upp handlingsplanen.\n"
    )
    assert [(q[0], q[1], q[2]) for q in _questions(proposal)] == [
        ("1", "Hur är ansvaret fördelat mellan nämnderna?", None),
        ("2", "Vilka risker finns som kan motivera en fördjupad granskning?", None),
    ]
    assert [r["text"] for r in proposal["recommendations"]] == [
        "Ta fram en rutin för stöd till barn."
    ]
    assert proposal["response_deadline"] is None


def test_roman_numbered_recommendations_and_a_partners_logo() -> None:
    text = (
        "Thorén & Lindgren\nKOMMUNREVISION\n\nUppföljning av tidigare\nårs granskningar\n\n"
        "Lövsjö kommun\n\nRevisionsrapport\n18 mars 2025\n\n"
        "Sammanfattning\n\n"
        + INTRO.split("Sammanfattning\n\n")[1]
        + "\nVi rekommenderar regionstyrelsen att:\n"
        "i. göra en samlad bedömning av måluppfyllelsen,\n"
        "ii. redovisa åtgärderna för resultatmålet,\n"
        "iii. upplysa om avvikelser i noterna.\n"
    )
    proposal = propose_report(read_document(text.encode()))
    assert proposal["title"] == "Uppföljning av tidigare års granskningar"
    assert [r["number"] for r in proposal["recommendations"]] == ["i", "ii", "iii"]


def test_an_overall_assessment_with_a_qualifier() -> None:
    proposal = _read(
        "Vår sammantagna bedömning utifrån granskningens syfte\när att arbetsmiljöarbetet "
        "delvis bedrivs systematiskt.\n"
    )
    assert proposal["overall_assessment"].startswith(
        "Vår sammantagna bedömning utifrån granskningens syfte är att"
    )
