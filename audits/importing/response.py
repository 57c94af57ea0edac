"""Propose a body's response: answers per recommendation, or one narrative.

A response that answers recommendation by recommendation quotes each one and follows
it with a label: with its number ("1. Besluta om ... Svar: ..."), under a heading
("Rekommendation 2"), or as a bullet ("• ”Upprätta en plan …” / Förvaltningens
kommentar: ..."); a handlingsplan does it in a table, one row per recommendation
("Rekommendation / Åtgärd / Ansvarig / Tidplan"). Anything else is kept as one
narrative, so nothing the body wrote is dropped.

An answer that answers several recommendations at once (two bullets, then one label)
is one answer whose "recommendation" holds the quotations one per line;
`match_answers` then gives that same answer to each recommendation they quote.

The body and the date are, first, those of the body's decision when the document
records it ("beslutade den 3 oktober 2024, § 77", "Antaget av tekniska nämnden 2024-09-18",
a protokoll's "Sammanträdesdatum"): a response drafted by an administration is the
body's once adopted, and it is dated by the adoption. Otherwise the body is the one the
text or the signature names, and the date the one the document is dated with, never one
it gives to another document ("daterad", "senast").
"""

from __future__ import annotations

import difflib
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .lines import Flat, Passage, ends_sentence, join, marker, squash, starts_lower
from .text import Source
from .words import DAY_MONTH, ISO_DATE, MONTHS, parse_date

LABEL = re.compile(
    r"^(?:(?:nämndens|styrelsens|förvaltningens|regionstyrelsens|kommunstyrelsens)\s+)?"
    r"(?:svar|kommentar|kommentarer|yttrande|åtgärd|åtgärder|planerade\s+åtgärder"
    r"|vidtagna\s+åtgärder)\s*(?::\s*(.*)|$)",
    re.I,
)
HEADING = re.compile(r"^rekommendation\s+(\d{1,2})\s*[:.–-]?\s*(.*)$", re.I)
TITLE = re.compile(r"^(yttrande|svar|remissvar|besvarande|tjänsteskrivelse)\b", re.I)
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

# Lines of a heading block that are not the text: "Dnr KS 2025/0087", "§ 45",
# "Datum: 2025-03-14", "Till: Revisorerna".
META = re.compile(
    r"^(?:(?:dnr|diarienr|diarienummer)\b|§\s*\d+"
    r"|(?:datum|till|från|handläggare|ärende|referens|vår\s+referens)\s*:)",
    re.I,
)


def propose_response(source: Source) -> dict[str, Any]:
    flat = Flat(source.lines)
    lines = [line.text for line in flat.lines]
    sources: dict[str, Passage] = {}
    title_at, title_stop = _title(lines)
    title = join(lines[title_at:title_stop]) if lines else ""
    if title:
        sources["title"] = flat.passage_of_lines(title_at, title_stop)
    decision = _decision_on_response(_decisions(flat))
    body = None
    if found := _body(flat, lines, title_at, decision):
        body, sources["body"] = found
    date = None
    if found_date := _date(flat, lines, decision):
        date, sources["date"] = found_date
    closing = _closing_lines(flat, lines, decision)
    answers = _labelled(flat, closing) or _headed(flat, closing) or _table(flat)
    narrative = None
    if not answers:
        start = _narrative_start(lines, title_stop)
        narrative = "\n\n".join(paragraphs(lines[start:]))
        sources["narrative"] = flat.passage_of_lines(start, len(lines))
    return {
        "title": title.rstrip(".") or None,
        "body": body,
        "date": date,
        "answers": answers,
        "narrative": narrative or None,
        "sources": sources,
    }


# The heading block ------------------------------------------------------------------


def _title(lines: list[str]) -> tuple[int, int]:
    """The title's first line and the line after it (the first line when none is
    recognised)."""
    found = [i for i, text in enumerate(lines[:10]) if TITLE.match(text)]
    if not found:
        return 0, min(1, len(lines))
    at = found[0]
    if len(lines[at].split()) == 1:
        # "YTTRANDE" alone is the letterhead's kind of document; the title is the
        # worded one below it ("Yttrande över revisionsrapport …"), when there is one.
        at = next((i for i in found if len(lines[i].split()) > 1), at)
    stop = at + 1
    # A title wrapped over lines: the rest of it starts in lower case ("studieförbund",
    # "uppföljning av avtal”").
    while (
        stop < len(lines)
        and stop - at < 3
        and not ends_sentence(lines[stop - 1])
        and lines[stop].lstrip("”“\"'»«(")[:1].islower()
    ):
        stop += 1
    return at, stop


