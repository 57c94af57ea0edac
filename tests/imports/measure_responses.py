"""Score the response reader on audit responses it has not seen.

Each document in `responses/documents/` is fed to the reader twice, as the text file and
as a PDF rendered from it (`render.render_pdf`): `propose_response(read_document(data))`,
then `match_answers(proposal, <the audit's recommendations>)`. The result is compared
field by field with `responses/expected/<stem>.json`. The rules of the comparison are
in responses/README.md.

    DJANGO_DEBUG=1 .venv/bin/python -m tests.imports.measure_responses      # score table
    DJANGO_DEBUG=1 .venv/bin/python -m tests.imports.measure_responses -v   # and what is wrong
    DJANGO_DEBUG=1 .venv/bin/python -m tests.imports.measure_responses -v \\
        sormark-krisberedskap-2025 --kind pdf

`test_unseen_responses.py` asserts the same checks.
"""

from __future__ import annotations

import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

from tests.imports import scoring
from tests.imports.scoring import KINDS as KINDS  # re-exported: the tests use it
from tests.imports.scoring import Check, Layout, plain

HERE = Path(__file__).resolve().parent / "responses"
DOCUMENTS = HERE / "documents"
EXPECTED = HERE / "expected"

MODES = ("answers", "narrative")
FUZZY = 0.9  # least difflib similarity of an answer's or the narrative's start


LAYOUTS: dict[str, Layout] = {
    "vasterlid-remisshantering-2025": Layout(
        header="Region Västerlid    Yttrande    2025-03-14",
        footer="sida",
        width_mm=160,
        page_lines=(r"Region Västerlid\s+Yttrande\s+2025-03-14", r"Sida \d+ av \d+"),
    ),
    "stenasa-orosanmalningar-2025": Layout(
        header="Stenåsa kommun • Socialnämnden • Dnr SN 2025/118",
        footer="number",
        width_mm=120,
        page_lines=(r"Stenåsa kommun • Socialnämnden • Dnr SN 2025/118", r"\d+ \(\d+\)"),
    ),
    "sormark-krisberedskap-2025": Layout(
        header="Region Sörmark | Regionstyrelsen | Dnr RS 2024/1187",
        footer="sida",
        width_mm=135,
        page_lines=(r"Region Sörmark \| Regionstyrelsen \| Dnr RS 2024/1187", r"Sida \d+ av \d+"),
    ),
    "norrlida-direktupphandling-2025": Layout(
        header="Justerandes sign    Utdragsbestyrkande",
        footer="sida",
        width_mm=150,
        page_lines=(r"Justerandes sign\s+Utdragsbestyrkande", r"Sida \d+ \(\d+\)"),
    ),
    "varsta-elevhalsa-2025": Layout(
        header=None,
        footer="number",
        width_mm=145,
    ),
    "ekhamn-gatuunderhall-2025": Layout(
        header="Ekhamns kommun – Samhällsbyggnadsförvaltningen",
        footer="number",
        width_mm=125,
        page_lines=(r"Ekhamns kommun – Samhällsbyggnadsförvaltningen\s+\d+ \(\d+\)",),
    ),
    "set2-fjallmora-lokalforsorjning-2025": Layout(
        header="Region Fjällmora    Regionstyrelsen    Dnr RS 2025/0233",
        footer="sida",
        width_mm=170,
        page_lines=(
            r"Region Fjällmora\s+Regionstyrelsen\s+Dnr RS 2025/0233\s+Sida \d+ \(\d+\)",
            r"Sida \d+ \(\d+\)",
        ),
    ),
    "set2-asvik-foreningsbidrag-2025": Layout(
        header="Åsvik kommun   Box 50, 780 50 Åsvik   www.asvik.se",
        footer="number",
        width_mm=115,
        page_lines=(
            r"Åsvik kommun\s+Box 50, 780 50 Åsvik\s+0284-150 00\s+www\.asvik\.se\s+\d+/\d+",
        ),
    ),
    "set2-lillbro-hemtjanst-2025": Layout(
        header="Lillbro kommun – Socialnämnden – Protokollsutdrag",
        footer="sida",
        width_mm=140,
        page_lines=(r"LILLBRO KOMMUN\s+PROTOKOLLSUTDRAG\s+Sida \d+ \(\d+\)",),
    ),
    "set2-tornvik-miljotillsyn-2025": Layout(
        header="Tornviks kommun · Miljö- och byggnadsförvaltningen",
        footer="number",
        width_mm=130,
        page_lines=(
            r"Tornviks kommun · Miljö- och byggnadsförvaltningen · 0652-140 00\s+Sid \d+\(\d+\)",
        ),
    ),
    "set2-graberga-lakemedel-2025": Layout(
        header="Gråberga kommun | Vård- och omsorgsförvaltningen | Dnr VON 2025/0142",
        footer="number",
        width_mm=180,
        page_lines=(
            r"Gråberga kommun \| Vård- och omsorgsförvaltningen \| Dnr VON 2025/0142\s+\d+ \(\d+\)",
        ),
    ),
    "set2-tallbacka-uthyrning-2025": Layout(
        header=None,
        footer="number",
        width_mm=165,
    ),
}


# -- the documents ---------------------------------------------------------------------


def stems() -> list[str]:
    """The documents measured: every expected reading (each has its text file)."""
    return sorted(path.stem for path in EXPECTED.glob("*.json"))


def document_text(stem: str) -> str:
    return (DOCUMENTS / f"{stem}.txt").read_text(encoding="utf-8")


def expected(stem: str) -> dict[str, Any]:
    return json.loads((EXPECTED / f"{stem}.json").read_text(encoding="utf-8"))


def recommendations(expected_json: dict[str, Any]) -> list[tuple[int, str]]:
    """The audit's recommendations, as `match_answers` takes them."""
    return [(int(number), text) for number, text in expected_json["recommendations"]]


