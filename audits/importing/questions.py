"""The audit questions of a report, their sub-questions and the rating each was given.

Reports state their questions in one of a few places: a list under "Revisionsfrågor"
(bulleted or numbered, sub-questions indented or numbered 1.1), a label per chapter
("Revisionsfråga 2: ..."), or only in a summary or table where each question is
followed by its answer. The list is taken from the most structured place found; the
rating is then looked up after every place the question's words occur, counting only
phrases that say they rate the question ("Revisionsfrågan bedöms som delvis
uppfylld", "Bedömning: Ja", or a rating word on its own right after the question).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .lines import Flat, Passage, ends_sentence, join, marker, starts_lower
from .words import RATING_WORDS, is_heading, rating_label

# Some firms test control objectives ("kontrollmål") instead of asking questions.
QUESTION_HEADING = re.compile(
    r"(revisions|gransknings|kontroll|del|under)frågor|kontrollmål\b|följande\s+frågor"
    r"|frågeställningar",
    re.I,
)
LABELLED = re.compile(
    r"^(?:revisions|gransknings|del)?fråga\s+(\d{1,2}(?:\.\d{1,2})?)"
    r"(?:\s*[:.–-]\s*|\s+(?=[A-ZÅÄÖ])|\s*$)(.*)$",
    re.I,
)
# "Revisionsfråga 3" on a line of its own, the question on the lines below.
BARE_LABEL = re.compile(r"^(?:revisions|gransknings|del)?fråga\s+\d{1,2}(?:\.\d{1,2})?$", re.I)
# "... att revisionsfrågan inte är uppfylld": the negation before the verb.
NEGATED = re.compile(
    r"(?:revisions|del|gransknings)?frågan\s+((?:inte|ej)\s+(?:är|kan\s+anses\s+vara)\s+"
    r"uppfyll(?:d|t))\b",
    re.I,
)
# A rating that says what it rates, after the question's words.
STRONG = [
    NEGATED,
    re.compile(
        rf"(?:(?:revisions|del|gransknings)?frågan|kontrollmålet)\s+"
        rf"(?:bedöms|besvaras|anses|är|kan\s+besvaras)"
        rf"\s+(?:som\s+|med\s+(?:ett\s+)?|vara\s+)?(?:att\s+den\s+är\s+)?({RATING_WORDS})\b",
        re.I,
    ),
    re.compile(
        rf"(?:^|\n)\s*(?:vår\s+)?bedömning(?:en)?\s*[:–-]?\s*\n?\s*({RATING_WORDS})\b", re.I
    ),
    re.compile(
        rf"(?:^|\n)\s*(?:svar(?:\s+på\s+(?:revisions|del|gransknings)?frågan)?|bedömt|betyg"
        rf"|status)\s*[:–-]\s*({RATING_WORDS})\b",
        re.I,
    ),
    # "Revisionsfrågan kan i allt väsentligt besvaras jakande."
    re.compile(
        rf"(?:revisions|del|gransknings)?frågan\s+kan\s+(?:endast\s+)?({RATING_WORDS})\s+"
        rf"besvaras\s+(?:jakande|med\s+ja)",
        re.I,
    ),
    re.compile(
        rf"vår\s+(?:samlade\s+)?bedömning\s+är\s+att\s+(?:revisions|del)?frågan\s+"
        rf"(?:är|kan\s+besvaras\s+med|besvaras\s+med)\s+(?:ett\s+)?({RATING_WORDS})\b",
        re.I,
    ),
]
SUB_LABEL = re.compile(r"^(?:delfrågor|underfrågor|delfrågorna\s+är)\s*:?$", re.I)
SUB_INTRO = re.compile(r"(?:del|under)frågor\s*:?\s*$", re.I)
MAIN_INTRO = re.compile(r"(?:gransknings|revisions|huvud)fråga\s*:\s*$", re.I)
MAIN_RATED = re.compile(
    rf"(?:svaret\s+på\s+)?(?:gransknings|revisions|huvud)frågan\s+(?:är|besvaras\s+med|bedöms"
    rf"\s+som)\s+({RATING_WORDS})\b",
    re.I,
)
AREA = re.compile(r"^(?:kontroll|gransknings)?område\s+(\d{1,2})\b", re.I)
OVERALL_OBJECTIVE = re.compile(
    r"^övergripande\s+(?:kontrollmål|revisionsfråga|granskningsfråga|fråga)\s*:\s*(\S.*)$", re.I
)
# "Kontrollmål 1.2" or "Revisionsfråga 3" heading the section that assesses it.
SECTION_LABEL = re.compile(
    r"^(?:(?:revisions|gransknings|del)?fråga|kontrollmål)\s+(\d{1,2}(?:\.\d{1,2})?)$", re.I
)
RF_NUMBER = re.compile(r"^RF\s?(\d{1,2})[.:)]?\s+(?=\S)", re.I)
ANSWER_LINE = re.compile(r"^(?:svar|bedömning|vår\s+bedömning|kommentar)\s*[:.–-]", re.I)
# A table cell: the rating alone at the start of the line right after the question.
# Also in brackets after the question: "... hanteras? (Ja)".
CELL = re.compile(
    rf"^[ \t]*[|(]?[ \t]*({RATING_WORDS})[ \t]*\)?[ \t]*(?:[.,:;|–-]|$|[ \t]+[A-ZÅÄÖ])",
    re.I | re.M,
)


@dataclass
class Question:
    number: str
    lines: list[str]
    first: int  # line index in the document
    stop: int
    sub_questions: list[Question] = field(default_factory=list)
    rating: str | None = None
    rating_source: Passage | None = None

    @property
    def text(self) -> str:
        return join(self.lines)


def find_questions(flat: Flat) -> list[Question]:
    questions = _listed(flat) or []
    listed = None
    if questions:
        listed = (questions[0].first, max(q.stop for q in questions))
    labelled = _labelled(flat)
    if (
        len(labelled) > len(questions)
        or (len(labelled) == len(questions) and not any(q.sub_questions for q in questions))
    ) and labelled:
        questions, listed = labelled, None
    areas = _areas(flat)
    if _size(areas) > _size(questions):
        questions, listed = areas, (areas[0].first, max(q.stop for q in areas))
    if not questions:
        questions = _answered_in_place(flat)
    _rate(flat, questions, listed)
    if listed and (main := _main_question(flat, listed[0])):
        questions = [_nest(main, questions)]
    return questions


def _main_question(flat: Flat, list_start: int) -> Question | None:
    """One question the audit answers ("följande granskningsfråga: Säkerställer ...?"),
    broken down into the listed sub-questions ("följande delfrågor:"). It is a question
    of its own only where the report rates it ("Svaret på granskningsfrågan är nej");
    otherwise it is the audit's purpose and the sub-questions are its questions."""
    lines = [line.text for line in flat.lines]
    intro = next(
        (
            i
            for i in range(list_start - 1, max(-1, list_start - 4), -1)
            if SUB_INTRO.search(lines[i])
        ),
        None,
    )
    if intro is None:
        return None
    end = next(
        (i for i in range(intro - 1, max(-1, intro - 8), -1) if lines[i].endswith("?")), None
    )
    if end is None:
        return None
    start = end
    while start > max(0, end - 5) and not lines[start - 1].rstrip().endswith(":"):
        start -= 1
    parts = lines[start : end + 1]
    if start > 0 and not MAIN_INTRO.search(lines[start - 1]):
        return None
    rating = MAIN_RATED.search(flat.text)
    if rating is None:
        return None
    main = Question("1", parts, start, end + 1)
    main.rating = _label(rating[1])
    main.rating_source = flat.passage(rating.start(), rating.end())
    return main