def _narrative_start(lines: list[str], at: int) -> int:
    """The first line of prose from `at` on: past the rest of the heading block (a dnr,
    "§ 45", a date) and past heading lines of its own ("Kommunstyrelsens beslut")."""
    if not lines:
        return at
    # The width of a line of prose: most lines in a short letter, or one with a table
    # cell by cell, are shorter than that, so not the median.
    lengths = sorted(len(text) for text in lines)
    width = lengths[int(0.9 * (len(lengths) - 1))]
    i = at
    while i < len(lines):
        text = lines[i]
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if META.match(text) or (len(text.split()) <= 5 and parse_date(text)):
            i += 1
            continue
        # A short line that ends no sentence and is not continued by the next line is
        # a heading: the prose starts below it.
        if (
            len(text) < 0.6 * width
            and not ends_sentence(text)
            and not (following and starts_lower(following))
        ):
            i += 1
            continue
        break
    return i if i < len(lines) else at


@dataclass(frozen=True)
class Decision:
    """The body's decision on the response, as the document records it."""

    body: str | None
    date: str
    span: tuple[int, int]  # the record in the flat text
    sentence_start: int  # where the sentence holding it starts


def _decisions(flat: Flat) -> list[Decision]:
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
    return sorted(found, key=lambda decision: decision.span[0])


def _decision_on_response(decisions: list[Decision]) -> Decision | None:
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
    beslutade …"), generic ones aside."""
    names = [m[1] for m in BODY_NAME.finditer(text, start, end) if not _generic(m[1])]
    return names[-1] if names else None


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


