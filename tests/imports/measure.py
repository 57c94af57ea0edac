"""Score the report reader on audit reports it has not seen.

Each document in `documents/` is fed to the reader twice, as the text file and as a PDF
rendered from it (`render.render_pdf`), and the proposal's public JSON is compared field
by field with `expected/<stem>.json`. The rules of the comparison are in README.md.

    DJANGO_DEBUG=1 .venv/bin/python -m tests.imports.measure          # score table
    DJANGO_DEBUG=1 .venv/bin/python -m tests.imports.measure -v       # and what is wrong
    DJANGO_DEBUG=1 .venv/bin/python -m tests.imports.measure -v ekeby-intern-kontroll-2023

`test_unseen_layouts.py` asserts the same checks.
"""

from __future__ import annotations

import json
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

from tests.imports import scoring
from tests.imports.scoring import KINDS as KINDS  # re-exported: the tests use it
from tests.imports.scoring import Check, Layout, plain

HERE = Path(__file__).resolve().parent
DOCUMENTS = HERE / "documents"
EXPECTED = HERE / "expected"

FUZZY = 0.9  # least difflib similarity of a question's or recommendation's text
OVERALL_PREFIX = 40  # characters of the overall assessment that must match

# The scale levels a rating may be (README: the rating is the level's label).
RATING_LABELS = frozenset(
    {
        *("Uppfylld", "Delvis uppfylld", "Ej uppfylld"),
        *("Ja", "Delvis", "Nej"),
        *("I allt väsentligt", "Till övervägande del"),
        *("Grön", "Gul", "Röd"),
    }
)