def pdf_source(stem: str) -> str:
    """The text file without its running header/footer lines, for rendering."""
    return scoring.pdf_source(document_text(stem), LAYOUTS[stem])


@cache
def document_bytes(stem: str, kind: str) -> bytes:
    """The upload: the text file as UTF-8, or the PDF rendered from it."""
    return scoring.document_bytes(document_text(stem), kind, LAYOUTS[stem])


def read(data: bytes, audit_recommendations: list[tuple[int, str]]) -> tuple[Any, Any]:
    """The reader's proposal for an upload, and its answers matched to the audit's
    recommendations."""
    text, response = scoring.import_reader("audits.importing.text", "audits.importing.response")
    proposal = response.propose_response(text.read_document(data))
    return proposal, response.match_answers(proposal, audit_recommendations)


# -- the comparison --------------------------------------------------------------------


def starts_with(expected_start: str, actual_text: Any) -> tuple[bool, float]:
    """Whether `actual_text` starts with `expected_start` (both `plain`), or its start
    of the same length has difflib similarity ≥ FUZZY; and that similarity."""
    if not isinstance(actual_text, str) or not actual_text.strip():
        return False, 0.0
    start, text = plain(expected_start), plain(actual_text)
    if text.startswith(start):
        return True, 1.0
    head = text[: len(start)]
    ratio = scoring.similarity(start, head)
    return ratio >= FUZZY, ratio


def _shown(text: Any, length: int = 70) -> Any:
    """A long answer text shortened for the report."""
    if isinstance(text, str) and len(text) > length:
        return " ".join(text.split())[:length] + "…"
    return text


def _mode(proposal: dict[str, Any]) -> str | None:
    """A proposal's mode: "answers" when it has answers, else "narrative" when it has a
    narrative, else None."""
    answers = proposal.get("answers")
    if isinstance(answers, list) and answers:
        return "answers"
    narrative = proposal.get("narrative")
    if isinstance(narrative, str) and narrative.strip():
        return "narrative"
    return None


def _answer_text(answer: Any) -> Any:
    return answer.get("text") if isinstance(answer, dict) else answer


def _matched(matched: Any) -> dict[str, Any]:
    """match_answers' result keyed by the recommendation number as a string; a number
    mapped to nothing is no match."""
    if not isinstance(matched, dict):
        return {}
    return {str(number): answer for number, answer in matched.items() if answer}


def compare(expected_json: dict[str, Any], proposal: Any, matched: Any) -> list[Check]:
    """Every check of a proposal and its matched answers against the expected reading."""
    got = proposal if isinstance(proposal, dict) else {}
    actual_matches = _matched(matched)
    checks = [
        Check(
            "body",
            plain(got.get("body")) == plain(expected_json["body"]),
            expected_json["body"],
            got.get("body"),
        ),
        Check(
            "date",
            got.get("date") == expected_json["date"],
            expected_json["date"],
            got.get("date"),
        ),
        Check("mode", _mode(got) == expected_json["mode"], expected_json["mode"], _mode(got)),
    ]
    wanted = expected_json["matches"]
    for number in sorted(wanted, key=int):
        text = _answer_text(actual_matches.get(number))
        ok, ratio = starts_with(wanted[number], text)
        note = "no answer matched" if text is None else f"similarity of the start {ratio:.2f}"
        checks.append(
            Check(f"recommendation {number} answer", ok, wanted[number], _shown(text), note)
        )
    for number in sorted(set(actual_matches) - set(wanted), key=lambda key: (len(key), key)):
        checks.append(
            Check(
                f"recommendation {number} answer",
                False,
                None,
                _shown(_answer_text(actual_matches[number])),
                "matched, but the response does not answer it",
            )
        )
    if expected_json["narrative_start"] is not None:
        ok, ratio = starts_with(expected_json["narrative_start"], got.get("narrative"))
        checks.append(
            Check(
                "narrative",
                ok,
                expected_json["narrative_start"],
                _shown(got.get("narrative")),
                f"similarity of the start {ratio:.2f}",
            )
        )
    return checks


def proposal_from_expected(expected_json: dict[str, Any]) -> tuple[dict[str, Any], dict]:
    """A proposal and matches that say exactly what the expected reading says (each
    answer's text is its expected start): `compare` must give it a full score."""
    starts = list(dict.fromkeys(expected_json["matches"].values()))
    answers = [{"number": None, "recommendation": None, "text": start} for start in starts]
    proposal = {
        "title": None,
        "body": expected_json["body"],
        "date": expected_json["date"],
        "answers": answers if expected_json["mode"] == "answers" else [],
        "narrative": expected_json["narrative_start"],
        "sources": {},
    }
    if expected_json["mode"] == "answers" and not answers:
        proposal["answers"] = [{"number": None, "recommendation": None, "text": "…"}]
    matched = {
        int(number): answers[starts.index(start)]
        for number, start in expected_json["matches"].items()
    }
    return proposal, matched


def measure(stem: str, kind: str) -> tuple[list[Check], str | None]:
    """The checks of one document read as `kind`, and the error if the reader failed
    (then every check counts as wrong)."""
    wanted = expected(stem)
    try:
        proposal, matched = read(document_bytes(stem, kind), recommendations(wanted))
    except Exception as error:  # a score, whatever the reader raised
        return scoring.all_wrong(compare(wanted, {}, {})), f"{type(error).__name__}: {error}"
    return compare(wanted, proposal, matched), None


# -- the table -------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    return scoring.run(
        argv,
        description=__doc__.split("\n\n")[0],
        stems=stems,
        measure=measure,
        verbose_help="list the wrong checks",
    )


if __name__ == "__main__":
    sys.exit(main())
