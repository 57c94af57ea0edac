"""A handlingsplan's table extracted row by row: the header's column names on one line
("Nr Rekommendation Förvaltningens åtgärd Tidplan"), then each row's cells side by
side on the row's first line, and the text of the cells that wrap going on in the lines
below, under their columns.

Extraction leaves one space between the cells, so where a cell ends is read from the
text. A row opens with its number, and on its first line every cell starts with a
capital or a digit: the cuts there that widen the columns least give each column's
width in characters. Then each row's lines are shared out between its columns, the
cheapest reading of the whole row winning (a few are carried from line to line). What
costs: a share much wider than its column, a word given to a column whose line above
had room for it, a sentence going on in lower case or a capital in mid-sentence, a date
cut in two, a line's closing date outside the "Klart" column, a recommendation going on
after its sentence. A column given nothing has ended its cell; a line no reading can
take ends the table, unless it is a running header or footer at a page break.
"""

from __future__ import annotations

import heapq
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from .lines import Flat, ends_sentence, join, marker
from .response_table import column_kind, row_answer
from .words import MONTHS

# The rows' first lines show the least a column holds, and letters differ in width: a
# share of a line up to SLACK times wider than that costs nothing, one over LIMIT times
# wider does not fit.
SLACK = 1.15
SEEN_SLACK = 1.05  # once the other rows' lines show more of the widths
LIMIT = 1.3
# A date or a year, as the "Klart" column holds them.
DATE_WORD = re.compile(r"\d{4}-\d{2}-\d{2}|\d{4}")
# What a cell left empty on a row's first line costs, in characters of widening.
EMPTY_CELL = 20
TRUSTED = 1.0  # a row read for less than this tells the other rows its widths
BEAM = 12  # readings of a row kept from line to line
MAX_CUTS = 12  # places a first line is cut at, at most (each cut multiplies the ways)
NUMBER_COLUMNS = {"nr", "nummer"}


def header_names(text: str) -> list[str] | None:
    """The column names of a header row on one line, when the line is nothing but
    column names and names the recommendations and the measures."""
    words = text.split()
    # names[j]: the column names that words[:j] is made of, if it is made of them.
    names: list[list[str] | None] = [[]] + [None] * len(words)
    for j in range(1, len(words) + 1):
        for size in (3, 2, 1):
            before = names[j - size] if j >= size else None
            if before is not None and column_kind(" ".join(words[j - size : j])):
                names[j] = [*before, " ".join(words[j - size : j])]
                break
    found = names[-1]
    if not found or len(found) < 2:
        return None
    kinds = {column_kind(name) for name in found}
    return found if {"recommendation", "answer"} <= kinds else None


@dataclass
class _Row:
    number: str
    first: list[str]  # the words of the row's first line after its number
    lines: list[int]  # the row's first line, then the lines that may go on its cells


def row_table_answers(flat: Flat, closing: Sequence[int] = ()) -> list[dict[str, Any]]:
    """The rows of tables extracted row by row whose header names a column of
    measures, each row answering the recommendation in its cell."""
    lines = [line.text for line in flat.lines]
    answers: list[dict[str, Any]] = []
    i = 0
    while i < len(lines):
        names = header_names(lines[i])
        if names is None:
            i += 1
            continue
        rows, i = _rows(lines, names, i + 1, set(closing))
        answers.extend(_read(flat, names, rows))
    return [answer for answer in answers if answer]


def _rows(lines: list[str], names: list[str], at: int, closing: set[int]) -> tuple[list[_Row], int]:
    """The rows from line `at`: each opens with the next number and a capital, the
    header repeated on a new page is passed over; the last row may take every line up
    to the closing or the next table (how many it keeps, its cells tell)."""
    rows: list[_Row] = []
    i = at
    while i < len(lines) and i not in closing:
        found = header_names(lines[i])
        if found is not None and found != names:
            break
        if found is None:
            opened = _row_start(lines[i], int(rows[-1].number) + 1 if rows else None)
            if opened:
                rows.append(_Row(opened[0], opened[1].split(), [i]))
            elif rows:
                rows[-1].lines.append(i)
            else:
                break  # a header followed by no numbered row is no table of ours
        i += 1
    return rows, max(i, at)


