"""Who responded and when: the body and the date of a response, and where its closing
starts.

The body and the date are, first, those of the body's decision when the document
records it ("beslutade den 3 oktober 2024, § 77", "Antaget av tekniska nämnden 2024-09-18",
"behandlade rapporten vid sitt sammanträde den 12 mars 2024 och beslutade …", a
protokoll's "Sammanträdesdatum"): a response drafted by an administration is the
body's once adopted, and it is dated by the adoption. A company's board is named with
its company ("Styrelsen för Tallbo Energi AB"). Otherwise the body is the one the
text or the signature names, and the date the one the document is dated with, never one
it gives to another document ("daterad", "senast").

The closing (the decision, "<Ort> den <datum>", "För <nämnden>") also tells the
answers where they end.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from .lines import Flat, Passage, squash
from .words import DAY_MONTH, ISO_DATE, MONTHS, parse_date

BODY_PATTERNS = [
    re.compile(
        r"(?:^|\n)([A-ZÅÄÖ][\wåäö -]{0,60}?(?:nämnden|styrelsen|utskottet))\s+"
        r"(?:lämnar|har\s+tagit|ger|avger|besvarar|överlämnar|yttrar|instämmer|beslutar"
        r"|antar)"
    ),
    re.compile(r"till\s+([A-ZÅÄÖ][\wåäö-]*?(?:nämnden|styrelsen))\s+för\s+(?:yttrande|svar)"),
    re.compile(r"(?:^|\n)([A-ZÅÄÖ][\wåäö-]*?(?:nämnd|styrels))ens\s+(?:yttrande|svar)", re.I),
]

# A body's name as the text writes it: "socialnämnden", "hälso- och sjukvårdsnämnden",
# "tekniska nämnden" (an adjective in -ska/-ala/-ella before a separate "nämnden").
_L = "A-Za-zÅÄÖåäöÉéÜü"
BODY_NAME = re.compile(
    rf"(?<![{_L}-])((?:[{_L}]+-\s+(?:och|eller)\s+)?(?:[{_L}]+(?:ska|ala|ella)\s+)?"
    rf"[{_L}]*(?:nämnden|styrelsen|utskottet))(?![{_L}])",
    re.I,
)
# "Nämnden" alone names no body: the reader looks further.
GENERIC_BODIES = {"nämnden", "styrelsen", "utskottet"}

_MONTH = "|".join(MONTHS)
DATE_TEXT = rf"(?:\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}(?::e|e)?\s+(?:{_MONTH})\s+\d{{4}})"
# A decision is recorded with its date and its paragraph: "den 3 oktober 2024, § 77".
DECISION = re.compile(rf"(?:\bden\s+)?({DATE_TEXT})\s*,?\s*§\s*\d+", re.I)
ADOPTED_BY = re.compile(
    rf"\b(?:antag(?:et|en|na|it)|fastställ(?:t|d|da)|beslutat)\s+av\s+{BODY_NAME.pattern}"
    rf"\s*,?\s*(?:den\s+)?({DATE_TEXT})",
    re.I,
)
# A decision recorded by its meeting instead of its paragraph ("behandlade rapporten vid
# sitt sammanträde den 12 mars 2024 och beslutade …"), in the past tense: a meeting
# still to come decides nothing yet.
AT_MEETING = re.compile(rf"\bsammanträde(?:t|n)?\s+(?:den\s+)?({DATE_TEXT})", re.I)
DECIDED = re.compile(
    r"\b(?:beslutade|beslöt|beslutades|behandlade|behandlades|fastställde|fastställdes"
    r"|godkände|godkändes|antog|antogs)\b",
    re.I,
)
# A company's board: "styrelsen för Tallbo Energi AB", "Styrelsen i Östby Hamn AB".
COMPANY_BOARD = re.compile(
    r"\b([Ss]tyrelsen\s+(?:för|i)\s+(?:[A-ZÅÄÖ][\w&-]*\s+){1,4}?(?:AB|Aktiebolag)"
    r"(?:\s*\(publ\))?)(?![\w(])"
)
# A protokoll(sutdrag) is headed by its meeting's date.
SITTING = re.compile(rf"\bsammanträdesdatum\s*:?\s*({DATE_TEXT})", re.I)
ADOPT_WORDS = re.compile(r"\b(?:antag(?:et|en|na|it)|antog|anta|antar)\b", re.I)
DECIDE_WORDS = re.compile(r"\b(?:beslut|behandla|fastställ|godkän|sammanträd)\w*", re.I)
# What the decision is on: this response, the report it answers, the matter.
ABOUT_WORDS = re.compile(
    r"\b(?:yttrande[tn]?|svar(?:et)?|ärendet|handlingsplan(?:en)?|revisionsrapport(?:en)?"
    r"|granskningsrapport(?:en)?|granskningen|rapporten)\b",
    re.I,
)
SENTENCE_END = re.compile(r"[.!?][”\"')»]?(?:\s|$)")

DATED = re.compile(rf"^(?:datum|date)\s*:?\s*({DATE_TEXT})\s*$", re.I)
# "Solberga den 20 juni 2024", "Luleå, 2021-05-18": where and when the letter was signed.
PLACE_DATE = re.compile(
    rf"^([A-ZÅÄÖ][\wåäö-]+(?:\s+[A-ZÅÄÖ][\wåäö-]+)?)\s*,?\s+(?:den\s+)?({DATE_TEXT})\s*$"
)
NOT_PLACES = {"från", "till", "senast", "klart", "klar", "före", "efter", "under", "per", "den"}
# Dates the response gives to another document, in the same clause before the date:
# the report's ("daterad …", "överlämnades till nämnden den …"), the deadline ("senast").
OTHER_DATE = re.compile(r"\b(?:daterad\w*|senast|överlämna\w*)\b[^.;,]{0,30}$", re.I)
# "För socialnämnden" above the signature; capitalised, since a line that a PDF's
# wrapping left as "för socialnämnden" is the middle of a sentence.
SIGNED_FOR = re.compile(rf"^För\s+{BODY_NAME.pattern}\s*$")


@dataclass(frozen=True)
class Decision:
    """The body's decision on the response, as the document records it."""

    body: str | None
    date: str
    span: tuple[int, int]  # the record in the flat text
    sentence_start: int  # where the sentence holding it starts