def _nest(main: Question, subs: list[Question]) -> Question:
    for n, sub in enumerate(subs, start=1):
        sub.number = f"1.{n}"
    main.sub_questions = subs
    main.stop = max(sub.stop for sub in subs)
    return main


def as_dicts(flat: Flat, questions: list[Question]) -> list[dict[str, Any]]:
    return [
        {
            "number": q.number,
            "text": q.text,
            "rating": q.rating,
            "sub_questions": as_dicts(flat, q.sub_questions),
            "source": flat.passage_of_lines(q.first, q.stop),
            "rating_source": q.rating_source,
        }
        for q in questions
    ]


# Where the questions are listed ------------------------------------------------------


def _listed(flat: Flat) -> list[Question] | None:
    """The list under a "Revisionsfrågor" heading or an intro ending in a colon."""
    lines = [line.text for line in flat.lines]
    best: list[Question] | None = None
    for i, text in enumerate(lines):
        if not QUESTION_HEADING.search(text) or len(text) > 160:
            continue
        is_title = is_heading(text) or (len(text) < 60 and not ends_sentence(text))
        if not (is_title or text.rstrip().endswith(":")):
            continue
        found = _list_after(lines, i + 1)
        if found and (best is None or _size(found) > _size(best)):
            best = found
    return best