LAYOUTS: dict[str, Layout] = {
    "sydkust-lakemedel-2024": Layout(
        header="Region Sydkust – Granskning av läkemedelshantering i slutenvården",
        footer="sida",
        width_mm=170,
        page_lines=(
            r"Region Sydkust – Granskning av läkemedelshantering i slutenvården",
            r"Sida \d+ av \d+",
        ),
    ),
    "ekeby-intern-kontroll-2023": Layout(
        header="Ekeby kommun – Granskning av intern kontroll",
        footer="number",
        width_mm=120,
        page_lines=(r"Ekeby kommun – Granskning av intern kontroll", r"\d+"),
    ),
    "fjallmark-kompetensforsorjning-2023": Layout(
        header="Region Fjällmark – Kompetensförsörjning",
        footer="number",
        width_mm=150,
        page_lines=(r"Region Fjällmark – Kompetensförsörjning", r"\d+"),
    ),
    "norras-grundlaggande-2024": Layout(
        header="Norrås kommun – Grundläggande granskning 2023",
        footer="sida",
        width_mm=110,
        page_lines=(r"\d+ \(\d+\)",),
    ),
    "ostervik-avtalstrohet-2022": Layout(
        header="Östervik kommun | Avtalstrohet vid inköp",
        footer="sida",
        width_mm=130,
        page_lines=(r"Östervik kommun \| Avtalstrohet vid inköp", r"Sida \d+ av \d+"),
    ),
    "malarvik-informationssakerhet-2024": Layout(
        header="Region Mälarvik – Granskning av informationssäkerhet",
        footer="number",
        width_mm=120,
        page_lines=(r"\d+",),
    ),
    # The held-out set (holdout-*), written after the reader, by someone who never read it.
    "holdout-norrvidden-ambulans-2024": Layout(
        header="Region Norrvidden | Ambulanssjukvårdens tillgänglighet",
        footer="number",
        width_mm=140,
        page_lines=(
            r"Hägerström Revision AB \| Region Norrvidden \| "
            r"Ambulanssjukvårdens tillgänglighet\s+\d+",
        ),
    ),
    "holdout-kvarnholm-hemtjanst-2024": Layout(
        header="Kvarnholms stadsrevision | Rapport nr 7/2024",
        footer="sida",
        width_mm=115,
        page_lines=(r"Kvarnholms stadsrevision \| Rapport nr 7/2024 \| Sid \d+/\d+",),
    ),
    "holdout-tallasa-bisysslor-2023": Layout(
        header="Tallåsa kommun – Uppföljning av bisysslor",
        footer="sida",
        width_mm=155,
        page_lines=(r"Tallåsa kommun – Uppföljning av bisysslor\s+\d+ av \d+",),
    ),
    "holdout-bergsvik-lokalforsorjning-2024": Layout(
        header="Bergsvik kommun – Granskning av kommunstyrelsens lokalförsörjning – 2024-05-14",
        footer="sida",
        width_mm=150,
        page_lines=(
            r"Bergsvik kommun\s+Granskning av kommunstyrelsens lokalförsörjning",
            r"Revisionsrapport 2024-05-14\s+Sida \d+ \(\d+\)",
        ),
    ),
    "holdout-hallsjo-arkiv-2024": Layout(
        header="Hallsjö kommun – Granskning av arkiv- och dokumenthantering",
        footer="number",
        width_mm=135,
        page_lines=(r"Hallsjö kommun – Granskning av arkiv- och dokumenthantering", r"\d+"),
    ),
    # The second held-out set (holdout2-*)
    "holdout2-granmark-hjalpmedel-2025": Layout(
        header="Region Granmark – Förskrivning och uppföljning av hjälpmedel",
        footer="sida",
        width_mm=125,
        page_lines=(
            r"Region Granmark – Förskrivning och uppföljning av hjälpmedel",
            r"Wallin & Ekstedt Revision AB\s+\d+ av \d+",
        ),
    ),
    "holdout2-kallvik-synpunkter-2025": Layout(
        header="Kallviks kommun | Synpunkter och klagomål | 2025-01-28",
        footer="number",
        width_mm=162,
        page_lines=(r"Kallviks kommun \| Synpunkter och klagomål \| 2025-01-28", r"- \d+ -"),
    ),
    "holdout2-sjomala-bostader-2024": Layout(
        header="Sjömålabostäder AB – Lekmannarevision 2024",
        footer="number",
        width_mm=145,
        page_lines=(r"Sjömålabostäder AB – Lekmannarevision 2024", r"Sida \d+"),
    ),
    "holdout2-nordana-bup-2025": Layout(
        header="REGION NORDANÅ – REVISORERNA",
        footer="sida",
        width_mm=118,
        page_lines=(r"REGION NORDANÅ – REVISORERNA", r"Revisionsrapport 3/2025 · sida \d+ \(\d+\)"),
    ),
    # The third held-out set (holdout3-*)
    "holdout3-lindesby-investeringar-2025": Layout(
        header="Revisionshuset Tellus AB – Lindesby kommun",
        footer="number",
        width_mm=160,
        page_lines=(r"TELLUS", r"Granskningsrapport 2025 \| sida \d+ av \d+"),
    ),
    "holdout3-vastersund-loneprocess-2025": Layout(
        header="Region Västersund · Intern kontroll i löneprocessen",
        footer="sida",
        width_mm=128,
        page_lines=(r"Meridian Public Audit AB · Region Västersund · mars 2025 · \d+/\d+",),
    ),
    "holdout3-solvik-vardhygien-2024": Layout(
        header="Region Solvik – Förebyggande av vårdrelaterade infektioner",
        footer="number",
        width_mm=112,
        page_lines=(r"Kronfors Revision AB – Kommunal sektor", r"\d+"),
    ),
    "holdout3-ronnaker-krisberedskap-2025": Layout(
        header="Rönnåkers kommun – Krisberedskap och kontinuitetshantering",
        footer="sida",
        width_mm=148,
        page_lines=(
            r"Krisberedskap och kontinuitetshantering",
            r"© Hedvall Revision AB\. Rapporten är upprättad för revisorerna i Rönnåkers kommun\.",
            r"Sidan \d+ \(\d+\)",
        ),
    ),
    # The fourth held-out set (holdout4-*)
    "holdout4-storvalla-utskrivning-2025": Layout(
        header="Rapport 2025:7 – Region Storvalla",
        footer="sida",
        width_mm=138,
        page_lines=(
            r"Rapport 2025:7",
            r"Region Storvalla · Samverkan vid utskrivning · sida \d+ av \d+",
        ),
    ),
    "holdout4-ljungstorp-bistand-2025": Layout(
        header="Ljungstorps kommun – Ekonomiskt bistånd",
        footer="number",
        width_mm=122,
        page_lines=(
            r"Granskningsrapport oktober 2025",
            r"Ljungstorps kommun – Ekonomiskt bistånd – s\. \d+",
        ),
    ),
    "holdout4-hammarvik-bygglov-2025": Layout(
        header="Hammarviks kommun | Bygg- och miljönämndens handläggning av bygglov",
        footer="sida",
        width_mm=165,
        page_lines=(
            r"Hammarviks kommun \| Bygg- och miljönämndens handläggning av bygglov",
            r"Ahlgren Öberg Revision AB\s+\d+ \(\d+\)",
        ),
    ),
    "holdout4-salvsta-elevhalsa-2026": Layout(
        header="TIBERG KOMMUNREVISION – Sälvsta kommun",
        footer="number",
        width_mm=116,
        page_lines=(
            r"TIBERG KOMMUNREVISION",
            r"Elevhälsans förebyggande och hälsofrämjande arbete · Sida \d+ \(\d+\)",
        ),
    ),
    # The fifth held-out set (holdout5-*)
    "holdout5-skarbotten-hyrpersonal-2025": Layout(
        header="Region Skärbotten · Styrning och uppföljning av inhyrd vårdpersonal",
        footer="sida",
        width_mm=145,
        page_lines=(r"Slutlig version 2025-10-21", r"carlbom \| \d+"),
    ),
    "holdout5-ekhamra-foreningsbidrag-2025": Layout(
        header="Revisorerna i Ekhamra kommun – Rapport 6/2025",
        footer="number",
        width_mm=124,
        page_lines=(r"Revisorerna i Ekhamra kommun", r"Rapport 6/2025 – sid\. \d+"),
    ),
    "holdout5-stenvik-ledningsnat-2025": Layout(
        header="Stenvik Vatten AB – Granskningsrapport 2025",
        footer="sida",
        width_mm=160,
        page_lines=(r"Stenvik Vatten AB\s+Granskningsrapport 2025", r"\[\d+\]"),
    ),
    "holdout5-valdeby-oegentligheter-2026": Layout(
        header="Valdeby kommun – Arbetet mot oegentligheter",
        footer="number",
        width_mm=132,
        page_lines=(
            r"Valdeby kommun – Arbetet mot oegentligheter",
            r"\d+ \| Sandahl & Wikner Revision AB",
        ),
    ),
    "holdout5-mellanfjard-tandvard-2025": Layout(
        header="Region Mellanfjärd | Barn- och ungdomstandvård",
        footer="sida",
        width_mm=150,
        page_lines=(r"Region Mellanfjärd \| Barn- och ungdomstandvård", r"Sid\. \d+ \(\d+\)"),
    ),
    # The sixth held-out set (holdout6-*)
    "holdout6-lovsjo-uppfoljning-2025": Layout(
        header="Lövsjö kommun – Uppföljning av tidigare års granskningar",
        footer="sida",
        width_mm=126,
        page_lines=(r"Rapport \| Lövsjö kommun \| 2025-03-18 \| \d+ \(\d+\)",),
    ),
    "holdout6-kustlanda-delarsrapport-2025": Layout(
        header="Region Kustlanda | Granskning av delårsrapport januari–augusti 2025",
        footer="number",
        width_mm=158,
        page_lines=(
            r"Region Kustlanda \| Granskning av delårsrapport januari–augusti 2025",
            r"Dokumentklassificering: Offentlig",
            r"\d+",
        ),
    ),
    "holdout6-vasterslatt-leverantorsbetalningar-2025": Layout(
        header="Intern kontroll i leverantörsutbetalningar | Revisionsår 2025",
        footer="sida",
        width_mm=114,
        page_lines=(
            r"Intern kontroll i leverantörsutbetalningar \| Revisionsår 2025",
            r"Region Västerslätt \| s\. \d+ \(\d+\)",
        ),
    ),
    "holdout6-asbacka-grundlaggande-2025": Layout(
        header="GRUNDLÄGGANDE GRANSKNING 2025 – Åsbacka kommun",
        footer="number",
        width_mm=142,
        page_lines=(
            r"GRUNDLÄGGANDE GRANSKNING 2025",
            r"Åsbacka kommun · Kultur- och fritidsnämnden · \d+",
        ),
    ),
    "holdout6-morsjo-forstudie-2025": Layout(
        header="Mörtsjö kommun – Förstudie om våld i nära relationer",
        footer="sida",
        width_mm=168,
        page_lines=(r"Mörtsjö kommun – Förstudie om våld i nära relationer – \d+/\d+",),
    ),
    # The seventh held-out set (holdout7-*)
    "holdout7-tjarnby-itsakerhet-2025": Layout(
        header="Tjärnby kommun – Granskning av IT-säkerhet",
        footer="number",
        width_mm=134,
        page_lines=(
            r"Granskning av IT-säkerhet – Tjärnby kommun",
            r"© 2025 Rosengren Revision AB\. Alla rättigheter förbehållna\.",
            r"\d+",
        ),
    ),
    "holdout7-hokmark-kollektivtrafik-2025": Layout(
        header="Region Hökmark – Revisionsrapport oktober 2025",
        footer="sida",
        width_mm=156,
        page_lines=(r"\d+",),
    ),
    "holdout7-gransjo-sarskilt-stod-2025": Layout(
        header="Kommunrevisionen i Gransjö – Rapport 5/2025",
        footer="number",
        width_mm=120,
        page_lines=(r"Kommunrevisionen i Gransjö · Rapport 5/2025 · \d+ \(\d+\)",),
    ),
    "holdout7-sjovreta-arbetsmiljo-2025": Layout(
        header="Sjövreta kommun | Systematiskt arbetsmiljöarbete",
        footer="sida",
        width_mm=146,
        page_lines=(r"Sjövreta kommun \| Systematiskt arbetsmiljöarbete", r"Sida \d+/\d+"),
    ),
    "holdout7-norrhamra-bolagsstyrning-2024": Layout(
        header="Norrhamra kommun – Uppsikt över de helägda bolagen",
        footer="number",
        width_mm=128,
        page_lines=(
            r"Norrhamra kommun – Uppsikt över de helägda bolagen",
            r"Wessman Revision AB \| Sida \d+",
        ),
    ),
    # The eighth held-out set (holdout8-*), kept held out
    "holdout8-vildmora-avvikelser-2025": Layout(
        header="Avvikelsehantering inom hälso- och sjukvården | Region Vildmora",
        footer="number",
        width_mm=150,
        page_lines=(r"Avvikelsehantering inom hälso- och sjukvården \| Region Vildmora\s+\d+",),
    ),
    "holdout8-hjortsby-livsmedelskontroll-2025": Layout(
        header="Hjortsby kommun | Granskning av livsmedelskontrollen | 2025-10-30",
        footer="sida",
        width_mm=132,
        page_lines=(
            r"Hjortsby kommun \| Granskning av livsmedelskontrollen \| 2025-10-30",
            r"Sida \d+ \(\d+\)",
        ),
    ),
    "holdout8-ulvasa-skolskjuts-2025": Layout(
        header="Ulvåsa kommun – Granskning av skolskjutsverksamheten",
        footer="sida",
        width_mm=160,
        page_lines=(
            r"Ulvåsa kommun – Granskning av skolskjutsverksamheten",
            r"Almkvist Revision AB \| Ulvåsa kommun \| Sida \d+",
        ),
    ),
    "holdout8-lindnas-overformyndare-2025": Layout(
        header="Lindnäs kommun – Överförmyndarnämndens tillsyn",
        footer="number",
        width_mm=165,
        page_lines=(r"Lindnäs kommun – Överförmyndarnämndens tillsyn", r"\d+"),
    ),
    "holdout8-mellanskog-raddningstjanst-2025": Layout(
        header="Räddningstjänstförbundet Mellanskog | Granskningsrapport 2025",
        footer="sida",
        width_mm=140,
        page_lines=(
            r"Räddningstjänstförbundet Mellanskog \| Granskningsrapport 2025 \| \d+ \(\d+\)",
        ),
    ),
}


