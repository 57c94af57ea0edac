"""Line-level helpers shared by the readers: flat text with offsets, passages, joining."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from .text import Line
from .words import BULLET, LETTER, NUMBER, NUMBER_LETTER, PAREN_NUMBER, ROMAN

Passage = dict[str, Any]


@dataclass
class Flat:
    """The document as one string (lines joined by newlines), to search across line
    breaks, with the way back from an offset to its line and page."""

    lines: list[Line]

    def __post_init__(self) -> None:
        self.starts: list[int] = []
        at = 0
        for line in self.lines:
            self.starts.append(at)
            at += len(line.text) + 1
        self.text = "\n".join(line.text for line in self.lines)

    def line_at(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def passage(self, start: int, end: int) -> Passage:
        """The whole lines from `start` to `end`, as the review screen shows them."""
        first, last = self.line_at(start), self.line_at(max(start, end - 1))
        return self.passage_of_lines(first, last + 1)

    def passage_of_lines(self, first: int, stop: int) -> Passage:
        lines = self.lines[first : max(stop, first + 1)]
        if not lines:
            return {"text": "", "page": None}
        return {"text": "\n".join(line.text for line in lines), "page": lines[0].page}


def join(lines: list[str]) -> str:
    """Broken lines as one line of text."""
    return re.sub(r"\s+", " ", " ".join(lines)).strip()


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def marker(text: str) -> tuple[str, str, str] | None:
    """('bullet'|'number'|'letter', the marker, the rest) for a list item line."""
    if m := BULLET.match(text):
        return "bullet", text[: m.end()].strip(), text[m.end() :]
    if m := NUMBER.match(text) or PAREN_NUMBER.match(text):
        return "number", m[1], text[m.end() :]
    if m := LETTER.match(text) or NUMBER_LETTER.match(text) or ROMAN.match(text):
        return "letter", m[1], text[m.end() :]
    return None


def ends_sentence(text: str) -> bool:
    return text.rstrip().rstrip("”\"')»").endswith((".", "?", "!", ":"))


def starts_lower(text: str) -> bool:
    stripped = text.lstrip("\"'”“(")
    return bool(stripped) and (stripped[0].islower() or stripped[0].isdigit())
