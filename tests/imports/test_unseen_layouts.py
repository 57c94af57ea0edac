"""The report reader on layouts it was not written for (see README.md).

Six short reports in other firms' layouts, each read as its text file and as a PDF
rendered from it, must give the proposal in `expected/`, field by field. The checks are
those of `measure.py`, which prints them as a score table.
"""

from __future__ import annotations

import io
import json
import re

import pypdf
import pytest

from tests.imports import measure
from tests.imports.render import render_pdf

HELD_OUT_MARK = pytest.mark.xfail(strict=False, reason="held-out set 8: measured, not tuned on")
# Stems of the eighth held-out set (holdout8-*) that the reader does not yet read perfectly,
# in either form. The set stays held out, so these score tests are expected to fail (not
# strictly); holdout8-vildmora-avvikelser-2025 reads perfectly and is asserted like the
# rest. The well-formedness tests below run strictly for every document.
HELD_OUT: set[str] = {
    "holdout8-hjortsby-livsmedelskontroll-2025",
    "holdout8-ulvasa-skolskjuts-2025",
    "holdout8-lindnas-overformyndare-2025",
    "holdout8-mellanskog-raddningstjanst-2025",
}

CASES = [
    pytest.param(stem, kind, id=f"{stem}-{kind}", marks=[HELD_OUT_MARK] if stem in HELD_OUT else [])
    for stem in measure.stems()
    for kind in measure.KINDS
]


@pytest.mark.parametrize(("stem", "kind"), CASES)
def test_reader_gives_the_expected_proposal(stem: str, kind: str) -> None:
    actual = measure.propose(measure.document_bytes(stem, kind))
    checks = measure.compare(measure.expected(stem), actual)
    wrong = [check for check in checks if not check.ok]
    assert not wrong, (
        f"{stem} read as {kind}: {len(wrong)} of {len(checks)} fields wrong\n"
        + "\n".join(f"  - {check.describe()}" for check in wrong)
        + "\nproposal:\n"
        + json.dumps(actual, ensure_ascii=False, indent=2)
    )


# -- the measuring stick itself --------------------------------------------------------

SHAPE = {
    "title",
    "region",
    "date",
    "firm",
    "questions",
    "overall_assessment",
    "recommendations",
    "response_deadline",
}


def _questions(items: list[dict]) -> list[dict]:
    return [q for item in items for q in [item, *_questions(item["sub_questions"])]]


@pytest.mark.parametrize("stem", measure.stems())
def test_expected_proposal_is_well_formed(stem: str) -> None:
    expected = measure.expected(stem)
    assert set(expected) == SHAPE
    assert stem in measure.LAYOUTS, f"no PDF layout for {stem}"
    for key in ("date", "response_deadline"):
        assert expected[key] is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", expected[key])
    for question in _questions(expected["questions"]):
        assert set(question) == {"number", "text", "rating", "sub_questions"}
        assert re.fullmatch(r"\d+(\.\d+)*", question["number"])
        assert question["rating"] is None or question["rating"] in measure.RATING_LABELS
        assert "\n" not in question["text"] and "  " not in question["text"]
    for recommendation in expected["recommendations"]:
        assert set(recommendation) == {"number", "text"}
        assert not recommendation["text"].startswith(("•", "●", "-", "–"))


@pytest.mark.parametrize("stem", measure.stems())
def test_expected_texts_are_in_the_document(stem: str) -> None:
    """Every question and recommendation is in the document, word for word once line
    breaks, hyphenation and bullets are set aside: the expected files invent nothing."""

    def squash(text: str) -> str:
        return re.sub(r"[\s\-–•●]", "", text).casefold()

    document = squash(measure.document_text(stem))
    expected = measure.expected(stem)
    texts = [question["text"] for question in _questions(expected["questions"])]
    texts += [item["text"] for item in expected["recommendations"]]
    texts += [expected["overall_assessment"] or "", expected["region"], expected["firm"] or ""]
    missing = [text for text in texts if squash(text.rstrip(".,")) not in document]
    assert not missing


@pytest.mark.parametrize("stem", measure.stems())
def test_pdf_source_drops_only_the_page_lines(stem: str) -> None:
    source = measure.pdf_source(stem)
    assert source.count("\f") == measure.document_text(stem).count("\f")
    patterns = [re.compile(pattern) for pattern in measure.LAYOUTS[stem].page_lines]
    for line in source.split("\n"):
        assert not any(pattern.fullmatch(line.strip("\f").strip()) for pattern in patterns)


def test_compare_scores_the_expected_proposal_full_and_nothing_nothing() -> None:
    for stem in measure.stems():
        expected = measure.expected(stem)
        assert all(check.ok for check in measure.compare(expected, expected))
        checks = measure.compare(expected, {})
        wrong = [check.field for check in checks if not check.ok]
        # With no proposal, only the fields expected to be empty can be right.
        empty = sum(
            expected[key] is None for key in ("firm", "overall_assessment", "response_deadline")
        )
        assert len(wrong) == len(checks) - empty


# -- the renderer ----------------------------------------------------------------------

PARAGRAPH = (
    "Vår sammanfattande bedömning är att regionstyrelsen inte fullt ut säkerställer en "
    "ändamålsenlig och patientsäker läkemedelshantering inom slutenvårdens verksamheter."
)


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def test_render_pdf_has_header_and_footer_on_every_page() -> None:
    pages = _pages(render_pdf("\n\n".join([PARAGRAPH] * 40), header="Region Sydkust – Läkemedel"))
    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        lines = text.split("\n")
        # pypdf returns the margin boxes after the page's body text.
        assert lines[-2:] == ["Region Sydkust – Läkemedel", f"Sida {number} av {len(pages)}"]


def test_render_pdf_footer_may_be_the_lone_page_number() -> None:
    pages = _pages(render_pdf("Sammanfattning\fRekommendationer", footer="number"))
    assert [text.split("\n") for text in pages] == [
        ["Sammanfattning", "1"],
        ["Rekommendationer", "2"],
    ]


def test_render_pdf_hyphenates_swedish_in_a_narrow_column() -> None:
    text = "\n".join(_pages(render_pdf(PARAGRAPH, width_mm=60)))
    breaks = re.findall(r"(\w+)-\n(\w+)", text)
    assert breaks, text
    words = set(re.findall(r"\w+", PARAGRAPH))
    assert any(head + tail in words for head, tail in breaks), breaks


def test_render_pdf_keeps_lines_paragraphs_and_page_breaks() -> None:
    text = "Revisionsrapport\n\nGranskning av\ninformationssäkerhet\fRekommendationer\n– a\n– b"
    pages = _pages(render_pdf(text, header=None))
    assert len(pages) == 2
    assert pages[0].split("\n")[:3] == ["Revisionsrapport", "Granskning av", "informationssäkerhet"]
    assert pages[1].split("\n")[:3] == ["Rekommendationer", "– a", "– b"]


def test_render_pdf_renders_markup_as_text_and_fetches_nothing() -> None:
    markup = '<img src="http://example.invalid/logo.png"> Ekeby & Co'
    (page,) = _pages(render_pdf(markup, header="<b>Ekeby</b>"))
    assert page.split("\n") == [markup, "<b>Ekeby</b>", "Sida 1 av 1"]


def test_render_pdf_refuses_a_column_wider_than_the_page() -> None:
    with pytest.raises(ValueError, match="width_mm"):
        render_pdf("Sammanfattning", width_mm=185)