# -- the documents ---------------------------------------------------------------------


def stems() -> list[str]:
    """The documents measured: every expected proposal (each has its text file)."""
    return sorted(path.stem for path in EXPECTED.glob("*.json"))


def document_text(stem: str) -> str:
    return (DOCUMENTS / f"{stem}.txt").read_text(encoding="utf-8")


def expected(stem: str) -> dict[str, Any]:
    return json.loads((EXPECTED / f"{stem}.json").read_text(encoding="utf-8"))


def pdf_source(stem: str) -> str:
    """The text file without its running header/footer lines, for rendering."""
    return scoring.pdf_source(document_text(stem), LAYOUTS[stem])


@cache
def document_bytes(stem: str, kind: str) -> bytes:
    """The upload: the text file as UTF-8, or the PDF rendered from it."""
    return scoring.document_bytes(document_text(stem), kind, LAYOUTS[stem])


def propose(data: bytes) -> dict[str, Any]:
    """The reader's public proposal for an upload."""
    [importing] = scoring.import_reader("audits.importing")
    return importing.public_json(importing.propose_report(importing.read_document(data)))


# -- the comparison --------------------------------------------------------------------


def _text(value: Any) -> str:
    """`plain`, without the trailing punctuation a list item may end with."""
    return plain(value).rstrip(" .,;:")