def _body(
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
    # A line of the letterhead that is a committee's name, above the title.
    for i, text in enumerate(lines[:title_at]):
        if (m := BODY_NAME.fullmatch(text.strip())) and not _generic(m[1]):
            return _body_name(m[1]), flat.passage_of_lines(i, i + 1)
    return None


def _date(flat: Flat, lines: list[str], decision: Decision | None) -> tuple[str, Passage] | None:
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


def _closing_lines(flat: Flat, lines: list[str], decision: Decision | None) -> list[int]:
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


def _end_before_closing(label: int, stop: int, closing: list[int]) -> int:
    """The last answer ends where the closing (decision, place and date, signature)
    starts, if it comes after the answer's label."""
    return next((i for i in closing if label < i < stop), stop)


# Answers ----------------------------------------------------------------------------


def _label_name(text: str) -> str:
    return squash(text.split(":", 1)[0]).casefold()


def _labelled(flat: Flat, closing: Sequence[int] = ()) -> list[dict[str, Any]]:
    """ "1. <recommendation>" then "Svar:" and the answer, up to the next numbered one;
    or bullets quoting recommendations, then the label that opens each answer."""
    lines = [line.text for line in flat.lines]
    labels = [i for i, text in enumerate(lines) if LABEL.match(text) and not _in_header(lines, i)]
    if not labels:
        return []
    # The label the answers open with ("Förvaltningens kommentar:"); the others that
    # follow it ("Åtgärd:") continue the same answer.
    opening = _label_name(lines[labels[0]])
    # (item line, label line, number, the quotations of bullet items)
    starts: list[tuple[int, int, str | None, list[str] | None]] = []
    floor = 0
    for label in labels:
        item = None
        for i in range(label - 1, max(floor, label - 12) - 1, -1):
            found = marker(lines[i])
            if found and found[0] == "number" and "." not in found[1].rstrip("."):
                item = (i, found[1].rstrip("."))
                break
            if m := HEADING.match(lines[i]):
                item = (i, m[1])
                break
        if item is not None:
            starts.append((item[0], label, item[1], None))
            floor = label + 1
        elif _label_name(lines[label]) == opening and (run := _bullet_run(lines, label, floor)):
            starts.append((run[0], label, None, run[1]))
            floor = label + 1
    answers = []
    for n, (item, label, number, quotes) in enumerate(starts):
        if n + 1 < len(starts):
            end = starts[n + 1][0]
        else:
            end = _end_before_closing(label, len(lines), list(closing))
        if quotes is None:
            quoted = lines[item:label]
            first = marker(quoted[0])
            if first:
                quoted[0] = first[2]
            elif m := HEADING.match(quoted[0]):
                quoted[0] = m[2]
            recommendation = join(quoted) or None
        else:
            recommendation = "\n".join(quotes) or None
        rest = LABEL.match(lines[label])
        answer_lines = ([rest[1]] if rest and rest[1] else []) + lines[label + 1 : end]
        answers.append(
            {
                "number": number,
                "recommendation": recommendation,
                "text": "\n\n".join(paragraphs(answer_lines)),
                "source": flat.passage_of_lines(item, end),
            }
        )
    return answers


def _in_header(lines: list[str], i: int) -> bool:
    """Whether line `i` ("Åtgärd") is a column name among others, a table's header
    row, rather than a label."""
    if not _column(lines[i]):
        return False
    return (i > 0 and bool(_column(lines[i - 1]))) or (
        i + 1 < len(lines) and bool(_column(lines[i + 1]))
    )


def _bullet_run(lines: list[str], label: int, floor: int) -> tuple[int, list[str]] | None:
    """The bullet items right above a label (its first line, their texts unquoted): the
    recommendations the answer under the label answers, one or several. Each item's
    lines run until the one that ends its sentence; a line that belongs to no item
    between them and the label means they are not the answer's."""
    quotes: list[str] = []
    start = None
    held: list[str] = []  # lines below a bullet line, until one is found above them
    for i in range(label - 1, max(floor, label - 20) - 1, -1):
        found = marker(lines[i])
        if found and found[0] == "bullet":
            item = [found[2], *held]
            if any(ends_sentence(text) for text in item[:-1]):
                break
            quotes.insert(0, join(item).strip(" ”“\"'»«"))
            start, held = i, []
            continue
        if LABEL.match(lines[i]) or len(held) >= 4:
            break
        held.insert(0, lines[i])
    return (start, quotes) if start is not None else None


def _headed(flat: Flat, closing: Sequence[int] = ()) -> list[dict[str, Any]]:
    """ "Rekommendation 1" headings, each followed by the answer."""
    lines = [line.text for line in flat.lines]
    heads = [(i, m) for i, text in enumerate(lines) if (m := HEADING.match(text))]
    if len(heads) < 1:
        return []
    answers = []
    for n, (i, m) in enumerate(heads):
        if n + 1 < len(heads):
            end = heads[n + 1][0]
        else:
            end = _end_before_closing(i, len(lines), list(closing))
        quoted = m[2] or None
        answers.append(
            {
                "number": m[1],
                "recommendation": quoted,
                "text": "\n\n".join(paragraphs(lines[i + 1 : end])),
                "source": flat.passage_of_lines(i, end),
            }
        )
    return answers


# A handlingsplan's table ------------------------------------------------------------

# Column names of a table of measures, each a line of its own when the table is
# extracted cell by cell; the kind says what the column holds.
COLUMNS: list[tuple[str, re.Pattern[str]]] = [
    ("recommendation", re.compile(r"(?:revisorernas\s+|revisionens\s+)?rekommendation(?:er)?")),
    (
        "answer",
        re.compile(
            r"(?:(?:planerad|planerade|vidtagna|föreslagna|beslutad|beslutade)\s+)?"
            r"åtgärd(?:er)?"
            r"|(?:(?:nämndens|styrelsens|förvaltningens)\s+)?"
            r"(?:svar|kommentar|kommentarer|ställningstagande)"
        ),
    ),
    (
        "time",
        re.compile(r"tidplan|tidsplan|klart|klart\s+senast|klar\s+senast|tidpunkt|när|datum"),
    ),
    ("other", re.compile(r"ansvarig|ansvariga|ansvar|status|uppföljning|nr|kostnad|resurser")),
]
# A line ending with one of these words goes on in the next line, whatever its case.
CONTINUING = {
    *("och", "eller", "samt", "i", "av", "för", "med", "till", "om", "på", "att", "som"),
    *("de", "den", "det", "en", "ett", "inom", "från", "hos", "vid", "under", "efter"),
    *("enligt", "mellan", "utan", "genom", "mot", "per"),
}
TIME_WORDS = {*MONTHS, "kvartal", "tertial", "vecka", "löpande", "senast", "hösten", "våren"}


def _column(text: str) -> str | None:
    words = squash(text).strip(" :").casefold()
    return next((kind for kind, pattern in COLUMNS if pattern.fullmatch(words)), None)


def _table(flat: Flat) -> list[dict[str, Any]]:
    """The rows of tables whose header names a column of measures ("Åtgärd"), read
    cell by cell as text extraction leaves them: each row answers the recommendation
    in its first cell."""
    lines = [line.text for line in flat.lines]
    answers: list[dict[str, Any]] = []
    i = 0
    while i < len(lines):
        header = _header(lines, i)
        if not header:
            i += 1
            continue
        names, stop = header
        rows, i = _rows(lines, names, stop)
        answers.extend(_row_answer(flat, lines, names, row) for row in rows)
    return [answer for answer in answers if answer]


def _header(lines: list[str], at: int) -> tuple[list[str], int] | None:
    """A table's column names from line `at` (two or more lines that are all column
    names, one for the measures among them), and the line after them."""
    names = []
    stop = at
    while stop < len(lines) and _column(lines[stop]):
        names.append(squash(lines[stop]).strip(" :"))
        stop += 1
    kinds = [_column(name) for name in names]
    if len(names) < 2 or "answer" not in kinds:
        return None
    if "recommendation" not in kinds:
        if kinds[0] != "answer":
            return None
        # The measures come first, so the recommendation column's name is missing: a
        # name that opens several pages is dropped with the running headers. The
        # recommendation is still the first cell of each row.
        names.insert(0, "Rekommendation")
    return names, stop


def _rows(lines: list[str], names: list[str], at: int) -> tuple[list[list[tuple[int, int]]], int]:
    """The table's rows from line `at`, each a list of cells (first line, stop line),
    and the line after the table. A cell starts at a line in upper case that does not
    continue the line before it (nor does a date continue a name: "Upphandlingschef"
    then "31 mars 2025"); the table ends at a line wider than its cells. Cells that do not
    fill whole rows are no table at all."""
    kinds = [_column(name) for name in names]
    repeated = {name.casefold() for name in names}
    longest = max(len(name) for name in names)
    cells: list[tuple[int, int]] = []
    start: int | None = None
    previous = ""
    i = at
    while i < len(lines):
        text = lines[i]
        if squash(text).strip(" :").casefold() in repeated:
            # The header again, on the next page: the cell in progress ends.
            if start is not None:
                cells.append((start, i))
                start = None
            previous = ""
            i += 1
            continue
        if len(text) > max(40, 1.5 * longest):
            break
        kind = kinds[(len(cells) + (start is not None)) % len(kinds)]
        if start is None or _opens_cell(previous, text, kind):
            if start is not None:
                cells.append((start, i))
            start = i
        longest = max(longest, len(text))
        previous = text
        i += 1
    if start is not None:
        cells.append((start, i))
    if not cells or len(cells) % len(names):
        return [], max(i, at + 1)
    rows = [cells[n : n + len(names)] for n in range(0, len(cells), len(names))]
    return rows, i


def _opens_cell(previous: str, text: str, kind: str | None) -> bool:
    """Whether `text` starts the next cell, of a column of `kind`, after `previous`."""
    words = previous.rstrip().split()
    if previous.rstrip().endswith((",", "-", "–")) or (words and words[-1] in CONTINUING):
        return False
    stripped = text.lstrip(" ”“\"'»«•-–")
    if stripped[:1].isupper():
        return True
    if kind == "recommendation":
        # A numbered recommendation: "2. Utbilda beställarna" (not "10.15 varje dag").
        found = marker(stripped)
        return bool(found and found[0] == "number" and "." not in found[1].rstrip("."))
    first = stripped.split(" ", 1)[0].casefold().strip(",.")
    return kind == "time" and (stripped[:1].isdigit() or first in TIME_WORDS)


def _row_answer(
    flat: Flat, lines: list[str], names: list[str], row: list[tuple[int, int]]
) -> dict[str, Any] | None:
    """A row as an answer: its measures (and comments) as the text, then its other
    cells as "Ansvarig: …" lines; the recommendation cell as the quotation."""
    kinds = [_column(name) for name in names]
    cells = [join(lines[first:stop]) for first, stop in row]
    recommendation = cells[kinds.index("recommendation")]
    number = None
    if (found := marker(recommendation)) and found[0] == "number":
        number, recommendation = found[1].rstrip("."), found[2]
    measures = [cell for cell, kind in zip(cells, kinds, strict=True) if kind == "answer" and cell]
    if not recommendation or not measures:
        return None
    others = [
        f"{name}: {cell}"
        for name, cell, kind in zip(names, cells, kinds, strict=True)
        if kind in ("time", "other") and cell
    ]
    text = "\n\n".join(measures) + ("\n\n" + "\n".join(others) if others else "")
    return {
        "number": number,
        "recommendation": recommendation,
        "text": text,
        "source": flat.passage_of_lines(row[0][0], row[-1][1]),
    }


def paragraphs(lines: list[str]) -> list[str]:
    """Broken lines as paragraphs: a sentence ending on a short line ends a paragraph."""
    if not lines:
        return []
    width = statistics.median(len(text) for text in lines) if lines else 0
    out: list[list[str]] = [[]]
    for text in lines:
        opens = not out[-1] or ends_sentence(out[-1][-1])
        if opens and len(text) < 0.6 * width and not ends_sentence(text) and text[:1].isupper():
            # A short line on its own between paragraphs is a heading ("Revisorernas
            # bedömning"): a paragraph of its own.
            if out[-1]:
                out.append([])
            out[-1].append(text)
            out.append([])
            continue
        out[-1].append(text)
        if ends_sentence(text) and len(text) < 0.8 * width:
            out.append([])
    return [join(part) for part in out if part]


# Matching ---------------------------------------------------------------------------


def similarity(a: str, b: str) -> float:
    """How alike two wordings of a recommendation are (0..1): the better of the shared
    words and the character sequence, since responses shorten and paraphrase."""
    words_a, words_b = _words(a), _words(b)
    if not words_a or not words_b:
        return 0.0
    shared = len(words_a & words_b) / min(len(words_a), len(words_b))
    sequence = difflib.SequenceMatcher(None, squash(a).casefold(), squash(b).casefold()).ratio()
    return max(shared, sequence)


def _words(text: str) -> set[str]:
    # Stems of the longer words: "uppföljning"/"uppföljningen" share their first six.
    return {w[:6] for w in re.findall(r"[\wåäö]+", text.casefold()) if len(w) >= 4}


def _quotations(answer: dict[str, Any]) -> list[str]:
    """The recommendations an answer quotes: one per line (several when it answers
    them together)."""
    quoted = answer.get("recommendation") or ""
    return [line.strip() for line in str(quoted).split("\n") if line.strip()]


def match_answers(
    response: dict[str, Any], recommendations: Sequence[tuple[int, str]]
) -> dict[int, dict[str, Any]]:
    """Recommendation number -> the answer that answers it.

    An answer's number decides when its quoted text agrees with the recommendation
    (or quotes nothing); otherwise the wording decides, among the ones still free, the
    most alike pair first. An answer quoting several recommendations answers each of
    them: the same answer is then given for several numbers.
    """
    matched: dict[int, dict[str, Any]] = {}
    texts = dict(recommendations)
    answers = list(response.get("answers") or [])
    left: list[tuple[int, str]] = []  # (answer's index, a quotation of it)
    for n, answer in enumerate(answers):
        number = _int(answer.get("number"))
        quotes = _quotations(answer)
        if (
            number in texts
            and number not in matched
            and len(quotes) <= 1
            and (not quotes or similarity(quotes[0], texts[number]) >= 0.35)
        ):
            matched[number] = answer
        else:
            left.extend((n, quote) for quote in quotes)
    pairs = [
        (similarity(quote, text), n, q, number)
        for q, (n, quote) in enumerate(left)
        for number, text in recommendations
        if number not in matched
    ]
    used: set[int] = set()
    for score, n, q, number in sorted(pairs, key=lambda pair: (-pair[0], pair[1], pair[3])):
        if score < 0.5:
            break
        if number in matched or q in used:
            continue
        matched[number] = answers[n]
        used.add(q)
    return dict(sorted(matched.items()))


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None