def _size(questions: list[Question]) -> tuple[int, int]:
    """More questions first; then the list whose items read as whole questions (a
    table's column text mixed into its lines makes items that do not end in "?")."""
    every = [q for main in questions for q in [main, *main.sub_questions]]
    return len(every), sum(q.text.endswith("?") for q in every)


def _list_after(lines: list[str], start: int) -> list[Question]:
    # The list starts within a few lines of its heading (after a sentence or two).
    i = start
    while i < len(lines) and i < start + 8:
        if _marker(lines[i]) or lines[i].rstrip().endswith("?"):
            break
        if is_heading(lines[i]) and i > start:
            return []
        i += 1
    else:
        return []
    items: list[Question] = []
    main_kind: tuple[str, str] | None = None
    answering = False
    while i < len(lines):
        text = lines[i]
        if BARE_LABEL.match(text):
            break  # labelled questions ("Revisionsfråga 2" above each): _labelled reads them
        found = _marker(text)
        current = _last(items)
        if current and not found and (ANSWER_LINE.match(text) or answering):
            # "Svar: Delvis. ..." under a question: its answer, not the list's end.
            if is_heading(text) and not ANSWER_LINE.match(text):
                break
            answering = True
            current.stop = i + 1
            i += 1
            continue
        answering = False
        if found:
            kind, mark, rest = found
            shape = (kind, _shape(mark))
            if main_kind is None:
                main_kind = shape
            if shape == main_kind and not _ends_list(text, items):
                number = mark if kind == "number" else str(len(items) + 1)
                if kind == "number" and items and not _next_number(items[-1].number, number):
                    break  # "2 Granskningsresultat" after item 2: the next chapter
                items.append(Question(number.rstrip("."), [rest], i, i + 1))
            elif items and _is_sub(shape, main_kind, mark, items[-1].number):
                parent = items[-1]
                number = mark if "." in mark else f"{parent.number}.{len(parent.sub_questions) + 1}"
                parent.sub_questions.append(Question(number, [rest], i, i + 1))
            else:
                break
        elif (
            current
            and not is_heading(text)
            and (not _complete(current.lines) or starts_lower(text))
        ):
            current.lines.append(text)
            current.stop = i + 1
        elif (main_kind is None and text.rstrip().endswith("?")) or (
            main_kind == ("plain", "") and _question_start(lines, i)
        ):
            # Questions listed without markers: one per sentence ending in "?".
            main_kind = ("plain", "")
            items.append(Question(str(len(items) + 1), [text], i, i + 1))
        else:
            break
        i += 1
    for item in items:
        item.stop = max([item.stop] + [sub.stop for sub in item.sub_questions])
    # A list of headings or criteria is not a list of questions.
    if not items or not any(q.text.endswith("?") or len(q.text) > 40 for q in items):
        return []
    return items


def _next_number(previous: str, mark: str) -> bool:
    try:
        return int(mark.rstrip(".")) == int(previous) + 1
    except ValueError:
        return True