def _similarity(expected_text: Any, actual_text: Any) -> float:
    return scoring.similarity(_text(expected_text), _text(actual_text))


def _words(value: Any) -> list[str]:
    return re.findall(r"\w+", plain(value))


_LEGAL_FORM = re.compile(r"\s+(ab|kb|hb|aktiebolag)$")


def _firm(value: Any) -> str:
    return _LEGAL_FORM.sub("", plain(value))


def _fuzzy_check(field: str, expected_text: Any, actual_text: Any) -> Check:
    ratio = _similarity(expected_text, actual_text) if actual_text else 0.0
    return Check(field, ratio >= FUZZY, expected_text, actual_text, f"similarity {ratio:.2f}")


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _pair(expected_items: list[dict], actual_items: list[Any]) -> list[Any]:
    """The actual question for each expected one: the one with the same number, else
    the one at the same position."""
    actual_dicts = [item if isinstance(item, dict) else {} for item in actual_items]
    by_number = {str(item.get("number")): item for item in actual_dicts if item.get("number")}
    paired = []
    for index, item in enumerate(expected_items):
        match = by_number.get(str(item["number"]))
        if match is None and index < len(actual_dicts):
            match = actual_dicts[index]
        paired.append(match)
    return paired


def _question_checks(expected_items: list[dict], actual_items: Any, parent: str) -> list[Check]:
    actual_items = _as_list(actual_items)
    label = f"{parent} sub-questions" if parent else "questions"
    checks = [
        Check(
            f"{label}: number",
            len(actual_items) == len(expected_items),
            len(expected_items),
            len(actual_items),
        )
    ]
    for item, match in zip(expected_items, _pair(expected_items, actual_items), strict=True):
        name = f"question {item['number']}"
        got = match or {}  # no such question: its rating is wrong even if none is expected
        checks.append(
            Check(
                f"{name} number",
                str(got.get("number")) == item["number"],
                item["number"],
                got.get("number"),
            )
        )
        checks.append(
            Check(
                f"{name} rating",
                bool(got) and got.get("rating") == item["rating"],
                item["rating"],
                got.get("rating"),
            )
        )
        checks.append(_fuzzy_check(f"{name} text", item["text"], got.get("text")))
        if item["sub_questions"]:
            checks += _question_checks(item["sub_questions"], got.get("sub_questions"), name)
    return checks