def _row_start(text: str, number: int | None) -> tuple[str, str] | None:
    """(number, the rest) when `text` opens a row: numbered (the next number, once a
    row is read), the first cell starting with a capital."""
    found = marker(text)
    if not found or found[0] != "number" or "." in found[1].rstrip("."):
        return None
    if number is not None and int(found[1].rstrip(".")) != number:
        return None
    return (found[1].rstrip("."), found[2]) if found[2][:1].isupper() else None


@dataclass(frozen=True)
class _Columns:
    """What the table shows of its columns: their widths in characters, and which ones
    hold the dates and the recommendations."""

    held: list[int]  # the longest line seen in a column: it holds that much
    not_held: list[float]  # a line and the next word that did not fit (inf: none seen)
    slack: float  # how much wider than `held` a line may be at no cost
    dates: int | None  # the last column when it is a "Klart" or "Tidplan" column
    recommendation: int  # the column of the recommendations, one sentence each


def _read(flat: Flat, names: list[str], rows: list[_Row]) -> list[dict[str, Any] | None]:
    """Each row's cells, shared out as the module says, as an answer. The rows are read
    twice, the second time with what the other rows, read without a fault, show of the
    widths: no line is as long as one that did not take the next word, and a line as
    long as two rows' longest fits with little slack."""
    # The row's number is no cell of ours: it opens the row.
    cell_names = names[1:] if names[0].casefold() in NUMBER_COLUMNS else names
    held = [0] * len(cell_names)
    # The rows with the fewest places to cut first: they give the widths the others
    # are cut by.
    for row in sorted(rows, key=lambda row: len(_cuts(row.first))):
        cells = _first_line(row.first, held)
        held = [max(w, len(cell)) for w, cell in zip(held, cells, strict=True)]
    pages = [line.page for line in flat.lines]
    dates = len(cell_names) - 1 if column_kind(cell_names[-1]) == "time" else None
    kinds = [column_kind(name) for name in cell_names]
    unknown = _Columns(
        held, [math.inf] * len(cell_names), SLACK, dates, kinds.index("recommendation")
    )
    first_readings = []
    for n, row in enumerate(rows):
        reading, ends = _read_row(flat, pages, row, unknown, last=n + 1 == len(rows))
        first_readings.append(reading)
        if ends:
            break
    answers = []
    for n, row in enumerate(rows[: len(first_readings)]):
        # The evidence of the other rows read without a fault (a capital in mid-sentence
        # aside): a wrong reading's lines would say the column holds less.
        others = [r for m, r in enumerate(first_readings) if m != n and r.cost < TRUSTED]
        not_held = [
            min((w for r in others for w in r.not_held(c)), default=math.inf)
            for c in range(len(cell_names))
        ]
        known = replace(unknown, not_held=not_held)
        if len(others) >= 2:
            # What two other rows' lines show a column holds (one could be misread).
            seen = [
                max(held[c], sorted(r.longest(c) for r in others)[-2])
                for c in range(len(cell_names))
            ]
            known = replace(known, held=seen, slack=SEEN_SLACK)
        best, _ = _read_row(flat, pages, row, known, last=n + 1 == len(first_readings))
        source = flat.passage_of_lines(row.lines[0], best.last + 1)
        cells = [join(cell) for cell in best.cells]
        answers.append(row_answer(cell_names, cells, source, row.number))
    return answers


def _read_row(
    flat: Flat,
    pages: list[int | None],
    row: _Row,
    columns: _Columns,
    *,
    last: bool,
) -> tuple[_Reading, bool]:
    """The cheapest reading of a row's lines, and whether the table ends inside the row
    (a line no reading can take, and no furniture: text between two rows). In the last
    row, where the table's end is not known, a reading that cannot take a line ends the
    row above it and is weighed with the others."""
    # The first line is read as the others are, each cell starting with a capital or a
    # digit (or left empty, at a cost).
    start = [""] * len(columns.held)
    firsts = _shares(row.first, start, columns, cuts={0, *_cuts(row.first), len(row.first)})
    # The cut the widths were taken from always fits them; it stands in if none is found.
    firsts = firsts or [(0.0, _first_line(row.first, columns.held))]
    beam = [
        _Reading(cost, [[part] if part else [] for part in parts], row.lines[0])
        for cost, parts in firsts
    ]
    finished: list[_Reading] = []
    for i in row.lines[1:]:
        words = flat.lines[i].text.split()
        furniture = _at_page_break(pages, i)
        following = []
        for reading in beam:
            shares = _shares(words, reading.above(), columns)
            following.extend(reading.then(line, cost, i) for cost, line in shares)
            if last and not shares and not furniture:
                finished.append(reading)
        if furniture:
            following.extend(beam)  # a running header or footer, passed over
        if not following:
            return min([*beam, *finished], key=_cost_of), True
        # Sorting keeps the order of equals: the reading that fills the columns from
        # the left, as the lines were wrapped (see _shares).
        beam = sorted(following, key=_cost_of)[:BEAM]
    return min([*beam, *finished], key=_cost_of), False