def _marker(text: str) -> tuple[str, str, str] | None:
    """List markers, and "RF1" (revisionsfråga 1) some reports number questions with."""
    if m := RF_NUMBER.match(text):
        return "number", m[1], text[m.end() :]
    return marker(text)


def _last(items: list[Question]) -> Question | None:
    """The question the list's last line belongs to: the last sub-question, if any."""
    if not items:
        return None
    return items[-1].sub_questions[-1] if items[-1].sub_questions else items[-1]


def _shape(mark: str) -> str:
    if mark[:1].isdigit():
        return "dotted" if "." in mark.rstrip(".") else "number"
    if re.fullmatch(r"[a-h][.)]?", mark):
        return "letter"
    if re.fullmatch(r"[ivx]+", mark):
        return "roman"
    return mark


def _is_sub(shape: tuple[str, str], main: tuple[str, str] | None, mark: str, parent: str) -> bool:
    if main is None or shape == main:
        return False
    if shape[0] == "number":
        return mark.startswith(f"{parent}.")
    return True


def _complete(lines: list[str]) -> bool:
    return ends_sentence(lines[-1])


def _ends_list(text: str, items: list[Question]) -> bool:
    return is_heading(text) and not text.rstrip().endswith("?") and bool(items)


def _question_start(lines: list[str], i: int) -> bool:
    """Line i opens a question sentence that ends with "?" within three lines."""
    for j in range(i, min(i + 3, len(lines))):
        if lines[j].rstrip().endswith("?"):
            return True
        if ends_sentence(lines[j]):
            return False
    return False


def _labelled(flat: Flat) -> list[Question]:
    """ "Revisionsfråga 2: Finns ...?" at the head of each chapter."""
    lines = [line.text for line in flat.lines]
    found: dict[str, Question] = {}
    for i, text in enumerate(lines):
        m = LABELLED.match(text)
        if not m or m[1] in found:
            continue
        j = i + 1
        if m[2].strip():
            question = Question(m[1], [m[2]], i, i + 1)
        elif j < len(lines) and _question_start(lines, j):
            question = Question(m[1], [lines[j]], i, i + 1)
            j += 1
        else:
            continue  # a heading naming the question ("Revisionsfråga 2") over its answer
        while not _complete(question.lines) and j < len(lines) and j < i + 6:
            if is_heading(lines[j]) or marker(lines[j]):
                break
            question.lines.append(lines[j])
            j += 1
        # Sub-questions bulleted under the labelled question ("o Är analysen ...?"),
        # perhaps under a "Delfrågor:" line of their own.
        if j + 1 < len(lines) and SUB_LABEL.match(lines[j]) and marker(lines[j + 1]):
            j += 1
        while j < len(lines) and (item := marker(lines[j])) and item[0] == "bullet":
            number = f"{m[1]}.{len(question.sub_questions) + 1}"
            sub = Question(number, [item[2]], j, j + 1)
            j += 1
            while not _complete(sub.lines) and j < len(lines) and starts_lower(lines[j]):
                sub.lines.append(lines[j])
                j += 1
            sub.stop = j
            question.sub_questions.append(sub)
        if question.sub_questions and not all(q.text.endswith("?") for q in question.sub_questions):
            question.sub_questions = []  # a list of topics, not questions
        question.stop = j
        found[m[1]] = question
    mains = [q for number, q in found.items() if "." not in number]
    for number, q in found.items():
        if "." in number:
            parent = found.get(number.split(".")[0])
            if parent:
                parent.sub_questions.append(q)
            else:
                mains.append(q)
    return mains if len(found) >= 2 else []


