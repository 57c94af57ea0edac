"""Hostile values for the property tests, and how a page is judged after receiving one.

Every piece of markup carries MARK, so a page can be searched for markup that came from
the input (the page's own <script src=...> tags carry no MARK).
"""

from __future__ import annotations

import datetime
from html.parser import HTMLParser
from typing import Any

from hypothesis import strategies as st
from icalendar import Calendar

MARK = "hstlmark"

PAYLOADS = tuple(
    payload.replace("MARK", MARK)
    for payload in (
        "<script>MARK()</script>",
        '"><script>MARK()</script>',
        "'><img src=x onerror=MARK()>",
        "<svg/onload=MARK()>",
        "</textarea><script>MARK()</script>",
        "</title></head><body onload=MARK()>",
        "</option></select><script>MARK()</script>",
        '<a href="javascript:MARK()">x</a>',
        "<MARK>",
        "<!--MARK--><script>MARK()</script>",
        "-->MARK<script>MARK()</script>",
        "<ScRiPt>MARK()</sCrIpT>",
        "<scr<script>ipt>MARK()</script>",
        "&lt;script&gt;MARK()&lt;/script&gt;",
        "<iframe srcdoc='&lt;script&gt;MARK()&lt;/script&gt;'></iframe>",
        "javascript:MARK()",
        "<style>*{background:url(MARK)}</style>",
        "\u2028\u2029<script>MARK()</script>",
        '<math><mi xlink:href="javascript:MARK()">x</mi></math>',
        "{{ MARK }}{% debug %}{{ request.user.password }}",
        "%(MARK)s %s {0} {MARK}",
        "<input autofocus onfocus=MARK()>",
        # A calendar feed line break: a new event, or a property of the attacker's
        "\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nX-MARK:1\r\nSUMMARY:MARK\r\n",
    )
)

# Control characters (NUL first: PostgreSQL refuses it in text), invisible and
# direction-changing characters, and the characters HTML cares about.
ODD_CHARACTERS = (
    "\x00\x01\x02\x08\x0b\x0c\x0e\x1b\x1f\x7f\x85\x9f"
    "\u00a0\u200b\u200e\u202e\u2028\u2029\ufeff\ufffd\ufffe\uffff"
    "\r\n\t <>&\"'`=/\\å"
)

LONG_LENGTHS = (61, 101, 201, 301, 501, 10_001, 100_000)
LONG_UNITS = ("a", "å", "<", "\x00", "\U0001f600", "a\n", " ")


def _long(length: int, unit: str) -> str:
    return (unit * length)[:length] if len(unit) == 1 else unit * (length // len(unit))


def hostile_text() -> st.SearchStrategy[str]:
    """Text a browser can send (no lone surrogates: they cannot be encoded)."""
    return st.one_of(
        st.text(st.characters(codec="utf-8"), max_size=60),
        st.text(st.sampled_from(ODD_CHARACTERS), min_size=1, max_size=30),
        st.sampled_from(PAYLOADS),
        st.builds(
            lambda before, payload, after: before + payload + after,
            st.text(st.sampled_from(ODD_CHARACTERS + "xy"), max_size=4),
            st.sampled_from(PAYLOADS),
            st.text(st.characters(codec="utf-8"), max_size=8),
        ),
        st.builds(_long, st.sampled_from(LONG_LENGTHS), st.sampled_from(LONG_UNITS)),
    )


ODD_DATES = (
    "0001-01-01",
    "9999-12-31",
    "0000-00-00",
    "0000-01-01",
    "2022-02-30",
    "2022-02-29",
    "2024-02-29",
    "2022-13-01",
    "2022-00-10",
    "2022-01-32",
    "99999-01-01",
    "-2022-01-01",
    "+2022-01-01",
    "2022-1-1",
    "20220101",
    "2022/01/01",
    "01.02.2022",
    "2022-01-01T00:00:00",
    "2022-01-01 ",
    " 2022-01-01",
    "2022-01-01\x00",
    "\x002022-01-01",
    "\uff12\uff10\uff12\uff12-\uff10\uff11-\uff10\uff11",  # full-width digits
    "\u0662\u0660\u0662\u0662-\u0660\u0661-\u0660\u0661",  # Arabic-Indic digits
    "1e9",
    "NaN",
    "-1",
    str(2**63),
    "9" * 5000,
    "",
    " ",
)


def hostile_date() -> st.SearchStrategy[str]:
    return st.one_of(
        st.dates().map(datetime.date.isoformat),
        st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2030, 12, 31)).map(
            datetime.date.isoformat
        ),
        st.sampled_from(ODD_DATES),
        hostile_text(),
    )


ODD_NUMBERS = (
    "0",
    "-1",
    "-0",
    "+1",
    "1.0",
    "1.5",
    "1e3",
    "0x1f",
    "abc",
    "",
    " ",
    " 1",
    "1 ",
    "1,2",
    "\u00b2",  # "²".isdigit() is true, int("²") fails
    "\u0663",  # Arabic-Indic three
    "\uff11",  # full-width one
    "None",
    "null",
    "[]",
    "NaN",
    "Infinity",
    "1\x00",
    "\x00",
    str(2**15),
    str(2**31 - 1),
    str(2**31),
    str(2**63 - 1),
    str(2**63),
    str(2**64),
    "9" * 30,
    "9" * 5000,
)


def hostile_number() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(ODD_NUMBERS),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.text(st.characters(codec="utf-8"), max_size=8),
    )


# ---------------------------------------------------------------------------------------
# Judging a page


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}


class _LiveMarkup(HTMLParser):
    """Collects markup that came from the input and would run or render as markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        text = self.get_starttag_text() or tag
        if MARK in tag:
            self.found.append(text)
        for name, value in attrs:
            if MARK in name:
                self.found.append(text)
            elif value and MARK in value:
                lowered = value.strip().lower()
                if (
                    name.startswith("on")
                    or name == "srcdoc"
                    or (name in URL_ATTRIBUTES and lowered.startswith("javascript:"))
                ):
                    self.found.append(text)
        if tag in ("script", "style"):
            self._in_script = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and MARK in data:
            self.found.append(f"<script>{data[:80]}")

    def handle_comment(self, data: str) -> None:
        if MARK in data:
            self.found.append(f"<!--{data[:80]}-->")


def calendar_injection(content: bytes) -> list[str]:
    """Properties or events of a calendar feed that came from the input."""
    found = []
    for component in Calendar.from_ical(content).walk():
        found += [f"{component.name}:{name}" for name in component if MARK.upper() in name]
    return found


def injected(page: Any) -> list[str]:
    """What of the input a page would run or treat as structure, by the page's type."""
    content_type = page.get("Content-Type", "")
    if getattr(page, "streaming", False) or not content_type:
        return []
    if content_type.startswith("text/html"):
        return live_markup(page.content.decode(errors="replace"))
    if content_type.startswith("text/calendar"):
        return calendar_injection(page.content)
    return []


def live_markup(content: str) -> list[str]:
    """Markup from the input that the browser would treat as markup, not text."""
    if MARK not in content:
        return []
    parser = _LiveMarkup()
    parser.feed(content)
    parser.close()
    found = parser.found
    lowered = content.lower()
    if f"<script>{MARK}".lower() in lowered:
        found.append(f"<script>{MARK}")
    return found
