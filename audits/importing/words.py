"""Swedish words the readers recognise: dates, rating levels, list markers, headings."""

from __future__ import annotations

import datetime
import re

MONTHS = {
    "januari": 1,
    "februari": 2,
    "mars": 3,
    "april": 4,
    "maj": 5,
    "juni": 6,
    "juli": 7,
    "augusti": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}
_MONTH = "|".join(MONTHS)
ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?::e|e)?\s+({_MONTH})(?:\s+(\d{{4}}))?\b", re.IGNORECASE)
MONTH_YEAR = re.compile(rf"\b({_MONTH})\s+(\d{{4}})\b", re.IGNORECASE)
YEAR = re.compile(r"\b(199\d|20\d\d)\b")

# List markers as PDF text shows them: bullets (Word's private-use bullet too), dashes,
# numbers "1." "1)" "1.1", letters "a)" "a.".
# "o" is Word's second-level bullet (Courier New), before a capitalised item only.
BULLET = re.compile(r"^(?:[●•○◦▪■►▸➢✓\uf0b7\uf0a7]|[-–—*](?=\s)|o(?=\s+[A-ZÅÄÖ]))\s*")
NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)(?:[.):]\s*|\s+)(?=\S)")
LETTER = re.compile(r"^([a-h])[.)]\s+(?=\S)")
ROMAN = re.compile(r"^((?:i{1,3}|iv|vi{0,3}|ix|x))[.)]\s+(?=\S)")  # "ii. redovisa ..."
PAREN_NUMBER = re.compile(r"^\((\d{1,2})\)\s+(?=\S)")  # "(1) revidera ..."
# A sub-question lettered under its main question's number: "1a Finns ...", "2b) Är ...".
NUMBER_LETTER = re.compile(r"^(\d{1,2}[a-h])(?:[.):]\s*|\s+)(?=[A-ZÅÄÖ])")

# Section headings that end a list (a numbered "1.3 Revisionskriterier" looks like a
# numbered list item otherwise).
HEADING_WORDS = {
    "sammanfattning",
    "inledning",
    "bakgrund",
    "syfte",
    "syfte och revisionsfrågor",
    "syfte och avgränsning",
    "revisionsfrågor",
    "revisionskriterier",
    "kriterier",
    "avgränsning",
    "avgränsningar",
    "metod",
    "metod och genomförande",
    "genomförande",
    "granskningsansats",
    "ansvarig nämnd",
    "ansvarig styrelse",
    "iakttagelser",
    "iakttagelser och bedömningar",
    "bedömning",
    "bedömningar",
    "kommentar",
    "slutsatser",
    "rekommendationer",
    "samlad bedömning",
    "sammanfattande bedömning",
    "bilagor",
    "bilaga",
    "källförteckning",
    "innehållsförteckning",
    "innehåll",
}
HEADING_FIRST_WORDS = {words.split(" ")[0] for words in HEADING_WORDS}


def plain(text: str) -> str:
    """A heading's words without its number and punctuation, lower case."""
    text = re.sub(r"^\d+(?:\.\d+)*\.?\s*", "", text.strip())
    return text.strip(" :.").casefold()


def is_heading(text: str) -> bool:
    words = plain(text)
    if words in HEADING_WORDS:
        return True
    numbered = re.match(r"^\d+(?:\.\d+)*\.?\s+[A-ZÅÄÖ]", text)
    return bool(
        numbered
        and len(text) <= 70
        and not text.rstrip().endswith((".", "?", ":", ","))
        and words.split(" ")[0] in HEADING_FIRST_WORDS
    )


def parse_date(text: str, *, default_year: int | None = None) -> datetime.date | None:
    """The first full date in `text`: 2021-02-15, 15 februari 2021 (or without a year
    when `default_year` says which)."""
    found = []
    if m := ISO_DATE.search(text):
        found.append((m.start(), _date(int(m[1]), int(m[2]), int(m[3]))))
    for m in DAY_MONTH.finditer(text):
        year = int(m[3]) if m[3] else default_year
        if year is not None:
            found.append((m.start(), _date(year, MONTHS[m[2].lower()], int(m[1]))))
            break
    found = [(at, day) for at, day in found if day is not None]
    return min(found)[1] if found else None


def parse_month(text: str) -> datetime.date | None:
    """'Februari 2021' as the first of that month."""
    if m := MONTH_YEAR.search(text):
        return _date(int(m[2]), MONTHS[m[1].lower()], 1)
    return None


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


# Rating phrases, most specific first; each gives a level label of a shipped scale.
RATINGS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:ej|inte|icke)\s+uppfyll(?:d|t|da)\b", re.I), "Ej uppfylld"),
    (re.compile(r"\bdelvis\s+uppfyll(?:d|t|da)\b", re.I), "Delvis uppfylld"),
    (re.compile(r"\b(?:i\s+allt\s+väsentligt\s+)?uppfyll(?:d|t|da)\b", re.I), "Uppfylld"),
    (re.compile(r"\bi\s+allt\s+väsentligt\b", re.I), "I allt väsentligt"),
    (re.compile(r"\btill\s+övervägande\s+del\b", re.I), "Till övervägande del"),
    (re.compile(r"\bdelvis\b", re.I), "Delvis"),
    (re.compile(r"\bja\b", re.I), "Ja"),
    (re.compile(r"\bnej\b", re.I), "Nej"),
    (re.compile(r"\bgr(?:ön|önt|öna)\b", re.I), "Grön"),
    (re.compile(r"\bgul(?:t|a)?\b", re.I), "Gul"),
    (re.compile(r"\br(?:öd|ött|öda)\b", re.I), "Röd"),
]
RATING_WORDS = (
    r"(?:(?:ej|inte|icke|delvis|i\s+allt\s+väsentligt)\s+)?uppfyll(?:d|t|da)"
    r"|i\s+allt\s+väsentligt|till\s+övervägande\s+del|delvis|ja|nej"
    r"|gr(?:ön|önt|öna)|gul(?:t|a)?|r(?:öd|ött|öda)"
)


def rating_label(phrase: str) -> str | None:
    for pattern, label in RATINGS:
        if pattern.search(phrase):
            return label
    return None


SCALE_LEVELS = {
    "uppfylld": ["Uppfylld", "Delvis uppfylld", "Ej uppfylld"],
    "ja-delvis-nej": ["Ja", "Delvis", "Nej"],
    "fyrgradig": ["I allt väsentligt", "Till övervägande del", "Delvis", "Nej"],
    "trafikljus": ["Grön", "Gul", "Röd"],
}


def scale_of(labels: list[str]) -> str | None:
    """The shipped scale (its code) whose levels hold every label found, the smallest first."""
    found = set(labels)
    if not found:
        return None
    fitting = [code for code, levels in SCALE_LEVELS.items() if found <= set(levels)]
    if not fitting:
        return None
    return min(fitting, key=lambda code: len(SCALE_LEVELS[code]))