def _areas(flat: Flat) -> list[Question]:
    """Control areas: "Kontrollområde 1 – Leverantörsregister", its "Övergripande
    kontrollmål: ..." as the question, and the detailed ones below ("1.1 Det finns ...")
    as its sub-questions."""
    lines = [line.text for line in flat.lines]
    found: dict[str, Question] = {}
    for i, text in enumerate(lines):
        m = AREA.match(text)
        if not m or m[1] in found or i + 1 >= len(lines):
            continue
        main_line = OVERALL_OBJECTIVE.match(lines[i + 1])
        if not main_line:
            continue
        area = Question(m[1], [main_line[1]], i + 1, i + 2)
        j = _take_sentence(lines, area, i + 2)
        while j < len(lines) and (item := marker(lines[j])) and item[1].startswith(f"{m[1]}."):
            sub = Question(item[1], [item[2]], j, j + 1)
            j = _take_sentence(lines, sub, j + 1)
            area.sub_questions.append(sub)
        area.stop = j
        found[m[1]] = area
    return list(found.values()) if len(found) >= 2 else []


def _take_sentence(lines: list[str], question: Question, j: int) -> int:
    """The rest of the question's sentence on the lines from j; where it ends."""
    while not _complete(question.lines) and j < len(lines) and not marker(lines[j]):
        question.lines.append(lines[j])
        j += 1
    question.stop = j
    return j


def _answered_in_place(flat: Flat) -> list[Question]:
    """No list: question sentences each followed by a rating (summary tables)."""
    lines = [line.text for line in flat.lines]
    questions: list[Question] = []
    start = 0
    while start < len(lines):
        stop = _question_end(lines, start)
        if stop is None:
            start += 1
            continue
        text = join(lines[start:stop])
        first = marker(lines[start])
        after = "\n".join(lines[stop : stop + 3])
        body = first[2] if first else text
        if len(text) > 25 and _rating_near(after) and not _seen(questions, body):
            number = first[1] if first and first[0] == "number" else str(len(questions) + 1)
            parts = [first[2], *lines[start + 1 : stop]] if first else lines[start:stop]
            questions.append(Question(number.rstrip("."), parts, start, stop))
        start = stop
    return questions if len(questions) >= 2 else []


def _question_end(lines: list[str], start: int) -> int | None:
    """The line after a question sentence starting at `start` (ending in "?" within six
    lines, not crossing another list item or a finished sentence), or None."""
    if CELL.match(lines[start]) and len(lines[start]) < 40:
        return None
    for i in range(start, min(start + 6, len(lines))):
        if i > start and marker(lines[i]):
            return None
        if lines[i].rstrip().endswith("?"):
            return i + 1
        if ends_sentence(lines[i]):
            return None
    return None


def _seen(questions: list[Question], text: str) -> bool:
    key = _key(text)
    return any(_key(q.text) == key for q in questions)


def _rating_near(text: str) -> bool:
    return any(p.search(text) for p in STRONG) or bool(CELL.match(text))


# Ratings ------------------------------------------------------------------------------


def _key(text: str) -> str:
    return re.sub(r"[^\wåäö]+", " ", text.casefold()).strip()


def _pattern(text: str) -> re.Pattern[str] | None:
    """The question's first words, across line breaks and table-cell hyphenation."""
    words = re.findall(r"[\wåäöÅÄÖ:]+", text)[:9]
    if len(words) < 3:
        return None
    gap = r"[\s\-‐|]*\W*\s*"
    return re.compile(gap.join(re.escape(w) for w in words), re.I)


BY_NUMBER = [
    re.compile(
        rf"(?:bedömning|svar|betyg)[^\n:]{{0,30}}?(?:(?:revisions|del|gransknings)?fråga"
        rf"|kontrollområde|granskningsområde|kontrollmål)\s+"
        rf"(\d{{1,2}}(?:\.\d{{1,2}})?)\s*(?:[:–-]\s*|\n\s*)({RATING_WORDS})\b",
        re.I,
    ),
    re.compile(
        rf"\b(?:revisions|del|gransknings)?fråga\s+(\d{{1,2}}(?:\.\d{{1,2}})?|[a-h]\)?)"
        rf"\s+(?:bedöms|besvaras|är)\s+(?:som\s+|med\s+(?:ett\s+)?)?({RATING_WORDS})\b",
        re.I,
    ),
]
LEGEND = re.compile(rf"^\s*({RATING_WORDS})\s*[–—-]\s+\S", re.I)