def recorded_decisions(flat: Flat) -> list[Decision]:
    """Every record of the body's decision on this response, in the document's order:
    a protokoll's meeting date, "Antaget av <body> <date>", and a sentence with a date
    and a paragraph ("§ 52") that adopts or decides on the response. A decision the
    text only cites (another matter, an earlier year) is not about the response."""
    text = flat.text
    found: list[Decision] = []
    for m in SITTING.finditer(text):
        if day := parse_date(m[1]):
            line_start = text.rfind("\n", 0, m.start()) + 1
            name = _last_body(text, line_start, m.start())
            found.append(_decision(name, day.isoformat(), m, line_start))
    for m in ADOPTED_BY.finditer(text):
        if day := parse_date(m[2]):
            before = _sentence_before(text, m.start())
            body = None if _generic(m[1]) else m[1]
            found.append(_decision(body, day.isoformat(), m, m.start() - len(before)))
    for m in DECISION.finditer(text):
        before = _sentence_before(text, m.start())
        sentence = before + m[0] + _sentence_after(text, m.end())
        if not (
            ADOPT_WORDS.search(sentence)
            or (DECIDE_WORDS.search(sentence) and ABOUT_WORDS.search(sentence))
        ):
            continue
        if day := parse_date(m[1]):
            start = m.start() - len(before)
            found.append(_decision(_last_body(text, start, m.start()), day.isoformat(), m, start))
    for m in AT_MEETING.finditer(text):
        if DECISION.match(text, m.start(1)):
            continue  # "den 3 juni 2025, § 58": read above, with its paragraph
        before = _sentence_before(text, m.start())
        sentence = before + m[0] + _sentence_after(text, m.end())
        if DECIDED.search(sentence) and ABOUT_WORDS.search(sentence) and (day := parse_date(m[1])):
            start = m.start() - len(before)
            found.append(_decision(_last_body(text, start, m.start()), day.isoformat(), m, start))
    return sorted(found, key=lambda decision: decision.span[0])


def decision_on_response(decisions: list[Decision]) -> Decision | None:
    """The decision on the response is the body's last act on it: the latest one
    recorded (an earlier one the text cites is older), the first of equals."""
    if not decisions:
        return None
    latest = max(decision.date for decision in decisions)
    return next(decision for decision in decisions if decision.date == latest)


def _decision(body: str | None, date: str, m: re.Match[str], sentence_start: int) -> Decision:
    return Decision(
        body=_body_name(body) if body else None,
        date=date,
        span=(m.start(), m.end()),
        sentence_start=sentence_start,
    )


def _decision_passage(flat: Flat, decision: Decision) -> Passage:
    """The decision's sentence, from its start to its date and paragraph."""
    return flat.passage(min(decision.sentence_start, decision.span[0]), decision.span[1])


