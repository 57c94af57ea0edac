"""A handlingsplan's table, read cell by cell as text extraction leaves it: one row
per recommendation, its measures as the answer.
"""

from __future__ import annotations

import re
from typing import Any

from .lines import Flat, Passage, join, marker, squash
from .words import MONTHS

# Column names of a table of measures, each a line of its own when the table is
# extracted cell by cell; the kind says what the column holds.
COLUMNS: list[tuple[str, re.Pattern[str]]] = [
    ("recommendation", re.compile(r"(?:revisorernas\s+|revisionens\s+)?rekommendation(?:er)?")),
    (
        "answer",
        re.compile(
            r"(?:(?:nämndens|styrelsens|förvaltningens)\s+)?"
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


def column_kind(text: str) -> str | None:
    """What the column that `text` names holds, if `text` is a column name."""
    words = squash(text).strip(" :").casefold()
    return next((kind for kind, pattern in COLUMNS if pattern.fullmatch(words)), None)


def table_answers(flat: Flat) -> list[dict[str, Any]]:
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
    while stop < len(lines) and column_kind(lines[stop]):
        names.append(squash(lines[stop]).strip(" :"))
        stop += 1
    kinds = [column_kind(name) for name in names]
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
    kinds = [column_kind(name) for name in names]
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
    cells = [join(lines[first:stop]) for first, stop in row]
    return row_answer(names, cells, flat.passage_of_lines(row[0][0], row[-1][1]))


def row_answer(
    names: list[str], cells: list[str], source: Passage, number: str | None = None
) -> dict[str, Any] | None:
    """A row as an answer: its measures (and comments) as the text, then its other
    cells as "Ansvarig: …" lines; the recommendation cell as the quotation, its number
    the row's (given, or the cell's own "1.")."""
    kinds = [column_kind(name) for name in names]
    recommendation = cells[kinds.index("recommendation")]
    if number is None and (found := marker(recommendation)) and found[0] == "number":
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
        "source": source,
    }