def _legend_lines(flat: Flat) -> set[int]:
    """A scale's legend ("Grön – inga brister" / "Gul – brister som bör åtgärdas"):
    two or more lines in a row that each explain a rating word. Not ratings."""
    hits = [bool(LEGEND.match(line.text)) for line in flat.lines]
    return {
        i
        for i, hit in enumerate(hits)
        if hit and ((i > 0 and hits[i - 1]) or (i + 1 < len(hits) and hits[i + 1]))
    }


def _rate(flat: Flat, questions: list[Question], listed: tuple[int, int] | None) -> None:
    every = [q for main in questions for q in [main, *main.sub_questions]]
    legend = _legend_lines(flat)
    places: list[tuple[int, int, Question]] = []
    for q in every:
        pattern = _pattern(q.text)
        if pattern is None:
            continue
        places += [
            (m.start(), _end_of_question(flat.text, m.end()), q)
            for m in pattern.finditer(flat.text)
        ]
    places.sort(key=lambda place: place[0])
    list_end = None
    if listed is not None:
        first, stop = listed
        list_end = (flat.starts[first], flat.starts[stop] if stop < len(flat.lines) else None)
    votes: dict[int, list[tuple[str, int, int]]] = {}
    for n, (start, end, q) in enumerate(places):
        limit = places[n + 1][0] if n + 1 < len(places) else len(flat.text)
        if list_end and list_end[0] <= start and list_end[1] and start < list_end[1]:
            # The list of questions itself: what follows its last item is the next
            # section, not that question's answer.
            limit = min(limit, list_end[1])
        window = flat.text[end : min(limit, end + 6000)]
        found = _rating_in(window)
        if found and flat.line_at(end + found[1]) not in legend:
            label, at, stop = found
            votes.setdefault(id(q), []).append((label, end + at, end + stop))
    for q in every:
        found = votes.get(id(q))
        if not found:
            continue
        counts = Counter(label for label, _a, _b in found)
        best = max(counts.values())
        label, at, stop = next(v for v in found if counts[v[0]] == best)
        q.rating = label
        q.rating_source = flat.passage(at, stop)
    _rate_by_section(flat, every)
    _rate_by_number(flat, every)
    _rate_in_order(flat, questions, legend)
    _rate_by_symbols(flat, questions)


SYMBOLS = "●◐◑○◒◓■□▲△▼✓✔✗✘"
# A dash means a level only with "=" ("– = Ej bedömd"); in prose it is punctuation.
SYMBOL_LEGEND = re.compile(
    rf"(?:([{SYMBOLS}])\s*=?\s*|([–-])\s*=\s*)"
    rf"({RATING_WORDS}|ej\s+bedömd|inte\s+bedömd|ej\s+aktuell)\b",
    re.I,
)


def _rate_by_symbols(flat: Flat, questions: list[Question]) -> None:
    """Ratings drawn as symbols ("◐") with a legend ("● = Ja ◐ = Delvis ○ = Nej"): the
    table's symbols, one per question, in order. A symbol the legend calls not assessed
    ("– = Ej bedömd") leaves its question unrated."""
    leaves = [q for main in questions for q in (main.sub_questions or [main])]
    meaning: dict[str, str | None] = {}
    for m in SYMBOL_LEGEND.finditer(flat.text):
        label = rating_label(m[3])
        meaning.setdefault(m[1] or m[2], label if label and "bedömd" not in m[3].lower() else None)
    if sum(label is not None for label in meaning.values()) < 2 or not leaves:
        return
    cells = [(i, line.text.strip()) for i, line in enumerate(flat.lines)]
    cells = [(i, text) for i, text in cells if text in meaning]
    if len(cells) != len(leaves):
        return
    for q, (i, symbol) in zip(leaves, cells, strict=True):
        if q.rating is None and meaning[symbol]:
            q.rating = meaning[symbol]
            q.rating_source = flat.passage_of_lines(max(0, i - 1), i + 1)


