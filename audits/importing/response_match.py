"""Matching a response's answers to the audit's recommendations, by number and by
the wording they quote.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import Any

from .lines import squash


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