def _cost_of(reading: _Reading) -> float:
    return reading.cost


@dataclass(frozen=True)
class _Reading:
    """One way of reading a row's lines so far: each column's lines (an empty string
    last once its cell has ended), what the reading costs, the last line it took."""

    cost: float
    cells: list[list[str]]
    last: int

    def above(self) -> list[str | None]:
        """Each column's line above, None once its cell has ended (or never began)."""
        return [cell[-1] if cell and cell[-1] else None for cell in self.cells]

    def longest(self, column: int) -> int:
        return max((len(line) for line in self.cells[column]), default=0)

    def not_held(self, column: int) -> list[int]:
        """The length of the column's share of the row's first line with the next
        line's first word, which its width did not hold. Only the first line's: where
        the lines below were cut depends on how they were read."""
        lines = self.cells[column]
        return [len(lines[0]) + 1 + len(lines[1].split()[0])] if len(lines) > 1 and lines[1] else []

    def then(self, shares: list[str], cost: float, line: int) -> _Reading:
        cells = [
            [*cell, share] if cell and cell[-1] else cell
            for cell, share in zip(self.cells, shares, strict=True)
        ]
        return _Reading(self.cost + cost, cells, line)


def _at_page_break(pages: list[int | None], i: int) -> bool:
    """Whether line `i` is the last of its page or the first: where furniture sits."""
    if pages[i] is None:
        return False
    return (i + 1 < len(pages) and pages[i + 1] != pages[i]) or (i > 0 and pages[i - 1] != pages[i])


def _cuts(words: list[str]) -> list[int]:
    """Where a row's first line may be cut: before a word in upper case or a digit."""
    found = [j for j in range(1, len(words)) if words[j].lstrip("”“\"'(«»")[:1].isupper()]
    found += [j for j in range(1, len(words)) if words[j][:1].isdigit()]
    return sorted(found)[:MAX_CUTS]


def _first_line(words: list[str], widths: list[int]) -> list[str]:
    """A row's first line cut into its cells, for the columns' widths: the cut that
    widens the columns least (an empty cell counting as EMPTY_CELL characters, a date
    cut in two as many)."""
    best: tuple[int, list[str]] | None = None
    places = _cuts(words)
    for count in range(min(len(widths) - 1, len(places)), -1, -1):
        for cut in itertools.combinations(places, count):
            bounds = (0, *cut, len(words))
            parts = [" ".join(words[a:b]) for a, b in itertools.pairwise(bounds)]
            parts += [""] * (len(widths) - len(parts))
            wider = sum(max(0, len(p) - w) for p, w in zip(parts, widths, strict=True))
            faults = parts.count("") + sum(_in_a_date(words, at) for at in cut)
            if best is None or wider + EMPTY_CELL * faults < best[0]:
                best = (wider + EMPTY_CELL * faults, parts)
    return best[1] if best else [""] * len(widths)