def _rate_by_section(flat: Flat, every: list[Question]) -> None:
    """A section headed by the question's label alone ("Kontrollmål 1.2"): its first
    assessment ("Bedömning: Ej uppfyllt.") rates that question."""
    by_number = {q.number: q for q in every}
    labels = [
        (i, m[1]) for i, line in enumerate(flat.lines) if (m := SECTION_LABEL.match(line.text))
    ]
    for n, (i, number) in enumerate(labels):
        q = by_number.get(number)
        if q is None or q.rating is not None:
            continue
        stop = labels[n + 1][0] if n + 1 < len(labels) else len(flat.lines)
        start_at = flat.starts[i]
        end_at = flat.starts[stop] if stop < len(flat.lines) else len(flat.text)
        window = flat.text[start_at:end_at]
        hits = [m for pattern in STRONG if (m := pattern.search(window))]
        if hits:
            m = min(hits, key=lambda hit: hit.start(1))
            q.rating = _label(m[1])
            q.rating_source = flat.passage(start_at + m.start(), start_at + m.end())


def _rate_by_number(flat: Flat, every: list[Question]) -> None:
    """ "Sammantagen bedömning revisionsfråga 1: Delvis uppfyllt" names its question."""
    by_number = {q.number: q for q in every}
    for pattern in BY_NUMBER:
        for m in pattern.finditer(flat.text):
            number = m[1].rstrip(")").lower()
            if number.isalpha() and not any(q.sub_questions for q in every):
                # Questions lettered a), b), ... are numbered by their order.
                number = str(ord(number) - ord("a") + 1)
            q = by_number.get(number)
            if q is not None:
                q.rating = _label(m[2])
                q.rating_source = flat.passage(m.start(), m.end())


def _rate_in_order(flat: Flat, questions: list[Question], legend: set[int]) -> None:
    """Chapters that assess each question without repeating its words ("Bedömning:
    Delvis.") are matched in order, only when there is exactly one assessment per
    question after the list of questions."""
    leaves = [q for main in questions for q in (main.sub_questions or [main])]
    if not leaves or all(q.rating for q in leaves):
        return
    after = flat.starts[min(max(q.stop for q in leaves), len(flat.lines) - 1)]
    found: list[re.Match[str]] = []
    for pattern in STRONG:
        found += [
            m for m in pattern.finditer(flat.text, after) if flat.line_at(m.start(1)) not in legend
        ]
    found.sort(key=lambda m: m.start(1))
    statements: list[re.Match[str]] = []
    for m in found:
        if not statements or m.start(1) >= statements[-1].end(1):
            statements.append(m)
    if len(statements) != len(leaves):
        return
    for q, m in zip(leaves, statements, strict=True):
        if q.rating is None:
            q.rating = _label(m[1])
            q.rating_source = flat.passage(m.start(), m.end())


QUESTION_END = re.compile(r"[?]|\.(?=\s)|\n\s*\n")


def _end_of_question(text: str, at: int) -> int:
    """Past the rest of the question (up to its "?" or full stop) from its first words."""
    m = QUESTION_END.search(text, at, at + 600)
    return m.end() if m else at


def _rating_in(window: str) -> tuple[str, int, int] | None:
    head = window.lstrip(" |")
    offset = len(window) - len(head)
    # The answer cell right after the question, on its line or the next.
    first_lines = head.split("\n", 2)
    for n, line in enumerate(first_lines[:2]):
        if m := CELL.match(line):
            at = offset + sum(len(x) + 1 for x in first_lines[:n]) + m.start(1)
            return _label(m[1]), at, at + len(m[1])
    hits = [(m.start(1), m) for p in STRONG for m in [p.search(window)] if m]
    if not hits:
        return None
    at, m = min(hits, key=lambda hit: hit[0])
    return _label(m[1]), m.start(), m.end()


def _label(phrase: str) -> str:
    phrase = re.sub(r"^((?:inte|ej))\s+(?:är|kan\s+anses\s+vara)\s+", r"\1 ", phrase, flags=re.I)
    return rating_label(phrase) or phrase