def _last_body(text: str, start: int, end: int) -> str | None:
    """The last body named between `start` and `end` (the subject of "Socialnämnden
    beslutade …"), generic ones aside; a company's board named with its company."""
    names = [(m.start(), m[1]) for m in BODY_NAME.finditer(text, start, end) if not _generic(m[1])]
    names += [(m.start(), m[1]) for m in COMPANY_BOARD.finditer(text, start, end)]
    return max(names)[1] if names else None


def _sentence_before(text: str, at: int) -> str:
    """The sentence's text before `at` (within 250 characters)."""
    window = text[max(0, at - 250) : at]
    ends = list(SENTENCE_END.finditer(window))
    return window[ends[-1].end() :] if ends else window


def _sentence_after(text: str, at: int) -> str:
    window = text[at : at + 250]
    end = SENTENCE_END.search(window)
    return window[: end.start() + 1] if end else window


def _generic(name: str) -> bool:
    return squash(name).casefold() in GENERIC_BODIES


def _body_name(name: str) -> str:
    """A body's name as a name: whitespace collapsed, a capital first letter."""
    name = squash(name)
    return name[:1].upper() + name[1:]


def responding_body(
    flat: Flat, lines: list[str], title_at: int, decision: Decision | None
) -> tuple[str, Passage] | None:
    """The responding body: the one that decided on the response, else the one the
    text has answering, the one it is signed for, or the committee in the letterhead."""
    if decision and decision.body:
        return decision.body, _decision_passage(flat, decision)
    for pattern in BODY_PATTERNS:
        for m in pattern.finditer(flat.text):
            body = squash(m[1])
            if pattern is BODY_PATTERNS[2]:
                body += "en"  # "Regionstyrelsens yttrande" names Regionstyrelsen
            if _generic(body):
                continue  # "Nämnden lämnar …" does not say which
            return body, flat.passage(m.start(1), m.end(1))
    # "För hälso- och sjukvårdsnämnden" above the signature.
    for i, text in enumerate(lines):
        if (m := SIGNED_FOR.match(text)) and not _generic(m[1]):
            return _body_name(m[1]), flat.passage_of_lines(i, i + 1)
    # A company's board, wherever named ("Ordförande i styrelsen för Tallbo Energi AB").
    if m := COMPANY_BOARD.search(flat.text):
        return _body_name(m[1]), flat.passage(m.start(1), m.end(1))
    # A line of the letterhead that is a committee's name, above the title.
    for i, text in enumerate(lines[:title_at]):
        if (m := BODY_NAME.fullmatch(text.strip())) and not _generic(m[1]):
            return _body_name(m[1]), flat.passage_of_lines(i, i + 1)
    return None


def response_date(
    flat: Flat, lines: list[str], decision: Decision | None
) -> tuple[str, Passage] | None:
    """The response's date: the decision's, else the one it is dated with ("Datum:",
    "Solberga den 20 juni 2024"), else the first date it does not give to another
    document."""
    if decision:
        return decision.date, _decision_passage(flat, decision)
    for pattern in (DATED, PLACE_DATE):
        for i, text in enumerate(lines):
            m = pattern.match(text)
            if not m or (pattern is PLACE_DATE and m[1].casefold() in NOT_PLACES):
                continue
            if day := parse_date(m[m.lastindex or 1]):
                return day.isoformat(), flat.passage_of_lines(i, i + 1)
    for i, text in enumerate(lines):
        for at, day in _dates_in(text):
            if not OTHER_DATE.search(text[:at]):
                return day.isoformat(), flat.passage_of_lines(i, i + 1)
    return None


def _dates_in(text: str) -> list[tuple[int, Any]]:
    """The full dates of a line with their positions, in order."""
    found = []
    for m in ISO_DATE.finditer(text):
        if day := parse_date(m[0]):
            found.append((m.start(), day))
    for m in DAY_MONTH.finditer(text):
        if m[3] and (day := parse_date(m[0])):
            found.append((m.start(), day))
    return sorted(found, key=lambda pair: pair[0])


def closing_lines(flat: Flat, lines: list[str], decision: Decision | None) -> list[int]:
    """Lines where the closing of a response starts: the sentence recording the body's
    decision on it when that opens a line, "<Ort> den <datum>", "För <nämnden>"."""
    found = []
    if decision:
        at = decision.sentence_start
        if at == 0 or flat.text[at - 1] == "\n":
            found.append(flat.line_at(at))
    counts = Counter(lines)
    for i, text in enumerate(lines):
        place_date = PLACE_DATE.match(text)
        # A line that recurs ("Region Norrskog 2024-03-14") is a running header.
        if counts[text] == 1 and (
            SIGNED_FOR.match(text) or (place_date and place_date[1].casefold() not in NOT_PLACES)
        ):
            found.append(i)
    return sorted(found)
