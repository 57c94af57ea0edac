"""Propose a body's response: answers per recommendation, or one narrative.

A response that answers recommendation by recommendation quotes each one and follows
it with a label: with its number ("1. Besluta om ... Svar: ..."), under a heading
("Rekommendation 2", "Revisorernas rekommendation 2" / "Nämndens svar"), or as a bullet
("• ”Upprätta en plan …” / Förvaltningens kommentar: ..."); a handlingsplan does it in
a table, one row per recommendation ("Rekommendation / Åtgärd / Ansvarig / Tidplan").
Anything else is kept as one narrative, so nothing the body wrote is dropped.

An answer that answers several recommendations at once (two bullets, then one label)
is one answer whose "recommendation" holds the quotations one per line;
`match_answers` then gives that same answer to each recommendation they quote.

The body and the date are read by `response_decision`, a handlingsplan's table by
`response_table` (extracted cell by cell) or `response_rows` (row by row), an e-mail's
header and quoted message by `response_mail`; `match_answers` (in `response_match`) is
re-exported here.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from typing import Any

from .lines import Flat, Passage, ends_sentence, join, marker, squash, starts_lower
from .response_decision import (
    closing_lines,
    decision_on_response,
    recorded_decisions,
    responding_body,
    response_date,
)
from .response_mail import FIELD, quoted_message, subject, subject_line
from .response_match import match_answers, similarity
from .response_rows import row_table_answers
from .response_table import column_kind, table_answers
from .text import Source
from .words import parse_date

# The reader's names as the rest of the code imports them (`audits.importing`, the
# measurements), matching included.
__all__ = ["match_answers", "paragraphs", "propose_response", "similarity"]

LABEL = re.compile(
    r"^(?:(?:nämndens|styrelsens|förvaltningens|regionstyrelsens|kommunstyrelsens)\s+)?"
    r"(?:svar|kommentar|kommentarer|yttrande|åtgärd|åtgärder|planerade\s+åtgärder"
    r"|vidtagna\s+åtgärder)\s*(?::\s*(.*)|$)",
    re.I,
)
# "Rekommendation 2", also as the auditors' ("Revisorernas rekommendation 2"), that
# capitalised: "revisorernas rekommendation 2 och 4 …" is a line of prose.
HEADING = re.compile(
    r"^(?:(?-i:R)(?:evisorernas|evisionens|evisorns)\s+)?"
    r"rekommendation\s+(\d{1,2})\s*[:.–-]?\s*(.*)$",
    re.I,
)
TITLE = re.compile(r"^(yttrande|svar|remissvar|besvarande|tjänsteskrivelse)\b", re.I)

# Lines of a heading block that are not the text: "Dnr KS 2025/0087", "§ 45",
# "Datum: 2025-03-14", "Till: Revisorerna".
META = re.compile(
    r"^(?:(?:dnr|diarienr|diarienummer)\b|§\s*\d+"
    r"|(?:datum|till|från|handläggare|ärende|referens|vår\s+referens)\s*:)",
    re.I,
)
# The addressee, the auditors: "Till kommunens revisorer", "Till lekmannarevisorerna i …".
ADDRESSEE = re.compile(r"^till\s.*revis", re.I)


def propose_response(source: Source) -> dict[str, Any]:
    flat = Flat(source.lines)
    lines = [line.text for line in flat.lines]
    sources: dict[str, Passage] = {}
    title_at, title_stop = _title(lines)
    title = subject(join(lines[title_at:title_stop])) if lines else ""
    if title:
        sources["title"] = flat.passage_of_lines(title_at, title_stop)
    decision = decision_on_response(recorded_decisions(flat))
    body = None
    if found := responding_body(flat, lines, title_at, decision):
        body, sources["body"] = found
    date = None
    if found_date := response_date(flat, lines, decision):
        date, sources["date"] = found_date
    start = _narrative_start(lines, title_stop)
    # An e-mail's quoted earlier message ends the response, as its closing does.
    quoted = quoted_message(lines, start)
    closing = sorted({*closing_lines(flat, lines, decision), *([quoted] if quoted else [])})
    answers = (
        _labelled(flat, closing)
        or _headed(flat, closing)
        or table_answers(flat)
        or row_table_answers(flat, closing)
    )
    narrative = None
    if not answers:
        stop = quoted or len(lines)
        narrative = "\n\n".join(paragraphs(lines[start:stop]))
        sources["narrative"] = flat.passage_of_lines(start, stop)
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
        # An e-mail is titled by its subject.
        at = subject_line(lines)
        return (at, at + 1) if at is not None else (0, min(1, len(lines)))
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
        if META.match(text) or FIELD.match(text) or (len(text.split()) <= 5 and parse_date(text)):
            i += 1
            continue
        # A short line (or the addressee's) that ends no sentence and is not continued
        # by the next line is a heading: the prose starts below it.
        if (
            (len(text) < 0.6 * width or ADDRESSEE.match(text))
            and not ends_sentence(text)
            and not (following and starts_lower(following))
        ):
            i += 1
            continue
        break
    return i if i < len(lines) else at


# Answers ----------------------------------------------------------------------------


def _end_before_closing(label: int, stop: int, closing: list[int]) -> int:
    """The last answer ends where the closing (decision, place and date, signature)
    starts, if it comes after the answer's label."""
    return next((i for i in closing if label < i < stop), stop)


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
    if not column_kind(lines[i]):
        return False
    return (i > 0 and bool(column_kind(lines[i - 1]))) or (
        i + 1 < len(lines) and bool(column_kind(lines[i + 1]))
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