def _shares(
    words: list[str], above: list[str | None], columns: _Columns, cuts: set[int] | None = None
) -> list[tuple[float, list[str]]]:
    """The cheapest ways (BEAM at most) a line below a row's first can be shared out
    between the columns whose cells go on (`above` not None; one given nothing ends its
    cell), with their costs; or a row's first line, cut only before the words `cuts`
    names, each column given nothing costing one fault."""
    open_columns = [c for c, line in enumerate(above) if line is not None]
    # room[k]: the characters the open columns from the k-th on can take at most.
    room = [0.0] * (len(open_columns) + 1)
    for k in range(len(open_columns) - 1, -1, -1):
        room[k] = room[k + 1] + LIMIT * columns.held[open_columns[k]] + 1
    # ends[j]: where words[:j] ends, one space after each word; pairs[j]: what the
    # words of words[:j] cost next to each other.
    ends, pairs = [0], [0.0, 0.0]
    for j, word in enumerate(words):
        ends.append(ends[-1] + len(word) + 1)
        if j:
            pairs.append(pairs[-1] + _next_to(words[j - 1], word))
    # A line ending with a date ends with the date column's words, if it is open.
    dated = bool(DATE_WORD.fullmatch(words[-1])) if words else False
    found: list[tuple[float, tuple[int, ...]]] = []
    # The costs of the BEAM cheapest found so far (negated: heapq's smallest is the
    # dearest): a share that costs more already is none of them, costs being >= 0.
    cheapest: list[float] = []

    def share(at: int, k: int, cost: float, stops: tuple[int, ...], holder: int) -> None:
        c, final = open_columns[k], k + 1 == len(open_columns)
        # The longest share first, so that of equal costs the earlier columns are the
        # fuller, as when the lines were wrapped from the left.
        for stop in [len(words)] if final else range(len(words), at - 1, -1):
            if ends[-1] - ends[stop] - 1 > room[k + 1]:
                break  # what is left no longer fits the columns after this one
            length = max(0, ends[stop] - ends[at] - 1)
            if length > LIMIT * columns.held[c] or (cuts is not None and stop not in cuts):
                continue
            total = cost + (1.0 if cuts is not None and not length else 0.0)
            if length:
                total += _cost(length, words[at], above[c] or "", columns.held[c], columns.slack)
                total += pairs[stop] - pairs[at + 1]
                if length >= columns.not_held[c]:
                    total += 1  # another row's line this long did not fit
                if c == columns.recommendation and above[c] and ends_sentence(above[c] or ""):
                    total += 1  # a recommendation is one sentence: its cell has ended
            if length and not final and _in_a_date(words, stop):
                total += 1  # "november | 2025": a date is not cut in two
            if len(cheapest) == BEAM and total > -cheapest[0]:
                continue
            if not final:
                share(stop, k + 1, total, (*stops, stop), c if length else holder)
                continue
            if dated and columns.dates is not None and (c if length else holder) != columns.dates:
                total += 0.5  # the date that ends the line is not in the date column
            found.append((total, stops))
            heapq.heappush(cheapest, -total)
            if len(cheapest) > BEAM:
                heapq.heappop(cheapest)

    if open_columns:
        share(0, 0, 0.0, (), -1)
    shares = []
    # nsmallest keeps equals in the order found.
    for cost, stops in heapq.nsmallest(BEAM, found, key=lambda pair: pair[0]):
        line = [""] * len(above)
        bounds = (0, *stops, len(words))
        for c, at, stop in zip(open_columns, bounds, bounds[1:], strict=False):
            line[c] = " ".join(words[at:stop])
        shares.append((cost, line))
    return shares


def _cost(length: int, first: str, above: str, width: int, slack: float) -> float:
    """How badly a share of `length` characters opening with the word `first` reads as
    the next line of a cell whose line above is `above`, in a column `width` wide (the
    words of the share next to each other aside)."""
    width = max(width, 1)
    cost = max(0.0, length - slack * width) / width
    if above and len(above) + 1 + len(first) <= width:
        cost += 1  # the word had room on the line above
    return cost + (_next_to(above.split()[-1], first) if above else 0.0)


def _in_a_date(words: list[str], at: int) -> bool:
    """Whether a cut before words[at] cuts a date ("30 juni | 2026", "november | 2025")."""
    if not 0 < at < len(words):
        return False
    return words[at - 1].casefold() in MONTHS and bool(re.fullmatch(r"\d{4}\.?", words[at]))


def _next_to(before: str, word: str) -> float:
    """What `word` after `before` in one cell's running text costs."""
    if ends_sentence(before):
        return 1.0 if word[:1].islower() else 0.0  # a sentence going on in lower case
    # A capital in mid-sentence: a name, or the next column's word.
    return 0.5 if word[:1].isupper() else 0.0