def _date_check(expected_date: str | None, actual_date: Any) -> Check:
    """A month-only date ("Mars 2024") is expected as the month's first day and compared
    by year and month; a date the document gives in full is compared in full."""
    if expected_date is None:
        return Check("date", actual_date is None, None, actual_date)
    month_only = expected_date.endswith("-01")
    compared = 7 if month_only else 10
    ok = (
        isinstance(actual_date, str)
        and re.fullmatch(r"\d{4}-\d{2}-\d{2}", actual_date) is not None
        and actual_date[:compared] == expected_date[:compared]
    )
    note = "year and month compared" if month_only else "the whole date compared"
    return Check("date", ok, expected_date, actual_date, note)


def _overall_check(expected_text: str | None, actual_text: Any) -> Check:
    if expected_text is None:
        return Check("overall_assessment", not actual_text, None, actual_text)
    prefix = plain(expected_text)[:OVERALL_PREFIX]
    ok = bool(actual_text) and plain(actual_text).startswith(prefix)
    return Check(
        "overall_assessment",
        ok,
        expected_text,
        actual_text,
        f"must start with {prefix!r}",
    )


def compare(expected_json: dict[str, Any], actual: Any) -> list[Check]:
    """Every check of `actual` (a proposal's public JSON) against the expected one."""
    got = actual if isinstance(actual, dict) else {}
    title_words = set(_words(got.get("title")))
    missing = [word for word in _words(expected_json["title"]) if word not in title_words]
    checks = [
        Check(
            "title",
            not missing,
            expected_json["title"],
            got.get("title"),
            f"missing words {missing}" if missing else "",
        ),
        Check(
            "region",
            plain(got.get("region")) == plain(expected_json["region"]),
            expected_json["region"],
            got.get("region"),
        ),
        _date_check(expected_json["date"], got.get("date")),
        Check(
            "firm",
            _firm(got.get("firm")) == _firm(expected_json["firm"]),
            expected_json["firm"],
            got.get("firm"),
        ),
    ]
    checks += _question_checks(expected_json["questions"], got.get("questions"), "")
    recommendations = _as_list(got.get("recommendations"))
    wanted = expected_json["recommendations"]
    checks.append(
        Check(
            "recommendations: number",
            len(recommendations) == len(wanted),
            len(wanted),
            len(recommendations),
        )
    )
    for index, item in enumerate(wanted):
        match = recommendations[index] if index < len(recommendations) else {}
        text = match.get("text") if isinstance(match, dict) else None
        checks.append(_fuzzy_check(f"recommendation {index + 1} text", item["text"], text))
    checks.append(
        _overall_check(expected_json["overall_assessment"], got.get("overall_assessment"))
    )
    checks.append(
        Check(
            "response_deadline",
            got.get("response_deadline") == expected_json["response_deadline"],
            expected_json["response_deadline"],
            got.get("response_deadline"),
        )
    )
    return checks


def measure(stem: str, kind: str) -> tuple[list[Check], str | None]:
    """The checks of one document read as `kind`, and the error if the reader failed
    (then every check counts as wrong)."""
    wanted = expected(stem)
    try:
        actual = propose(document_bytes(stem, kind))
    except Exception as error:  # a score, whatever the reader raised
        return scoring.all_wrong(compare(wanted, {})), f"{type(error).__name__}: {error}"
    return compare(wanted, actual), None


# -- the table -------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    return scoring.run(
        argv,
        description=__doc__.split("\n\n")[0],
        stems=stems,
        measure=measure,
        verbose_help="list the wrong fields",
    )


if __name__ == "__main__":
    sys.exit(main())
