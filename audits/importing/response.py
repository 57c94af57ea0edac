"""Propose a body's response: answers per recommendation, or one narrative.

A response that answers recommendation by recommendation quotes each one with its
number and follows it with a label ("1. Besluta om ... Svar: ..."); some use a
heading per recommendation ("Rekommendation 2") instead. Anything else is kept as
one narrative, so nothing the body wrote is dropped.
"""

from __future__ import annotations

import difflib
import re
import statistics
from collections.abc import Sequence
from typing import Any

from .lines import Flat, Passage, ends_sentence, join, marker, squash
from .text import Source
from .words import parse_date

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
        r"(?:lämnar|har\s+tagit|ger|avger|besvarar|överlämnar|yttrar|instämmer|beslutar)"
    ),
    re.compile(r"till\s+([A-ZÅÄÖ][\wåäö-]*?(?:nämnden|styrelsen))\s+för\s+(?:yttrande|svar)"),
    re.compile(r"(?:^|\n)([A-ZÅÄÖ][\wåäö-]*?(?:nämnd|styrels))ens\s+(?:yttrande|svar)", re.I),
]


def propose_response(source: Source) -> dict[str, Any]:
    flat = Flat(source.lines)
    lines = [line.text for line in flat.lines]
    sources: dict[str, Passage] = {}
    title_at = next((i for i, text in enumerate(lines[:10]) if TITLE.match(text)), 0)
    title = lines[title_at] if lines else ""
    if title:
        sources["title"] = flat.passage_of_lines(title_at, title_at + 1)
    body = None
    for pattern in BODY_PATTERNS:
        if m := pattern.search(flat.text):
            body = squash(m[1])
            if pattern is BODY_PATTERNS[2]:
                body += "en"  # "Regionstyrelsens yttrande" names Regionstyrelsen
            sources["body"] = flat.passage(m.start(1), m.end(1))
            break
    date = None
    for i, text in enumerate(lines):
        if day := parse_date(text):
            date = day.isoformat()
            sources["date"] = flat.passage_of_lines(i, i + 1)
            break
    answers = _labelled(flat) or _headed(flat)
    narrative = None
    if not answers:
        narrative = "\n\n".join(paragraphs(lines[title_at + 1 :]))
        sources["narrative"] = flat.passage_of_lines(title_at + 1, len(lines))
    return {
        "title": title.rstrip(".") or None,
        "body": body,
        "date": date,
        "answers": answers,
        "narrative": narrative or None,
        "sources": sources,
    }


def _labelled(flat: Flat) -> list[dict[str, Any]]:
    """ "1. <recommendation>" then "Svar:" and the answer, up to the next numbered one."""
    lines = [line.text for line in flat.lines]
    labels = [i for i, text in enumerate(lines) if LABEL.match(text)]
    if not labels:
        return []
    starts: list[tuple[int, int, str | None]] = []  # (item line, label line, number)
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
        if item is None:
            continue
        starts.append((item[0], label, item[1]))
        floor = label + 1
    answers = []
    for n, (item, label, number) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        quoted = lines[item:label]
        first = marker(quoted[0])
        if first:
            quoted[0] = first[2]
        elif m := HEADING.match(quoted[0]):
            quoted[0] = m[2]
        rest = LABEL.match(lines[label])
        answer_lines = ([rest[1]] if rest and rest[1] else []) + lines[label + 1 : end]
        answers.append(
            {
                "number": number,
                "recommendation": join(quoted) or None,
                "text": "\n\n".join(paragraphs(answer_lines)),
                "source": flat.passage_of_lines(item, end),
            }
        )
    return answers


def _headed(flat: Flat) -> list[dict[str, Any]]:
    """ "Rekommendation 1" headings, each followed by the answer."""
    lines = [line.text for line in flat.lines]
    heads = [(i, m) for i, text in enumerate(lines) if (m := HEADING.match(text))]
    if len(heads) < 1:
        return []
    answers = []
    for n, (i, m) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
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


def match_answers(
    response: dict[str, Any], recommendations: Sequence[tuple[int, str]]
) -> dict[int, dict[str, Any]]:
    """Recommendation number -> the answer that answers it.

    An answer's number decides when its quoted text agrees with the recommendation
    (or quotes nothing); otherwise the wording decides, among the ones still free.
    """
    matched: dict[int, dict[str, Any]] = {}
    texts = dict(recommendations)
    left = []
    for answer in response.get("answers", []):
        number = _int(answer.get("number"))
        quoted = answer.get("recommendation") or ""
        if (
            number in texts
            and number not in matched
            and (not quoted or similarity(quoted, texts[number]) >= 0.35)
        ):
            matched[number] = answer
        else:
            left.append(answer)
    for answer in left:
        quoted = answer.get("recommendation") or ""
        if not quoted:
            continue
        free = [(similarity(quoted, text), number) for number, text in recommendations]
        free = [(score, number) for score, number in free if number not in matched]
        if free:
            score, number = max(free)
            if score >= 0.5:
                matched[number] = answer
    return dict(sorted(matched.items()))


def _int(value: object) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None
