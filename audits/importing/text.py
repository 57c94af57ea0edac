"""Text out of an uploaded PDF or text file, cleaned of what PDF extraction adds.

PDF text comes back as broken lines with page numbers, running headers and footers
and words hyphenated across lines. The readers downstream work line by line, so the
cleaning keeps lines (each with its page) but drops the page furniture and mends the
hyphenated words.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

logger = logging.getLogger(__name__)

# Below this many letters a PDF is taken to be scanned images without a text layer.
MIN_LETTERS = 200

PAGE_NUMBER = re.compile(
    r"""^(
        \d{1,3}                                  # 7
      | [-–—]\s?\d{1,3}\s?[-–—]                  # - 7 -
      | \d{1,3}\s?\(\d{1,3}\)                    # 7 (12)
      | \d{1,3}\s?/\s?\d{1,3}                    # 7/12
      | (sida|sid\.?|page|s\.)\s*\d{1,3}(\s*(av|of|/|\()\s*\d{1,3}\)?)?   # Sida 7 av 12
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# Searched from the line's end, without a leading ".*" (quadratic on long lines).
TRAILING_PAGE = re.compile(
    r"[\s·|•–—-]\s*(sida|sid\.?|page|s\.)\s*\d{1,3}(\s*(av|of|/|\()\s*\d{1,3}\)?)?$", re.I
)
# The hyphens a line may end with when a word was split (PDF "‐", soft hyphen, "-").
HYPHENS = "-\u2010\u00ad"
# After "hälso-" a line starting with one of these keeps the hyphen: "hälso- och sjukvård".
CONJUNCTIONS = {"och", "eller", "samt", "respektive", "som", "till", "resp", "o"}


class UnreadableDocument(ValueError):
    """The upload has no text we can read (a scanned PDF, an image, a broken file)."""


@dataclass(frozen=True)
class Line:
    text: str
    page: int | None


@dataclass
class Source:
    """The document as cleaned lines, each with its page (None for text files)."""

    lines: list[Line]
    kind: str  # "pdf" or "text"

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def read_document(data: bytes) -> Source:
    """The cleaned lines of a text-based PDF or a plain text file."""
    if data.startswith(b"%PDF-"):
        pages, kind = _pdf_pages(data), "pdf"
    else:
        pages, kind = _text_pages(data), "text"
    letters = sum(ch.isalpha() for page in pages for ch in page)
    if letters < MIN_LETTERS:
        raise UnreadableDocument("no text")
    return Source(lines=clean_pages(pages, numbered=kind == "pdf"), kind=kind)


def _pdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        return [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        # A damaged or encrypted PDF: the uploader gets a clear message, not a 500.
        logger.info("unreadable PDF: %s", exc)
        raise UnreadableDocument(str(exc)) from exc


def _text_pages(data: bytes) -> list[str]:
    if b"\x00" in data[:4096]:
        raise UnreadableDocument("binary")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        break
    else:
        text = data.decode("latin-1")
    # Text saved from a PDF viewer keeps its pages apart with form feeds.
    return text.split("\f")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    # Ligatures and odd spaces from PDF fonts; NFKC on the whole text would also fold
    # characters we want to keep (½, ², ”).
    for old, new in (("ﬁ", "fi"), ("ﬂ", "fl"), ("ﬀ", "ff"), ("\u00a0", " "), ("\t", " ")):
        text = text.replace(old, new)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def clean_pages(pages: list[str], *, numbered: bool) -> list[Line]:
    page_lines = [
        [re.sub(r" {2,}", " ", line).strip() for line in _normalise(page).split("\n")]
        for page in pages
    ]
    page_lines = [[line for line in lines if line] for lines in page_lines]
    furniture = _running_lines(page_lines)
    footers = _numbered_footers(page_lines)
    lines: list[Line] = []
    # Lines next to a page number: where a text file without page breaks has its
    # running header or footer.
    near_numbers: Counter[str] = Counter()
    for number, lines_of_page in enumerate(page_lines, start=1):
        page = number if numbered or len(page_lines) > 1 else None
        for at, line in enumerate(lines_of_page):
            if PAGE_NUMBER.match(line) or _key(line) in footers:
                for other in lines_of_page[max(0, at - 1) : at + 2]:
                    near_numbers[other] += 1
                continue
            if _key(line) in furniture:
                continue
            lines.append(Line(line, page))
    if len(page_lines) == 1:
        lines = _drop_repeated_headers(lines, near_numbers)
    return _mend_hyphens(lines)


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", line.casefold())


def _numbered_footers(pages: list[list[str]]) -> set[str]:
    """Footers that carry the page number at their end ("Elevhälsan · Sida 2 (6)",
    "Rapport 2025:7 | sida 3 av 12"): the same line, digits aside, twice or more."""
    counts = Counter(_key(line) for lines in pages for line in lines if TRAILING_PAGE.search(line))
    return {key for key, n in counts.items() if n >= 2}


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Headers and footers: the same line (digits aside) at the top or bottom of many pages."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        edge = {_key(line) for line in lines[:2] + lines[-2:]}
        counts.update(edge)
    threshold = max(2, len(pages) * 2 // 5)
    # A running line is short; a heading that opens many pages ("Bedömning") is not one
    # unless it is on nearly every page.
    # Lines of digits alone are page numbers (PAGE_NUMBER), or content such as "1177".
    return {
        key
        for key, n in counts.items()
        if n >= threshold and len(key) <= 120 and re.search(r"[^\W\d_]", key)
    }


def _drop_repeated_headers(lines: list[Line], near_numbers: Counter[str]) -> list[Line]:
    """A line repeated 3+ times that sits next to page numbers at least twice is a
    running header or footer; repeated sentences elsewhere are content."""
    counts = Counter(line.text for line in lines)
    furniture = {
        text
        for text, n in counts.items()
        if n >= 3 and near_numbers[text] >= 2 and not PAGE_NUMBER.match(text)
    }
    return [line for line in lines if line.text not in furniture]


def _mend_hyphens(lines: list[Line]) -> list[Line]:
    """Join words split over two lines: "verksam-" + "heten är" -> "verksamheten" + "är".
    A fragment alone on its line ("re-" / "kom-" / "menderar") is joined on."""
    out = list(lines)
    for i in range(len(out) - 1):
        j = i + 1
        while j < len(out) and _mend(out, i, j):
            if out[j].text:
                break
            j += 1
    return [line for line in out if line.text]


def _mend(out: list[Line], i: int, j: int) -> bool:
    here, following = out[i].text, out[j].text
    if len(here) < 2 or here[-1] not in HYPHENS or not here[-2].isalpha():
        return False
    first, _space, rest = following.partition(" ")
    if not first or first.strip(".,;:") in CONJUNCTIONS:
        return False
    if not (first[0].islower() or first[0].isdigit()):
        return False
    stem = here[:-1]
    fragment = re.search(r"(\S+)$", stem)
    piece = fragment.group(1) if fragment else ""
    # "e-" + "tjänster", "1177-" + "tjänster": the hyphen is part of the word.
    keep = len(piece) <= 1 or piece[-1].isdigit() or piece[-1].isupper() or first[0].isdigit()
    out[i] = Line(stem + ("-" if keep else "") + first, out[i].page)
    out[j] = Line(rest, out[j].page)
    return True
