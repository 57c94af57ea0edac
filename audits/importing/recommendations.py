"""A report's recommendations and the body they are addressed to.

Recommendations follow an intro: a heading ("Rekommendationer"), a sentence ending in
a colon ("lämnas följande rekommendationer till regionstyrelsen:", "Vi rekommenderar
kommunstyrelsen att:"). The items are bullets, numbers, letters or dashes. Where a
report repeats its recommendations (summary and last chapter), the longest list wins,
but the report's own list ("Vi rekommenderar", a heading) beats one it quotes from an
earlier audit. Reports without any list get one recommendation per "Vi rekommenderar X
att ..." sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .lines import Flat, ends_sentence, join, marker, starts_lower
from .words import is_heading, plain

BODY = re.compile(
    r"\b([a-zåäö-]*(?:styrelsen|styrelse|nämnden|nämnderna|nämnder|utskottet|fullmäktige))\b",
    re.I,
)
INTRO = re.compile(
    r"(rekommenderar|rekommenderas|rekommendationer|rekommendation\b|föreslår\s+vi"
    r"|vi\s+föreslår)",
    re.I,
)
# An intro in the present tense by the auditors themselves; a report that quotes an
# earlier audit's recommendations ("ledde till följande rekommendationer") has a weaker one.
OWN_INTRO = re.compile(
    r"(vi|revisorerna|revisionen)\s+(rekommenderar|föreslår)|rekommenderar\s+vi"
    r"|lämnas\s+följande\s+rekommendation|rekommenderas\s+att",
    re.I,
)
HEADINGS = {"rekommendationer", "rekommendation", "våra rekommendationer"}
OWN_HEADING = re.compile(r"^rekommendation(?:\s+(\d{1,2}))?\s*(?:\([^)]{1,40}\))?\s*:?$", re.I)
NONE_GIVEN = re.compile(r"\b(?:inga|inte\s+några)\s+(?:\w+\s+)?rekommendationer", re.I)
# "Vi föreslår att revisorerna ..." (not "rekommenderar revisorerna kommunstyrelsen").
TO_AUDITORS = re.compile(
    r"\bvi\s+(?:föreslår|rekommenderar)\s+(?:att\s+)?revisorerna\b"
    r"|\b(?:föreslår|rekommenderar)\s+vi\s+(?:att\s+)?revisorerna\b",
    re.I,
)
REC_NUMBER = re.compile(r"^(?:R|Rek\.?|Rekommendation)\s?(\d{1,2})[.:)]?\s+(?=\S)")
TABLE_HEADER = re.compile(
    r"^(?:nr\s+)?rekommendation(?:er)?\s+(?:ansvarig|ansvar|mottagare|riktad\s+till|adressat"
    r"|nämnd|berörd)",
    re.I,
)
FIELD = re.compile(
    r"^(ansvarig|ansvar|mottagare|riktad\s+till|adressat|prioritet|prio|tidplan|tidsplan)"
    r"\s*:\s*(.*)$",
    re.I,
)
PRIORITY_CELL = re.compile(r"(?<=[.!?])\s+(?:hög|medel|medelhög|låg|prio(?:ritet)?\s*[1-3])$", re.I)
SENTENCE = re.compile(
    r"(?:(?:vi|revisorerna)(?:\s+(?:redan|nu|därför|också|även|dock)){0,2}\s+rekommenderar"
    r"(?:\s+vi)?|rekommenderar\s+vi)\s+"
    # A footnote marker may follow the full stop ("tomma.3").
    r"([a-zåäö-]*(?:styrelsen|nämnden|nämnderna|utskottet))\s+att\s+(.+?[.])\d{0,2}"
    r"(?=\s+[A-ZÅÄÖ\d]|\s*$)",
    re.I | re.S,
)


@dataclass
class Item:
    number: str | None
    lines: list[str]
    first: int
    stop: int
    body: str | None


def find_recommendations(flat: Flat) -> tuple[list[dict[str, Any]], str | None]:
    lines = [line.text for line in flat.lines]
    best: list[Item] = []
    best_rank = (0, 0)
    addressee: str | None = None
    for i, text in enumerate(lines):
        if not _is_intro(text):
            continue
        body = _addressee(lines, i)
        items = _items_after(lines, i + 1, body)
        rank = (_strength(lines, i), len(items))
        if items and rank > best_rank:
            best, best_rank, addressee = items, rank, body
    headed = _under_headings(lines)
    if len(headed) > len(best):
        best, addressee = headed, headed[0].body
    if not best:
        best, addressee = _sentences(flat)
    return [
        {
            "number": item.number,
            "text": _text(item),
            "body": item.body,
            "source": flat.passage_of_lines(item.first, item.stop),
        }
        for item in best
    ], addressee


def _is_intro(text: str) -> bool:
    if not INTRO.search(text) or NONE_GIVEN.search(text):
        return False
    words = plain(text)
    if words in HEADINGS:
        return True
    if is_heading(text) and "rekommendation" in words:
        return True
    # An intro sentence ends with a colon, or with "att" before the list.
    return bool(re.search(r"(:|\batt)\s*$", text)) or "rekommendationer" in words


def _strength(lines: list[str], i: int) -> int:
    """2 for the report's own recommendations (a heading, "Vi rekommenderar ..."), 1 for
    a list introduced in passing (an earlier audit's, quoted)."""
    if plain(lines[i]) in HEADINGS:
        return 2
    intro = " ".join(lines[i : i + 2])
    return 2 if OWN_INTRO.search(intro) else 1


def _addressee(lines: list[str], i: int) -> str | None:
    """The body named in the intro (its line and the next one or two)."""
    for n, text in enumerate(lines[i : i + 6]):
        if n and marker(text):
            break
        if m := BODY.search(text):
            return m[1].lower()
    return None


def _marker(text: str) -> tuple[str, str, str] | None:
    """List markers, and the "R1." or "Rekommendation 1:" some reports number their
    recommendations with."""
    if m := REC_NUMBER.match(text):
        return "number", m[1], text[m.end() :]
    return marker(text)


def _body_line(text: str) -> str | None:
    """A line that is only a body's name, heading its own list ("Socialnämnden")."""
    stripped = text.strip().rstrip(":")
    m = BODY.fullmatch(stripped.split(" ")[-1]) if stripped else None
    if not m or len(stripped.split()) > 6 or ends_sentence(text.rstrip(":")):
        return None
    if not stripped[0].isupper() or marker(text):
        return None
    return stripped.lower()


def _items_after(lines: list[str], start: int, body: str | None) -> list[Item]:
    i = start
    # The list begins within a few lines (the rest of the intro sentence, a body's name,
    # a table's header).
    while i < len(lines) and i < start + 4 and not _marker(lines[i]):
        if TO_AUDITORS.search(lines[i]):
            return []  # proposals to the auditors themselves (a pre-study's next steps)
        if TABLE_HEADER.match(lines[i]):
            return _table_rows(lines, i + 1, body)
        if is_heading(lines[i]):
            return []
        body = _body_line(lines[i]) or body
        i += 1
    items: list[Item] = []
    kind: str | None = None
    numbered_from = 0  # numbering starts again under each body's name
    while i < len(lines):
        text = lines[i]
        found = _marker(text)
        if (
            found
            and (kind is None or found[0] == kind)
            and _next_number(items, found, numbered_from)
        ):
            kind = found[0]
            number = found[1] if kind in {"number", "letter"} else None
            rest = found[2]
            items.append(Item(number, [_no_priority(rest)], i, i + 1, _own_body(rest) or body))
        elif items and _is_intro(text) and (named := _addressee(lines, i)):
            # "Vi rekommenderar nämnderna att:" in the middle: the items after it are
            # addressed to another body.
            body = named
        elif (
            items
            and (named := _body_line(text))
            and _marker(lines[i + 1] if i + 1 < len(lines) else "")
        ):
            body, numbered_from = named, len(items)
        elif found and found[0] == "number" and _chapter(text):
            break  # "5 Revisorernas beslut": the next chapter, not item 5 again
        elif items and (field := FIELD.match(text)):
            # "Ansvarig: Regionstyrelsen", "Prioritet: Hög": the item's fields, not its
            # text; the responsible body is its addressee.
            if field[1].lower().startswith(("ansvar", "mottagare", "riktad", "adressat")):
                items[-1].body = field[2].strip().rstrip(".").lower() or items[-1].body
            items[-1].stop = i + 1
        elif items and not is_heading(text) and _continues(lines, i, items[-1], kind):
            items[-1].lines.append(_no_priority(text))
            items[-1].stop = i + 1
        else:
            break
        i += 1
    return items


def _table_rows(lines: list[str], start: int, body: str | None) -> list[Item]:
    """Rows of a "Nr | Rekommendation | Ansvarig" table read cell by cell: the
    recommendation's sentence, then the responsible body's name on a line or two."""
    items: list[Item] = []
    i = start
    while i < len(lines) and not is_heading(lines[i]):
        j, parts = i, []
        while j < len(lines) and j < i + 6:
            parts.append(lines[j])
            if ends_sentence(lines[j]):
                break
            j += 1
        if not parts or not ends_sentence(parts[-1]) or len(join(parts)) < 20:
            break
        k, owner = j + 1, []
        while k < len(lines) and len(owner) < 3 and len(lines[k]) < 60:
            # The owner's cell starts with a capital; a wrapped name goes on in lower case.
            starts_cell = lines[k][:1].isupper()
            if ends_sentence(lines[k]) or is_heading(lines[k]) or (not owner and not starts_cell):
                break
            owner.append(lines[k])
            k += 1
        if not owner:
            break
        items.append(Item(None, parts, i, k, join(owner).lower()))
        i = k
    return items


def _next_number(items: list[Item], found: tuple[str, str, str], numbered_from: int = 0) -> bool:
    kind, mark, _rest = found
    if kind != "number":
        return True
    expected = str(len(items) - numbered_from + 1)
    return mark.rstrip(".") == expected


def _continues(lines: list[str], i: int, item: Item, kind: str | None) -> bool:
    text = lines[i]
    if not ends_sentence(item.lines[-1]) or starts_lower(text):
        return True
    # A new sentence in the same item only if another item of the list follows soon.
    for ahead in lines[i + 1 : i + 5]:
        # "1 Inledning" looks like a numbered item but is the next chapter.
        if is_heading(ahead):
            return False
        found = _marker(ahead)
        if found and found[0] == kind and _follows(item, found[1]):
            return True
    return False


def _no_priority(text: str) -> str:
    """Without a priority column's cell after the sentence ("... dokumenteras. Låg")."""
    return PRIORITY_CELL.sub("", text)


def _chapter(text: str) -> bool:
    """A numbered heading: short, capitalised, no full stop."""
    rest = re.sub(r"^\d+(?:\.\d+)*\.?\s+", "", text)
    return len(text) <= 60 and rest[:1].isupper() and not ends_sentence(text)


def _follows(item: Item, mark: str) -> bool:
    """A numbered item is followed by the next number ("30 april" is no item 30)."""
    if not (item.number and item.number.isdigit()):
        return True
    return mark.rstrip(".") == str(int(item.number) + 1)


def _own_body(text: str) -> str | None:
    """An item that names its own addressee first ("Kommunstyrelsen bör ...")."""
    m = BODY.match(text.strip())
    return m[1].lower() if m else None


def _text(item: Item) -> str:
    # Items of one sentence run on with "," or "; och" between them.
    return re.sub(r"\s*(?:[,;]|[,;]?\s+(?:och|samt))$", "", join(item.lines))


def _under_headings(lines: list[str]) -> list[Item]:
    """Recommendations given where the findings are, each under its own heading
    ("Rekommendation (hög prioritet)", "Rekommendation 2") and one paragraph long."""
    items: list[Item] = []
    for i, text in enumerate(lines):
        m = OWN_HEADING.match(text)
        if not m or i + 1 >= len(lines):
            continue
        item = Item(m[1], [lines[i + 1]], i + 1, i + 2, _own_body(lines[i + 1]))
        j = i + 2
        while j < len(lines) and (not ends_sentence(item.lines[-1]) or starts_lower(lines[j])):
            if is_heading(lines[j]) or OWN_HEADING.match(lines[j]):
                break
            item.lines.append(lines[j])
            j += 1
        item.stop = j
        items.append(item)
    return items if len(items) >= 2 else []


def _sentences(flat: Flat) -> tuple[list[Item], str | None]:
    items: list[Item] = []
    for m in SENTENCE.finditer(flat.text):
        body = m[1].lower()
        first, last = flat.line_at(m.start()), flat.line_at(m.end() - 1)
        text = re.sub(r"\s+", " ", m[2]).strip()
        items.append(Item(None, [text[:1].upper() + text[1:]], first, last + 1, body))
    return items, items[0].body if items else None
