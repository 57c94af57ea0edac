"""Propose a draft audit from a published report's text.

Each value found comes with the passage it was read from (see `lines.Flat.passage`),
so the auditor can check it against the source before anything is saved.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from typing import Any

from .lines import Flat, Passage, ends_sentence, join, marker, squash, starts_lower
from .questions import as_dicts, find_questions
from .recommendations import find_recommendations
from .text import Line, Source
from .words import (
    DAY_MONTH,
    ISO_DATE,
    MONTHS,
    YEAR,
    is_heading,
    parse_date,
    parse_month,
    plain,
    scale_of,
)

Dated = tuple[datetime.date, Passage]
# A cover letter goes out within weeks of the report's date; later ones are other letters.
LETTER_AFTER_REPORT = datetime.timedelta(days=120)
PUBLIC_KEYS = (
    "title",
    "region",
    "date",
    "firm",
    "questions",
    "overall_assessment",
    "recommendations",
    "response_deadline",
)

REGION = re.compile(
    r"\b(Region\s+[A-ZÅÄÖ][\wåäöéü-]+|[A-ZÅÄÖ][\wåäöéü-]+\s+(?:kommun|stad|landsting)"
    r"|Landstinget\s+[A-ZÅÄÖ][\wåäöéü-]+)\b"
)
FIRMS = re.compile(
    r"\b(PwC|Öhrlings\s+PricewaterhouseCoopers|PricewaterhouseCoopers|KPMG|EY|Ernst\s+&\s+Young"
    r"|Deloitte|Grant\s+Thornton|BDO|Forvis\s+Mazars|Mazars"
    r"|Skandinaviska\s+Kommunalrevisorer|Komrev|R3\s+Revisionskontor)\b"
)
FIRM_SENTENCE = re.compile(
    r"(?:^|\n)([A-ZÅÄÖ][\w&.-]*(?:[ \t]+[A-ZÅÄÖ&][\w&.-]*){0,5})\s+har\s+(?:på\s+uppdrag|av\s+\w+"
    r"\s+revisorer|fått\s+i\s+uppdrag)"
)
TITLES = (
    r"revisor|konsult|ledare|sakkunnig|granskare|specialist|expert|kvalitetssäkr|rådgivare"
    r"|revisionschef|uppdragsansvarig|projektmedarbetare|analytiker|utredare"
)
PERSON = re.compile(
    rf"^([A-ZÅÄÖ][a-zåäöéüA-ZÅÄÖ-]+(?:\s+[A-ZÅÄÖ][a-zåäöéüA-ZÅÄÖ-]+){{1,3}})\s*[,–-]\s*"
    rf"((?:[\wåäöÅÄÖ-]+\s+){{0,4}}?[\wåäöÅÄÖ-]*(?:{TITLES})[\wåäö]*(?:\s+[\wåäöÅÄÖ-]+){{0,3}})$",
)
NAME = re.compile(r"^[A-ZÅÄÖ][a-zåäöéü-]+(?:\s+[A-ZÅÄÖ][a-zåäöéü-]+){1,2}$")
TITLE_LINE = re.compile(rf"^(?:[\wåäöÅÄÖ-]+\s+){{0,4}}?[\wåäöÅÄÖ-]*(?:{TITLES})[\wåäö]*$", re.I)
PURPOSE = re.compile(
    r"Syftet\s+med\s+(?:granskningen|denna\s+granskning|uppdraget|revisionen)\s+"
    r"(?:har\s+varit|är|var)\s+att\s+(.+?[.])(?=\s+[A-ZÅÄÖ]|\s*$)",
    re.S,
)
OVERALL = re.compile(
    r"(?:(?:Vår|Den|[A-ZÅÄÖ][\wåäö]+s)\s+(?:samlade|sammanfattande|övergripande|sammantagna)\s+"
    # "... bedömning utifrån granskningens syfte är att": a short qualifier may come first.
    r"(?:revisionella\s+)?bedömning(?:en)?(?:\s+[^.]{1,60}?)?\s+(?:är|blir)\s+att"
    r"|(?:Vår|Den)\s+revisionella\s+bedömning(?:en)?\s+(?:är|blir)\s+att"
    r"|(?:Vi|Revisorerna|Revisionen)\s+bedömer\s+"
    r"(?:sammantaget|sammanfattningsvis|därmed\s+sammantaget)\s+att"
    r"|(?:Sammantaget|Sammanfattningsvis)\s+(?:bedömer\s+vi|är\s+vår\s+bedömning)\s+att"
    r"|Vi\s+gör\s+(?:den\s+)?(?:samlade|sammanfattande|övergripande|sammantagna)\s+"
    r"bedömningen\s+att"
    r"|Vår\s+(?:samlade\s+|sammanfattande\s+|övergripande\s+)?slutsats\s+är\s+att"
    # An audit of one question: its answer is the overall assessment.
    r"|Svaret\s+på\s+(?:gransknings|revisions|huvud)frågan\s+är"
    # "Utifrån genomförd granskning är vår sammanfattande bedömning att ...": the
    # sentence starts at its first word, after a full stop or a paragraph break.
    r"|(?:(?<=[.!?]\s)|(?<=\n\n)|^)[A-ZÅÄÖ][^.\n]{0,80}\s(?:är|blir)\s+(?:vår|den)\s+"
    r"(?:samlade|sammanfattande|övergripande|sammantagna)\s+(?:revisionella\s+)?"
    r"bedömning(?:en)?\s+att)",
)
OVERALL_HEADINGS = {
    "samlad bedömning",
    "sammanfattande bedömning",
    "övergripande bedömning",
    "samlad revisionell bedömning",
    "sammanfattande revisionell bedömning",
    "revisionell bedömning",
    "sammantagen bedömning",
    "vår samlade bedömning",
    "slutsats",
    "slutsatser",
    "samlad slutsats",
    # The answer to the audit's purpose is its overall assessment.
    "svar på granskningens syfte",
    "svar på syftet",
}
_DATE = rf"(\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}(?::e|e)?\s+(?:{'|'.join(MONTHS)})(?:\s+\d{{4}})?)"
# "senast den 15 september", "före den 1 april 2025", "senast fredagen den 13 juni";
# not a yearly rule ("senast den 30 april varje år").
_BY = r"(?:senast|före|innan)\s+(?:(?:må|ti|ons|tors|fre|lör|sön)dag(?:en)?\s+)?(?:den\s+|per\s+)?"
_NOT_YEARLY = r"(?!\s+(?:varje|årligen|respektive|vart|året\s+efter|efter\s+(?:ett|varje)))"
# Asking for an answer, rather than a report or feedback some rule requires by a date.
_ASKS_ANSWER = re.compile(r"svar|yttr|besvara", re.I)
# An answer the body owes someone else ("svar på länsstyrelsens enkät senast ...").
_OTHER_AUTHORITY = re.compile(
    r"länsstyrelse|enkät|inspektion|myndighet|socialstyrelsen|skolverket|departement", re.I
)
DEADLINE = [
    re.compile(
        rf"(?:svar|yttrande|yttra|besvara|redovis|återkoppl|synpunkter)[^.]{{0,240}}?{_BY}"
        rf"{_DATE}{_NOT_YEARLY}",
        re.I,
    ),
    re.compile(
        rf"{_BY}{_DATE}{_NOT_YEARLY}[^.]{{0,120}}?(?:svar|yttrande|besvara|redovis)",
        re.I,
    ),
]
DOC_TYPES = re.compile(
    r"^(revisionsrapport|granskningsrapport|rapport|missiv|grundläggande\s+granskning"
    r"|fördjupad\s+granskning|förstudie|pm|promemoria|slutrapport|revisionsskrivelse)"
    r"(\s+(nr|nummer)\s*\S+|\s+\d{4}[:/]\d{1,3}|\s+\d{1,3}[:/]\d{4}|\s+(19|20)\d\d)?$",
    re.I,
)
# Labelled lines of a title page that are not its title ("Dnr ...", "Uppdragsgivare: ...").
TITLE_PAGE_LABEL = re.compile(
    r"^(dnr|diarienummer|datum|uppdragsgivare|granskningsobjekt|författare|kvalitetssäkring"
    r"|beställare|till|kopia)\b",
    re.I,
)
# "Rapportdatum: 17 juni 2025", "Uppdragsledare: Sofia Ahlgren": a label and its value.
LABEL_VALUE = re.compile(r"^[A-ZÅÄÖ][\wåäö-]{2,24}:\s+\S")
SUBTITLE = re.compile(
    r"^granskning\s+av\s+[\wåäö -]*(?:nämnden|nämnderna|styrelsen|utskottet|bolaget|AB)$",
    re.I,
)
PARTNERS = re.compile(r"^[A-ZÅÄÖ][\wåäöé-]+\s+&\s+[A-ZÅÄÖ][\wåäöé-]+$")
VERSION = re.compile(r"^version\s+\d", re.I)
# The auditors and their own audit office: not an audit firm.
AUDITORS_THEMSELVES = re.compile(
    r"^(stads|kommun|region|landstings)?revision(en)?$|^revisorerna$|^de\s+förtroendevalda"
    r"|^revisions(kontor|enhet|avdelning|kansli)(et|en)?$|^lekmannarevisor",
    re.I,
)
VERSION_ROW = re.compile(
    r"^(?:v(?:ersion)?\s*)?\d{1,2}\.\d{1,2}\s+(?:\d{4}-\d{2}-\d{2}|\d{1,2}\s)", re.I
)
FRONT_END = re.compile(r"^(innehållsförteckning|innehåll|sammanfattning)\b", re.I)
# A cover letter's signature lines: "Anna Berg, ordförande", "Vice ordförande".
PERSON_OR_ROLE = re.compile(
    r"^[A-ZÅÄÖ][\wåäöé-]+(?:\s+[A-ZÅÄÖ][\wåäöé-]+){1,3}\s*,\s*[\wåäö -]{3,40}$"
    r"|^(ordförande|vice ordförande|revisor|förtroendevald revisor)$",
    re.I,
)
# A company's name on a title page: "Revisionsbyrån Kvarnström AB".
COMPANY = re.compile(
    r"^[A-ZÅÄÖ][\w&.-]*(?:\s+[\w&.-]+){0,5}\s+(?:AB|HB|KB)$"
    r"|^[A-ZÅÄÖ][\w&.-]*(?:\s+[\w&.-]+){0,4}$"
)
LET_AUDIT = re.compile(r"låtit\s+([A-ZÅÄÖ][\w&.-]*(?:\s+[\w&.-]+){0,5}?\s+AB)\s+granska")
# "Lekmannarevisorerna har med biträde av Hagström Kommunkonsult AB granskat ..."
ASSISTED = re.compile(
    r"(?:med\s+(?:stöd|biträde|hjälp)\s+av|biträdda\s+av|biträdd\s+av)\s+"
    r"([A-ZÅÄÖ][\w&.-]*(?:\s+[\w&.-]+){0,5}?\s+(?:AB|HB|KB))\b"
)


def propose_report(source: Source) -> dict[str, Any]:
    flat = Flat(_without_contents(source))
    sources: dict[str, Passage] = {}

    def found(name: str, value: Any, passage: Passage | None) -> Any:
        if value is not None and passage is not None:
            sources[name] = passage
        return value

    front = _front_page(flat)
    region, region_at = _region(flat, front)
    date, date_at = _date(flat, front)
    deadline, letter = _deadline(flat, date)
    issued = _issued(date, deadline, letter)
    firm, firm_at = _firm(flat, front)
    title, title_at = _title(flat, front, region)
    consultants, consultants_at = _consultants(flat)
    purpose, purpose_at = _purpose(flat)
    overall, overall_at = _overall(flat)
    questions = find_questions(flat)
    recommendations, addressee = find_recommendations(flat)
    year = date.year if date else _year(flat, front)
    labels = [q.rating for main in questions for q in [main, *main.sub_questions] if q.rating]
    return {
        "title": found("title", title, title_at) or "",
        "region": found("region", region, region_at),
        "date": found("date", date.isoformat() if date else None, date_at),
        "year": year,
        "firm": found("firm", firm, firm_at),
        "consultants": found("consultants", consultants or None, consultants_at) or [],
        "purpose": found("purpose", purpose, purpose_at),
        "scale": scale_of(labels),
        "questions": as_dicts(flat, questions),
        "overall_assessment": found("overall_assessment", overall, overall_at),
        "recommendations": recommendations,
        "addressee": addressee,
        "response_deadline": found("response_deadline", *_iso(deadline)),
        # Not in the public JSON: the review proposes it as the issue date.
        "issued_date": found("issued_date", *_iso(issued)),
        "sources": sources,
    }


def public_json(proposal: dict[str, Any]) -> dict[str, Any]:
    """The proposal in the shape `import_report --json` prints."""

    def question(q: dict[str, Any]) -> dict[str, Any]:
        return {
            "number": q["number"],
            "text": q["text"],
            "rating": q["rating"],
            "sub_questions": [question(sub) for sub in q["sub_questions"]],
        }

    data = {key: proposal[key] for key in PUBLIC_KEYS}
    data["questions"] = [question(q) for q in proposal["questions"]]
    data["recommendations"] = [
        {"number": r["number"], "text": r["text"]} for r in proposal["recommendations"]
    ]
    return data


# The parts ---------------------------------------------------------------------------


def _without_contents(source: Source) -> list[Line]:
    """The table of contents repeats every heading with a page number; drop it."""
    lines = source.lines
    out: list[Line] = []
    pending: list[Line] = []
    in_contents = False
    for line in lines:
        text = line.text
        if re.match(r"^(innehållsförteckning|innehåll)$", text, re.I):
            in_contents = True
            continue
        if re.search(r"(\.{3,}|…)\s*\d{1,3}$", text):
            continue
        if in_contents:
            numbered = bool(re.search(r"(^|\s)\d{1,3}$", text)) and len(text) < 100
            if numbered:
                pending = []
                continue
            # An entry too long for its line wraps: its page number is on the next line.
            pending.append(line)
            if len(pending) < 2:
                continue
            in_contents = False
            out.extend(pending)
            pending = []
            continue
        out.append(line)
    return out


def _front_page(flat: Flat) -> tuple[int, int]:
    """Line range of the title page: the report's first lines up to its contents or
    summary. A cover letter before the report is skipped (it ends with a signature)."""
    lines = [line.text for line in flat.lines]
    start = _after_letter(lines)
    if start:
        # The letter may follow the title page ("Revisionsrapport" comes before it).
        letter = next(
            (
                i
                for i, t in enumerate(lines[:start])
                if re.match(r"^(missiv|skrivelse|till)\b", t, re.I)
            ),
            start,
        )
        if any(DOC_TYPES.match(t) for t in lines[:letter]):
            start = 0
    for i, text in enumerate(lines[start : start + 80], start=start):
        if DOC_TYPES.match(text) and i > start:
            start = i
            break
    stop = start + 15
    for i in range(start + 1, min(len(lines), start + 25)):
        if FRONT_END.match(lines[i]) or re.match(r"^1\.?\s+[A-ZÅÄÖ]", lines[i]):
            stop = i
            break
    return start, min(stop, len(lines))


def _after_letter(lines: list[str]) -> int:
    """Where the report starts when a cover letter comes first: after the letter's
    signature ("För revisorerna i X kommun" and the names under it)."""
    for i, text in enumerate(lines[:80]):
        if re.match(r"^(för|på uppdrag av)\s+.*revisor", text, re.I):
            j = i + 1
            while j < len(lines) and _signature_line(lines[j]):
                j += 1
            if any(FRONT_END.match(plain(line)) for line in lines[j : j + 40]):
                return j
    return 0


def _signature_line(text: str) -> bool:
    """A name or a role under a signature; two signatures side by side ("Ingrid Paulsson
    Bertil Öhman", their roles below); "Bilaga: Revisionsrapport 2025:7"."""
    if re.match(r"^bilag(a|or)\b", text, re.I):
        return True
    parts = [part for part in re.split(r"\s{2,}", text.strip()) if part]
    if len(parts) == 1 and len(text.split()) in (4, 6):
        # Side by side with single spaces, as extraction may leave them.
        words = text.split()
        half = len(words) // 2
        parts = [" ".join(words[:half]), " ".join(words[half:])]
        if not all(NAME.match(part) for part in parts):
            parts = [text]
    return bool(parts) and all(PERSON_OR_ROLE.match(p) or NAME.match(p) for p in parts)


def _region(flat: Flat, front: tuple[int, int]) -> tuple[str | None, Passage | None]:
    start, stop = front
    for i in range(start, stop):
        if m := REGION.search(flat.lines[i].text):
            return squash(m[1]), flat.passage_of_lines(i, i + 1)
    counts = Counter(squash(m[1]) for m in REGION.finditer(flat.text))
    if not counts:
        return None, None
    name = counts.most_common(1)[0][0]
    first = next(m for m in REGION.finditer(flat.text) if squash(m[1]) == name)
    return name, flat.passage(first.start(), first.end())


def _date(flat: Flat, front: tuple[int, int]) -> tuple[datetime.date | None, Passage | None]:
    start, stop = front
    # A version history ("0.9 2025-02-07 Utkast", "1.0 2025-03-03 Slutlig rapport"):
    # the report is dated by its latest version, not its first draft.
    versions = [
        (day, i)
        for i in range(start, min(stop + 10, len(flat.lines)))
        if VERSION_ROW.match(flat.lines[i].text) and (day := parse_date(flat.lines[i].text))
    ]
    if versions:
        day, i = max(versions)
        return day, flat.passage_of_lines(i, i + 1)
    # The title page's date first, then a cover letter's (first 40 lines).
    for first, last in ((start, stop), (0, min(40, len(flat.lines)))):
        for i in range(first, last):
            text = flat.lines[i].text
            if re.search(r"senast|före\s+den|innan\s+den", text, re.I):
                continue
            day = parse_date(text) or parse_month(text)
            if day is not None:
                return day, flat.passage_of_lines(i, i + 1)
    return None, None


def _year(flat: Flat, front: tuple[int, int]) -> int | None:
    start, stop = front
    years = [int(m[1]) for line in flat.lines[start:stop] for m in YEAR.finditer(line.text)]
    return max(years) if years else None


def _iso(dated: Dated | None) -> tuple[str | None, Passage | None]:
    return (dated[0].isoformat(), dated[1]) if dated else (None, None)


def _deadline(flat: Flat, dated: datetime.date | None) -> tuple[Dated | None, Dated | None]:
    """The response deadline, and the date of the letter (or closing paragraph) that
    asks for it."""
    found = [m for pattern in DEADLINE for m in pattern.finditer(flat.text)]
    # A request for an answer goes before a date something must be reported by, and a
    # report by a date counts only when it goes to the auditors ("Planen ska redovisas
    # för styrelsen senast ..." is the body's own plan).
    found = [
        m
        for m in found
        if (_ASKS_ANSWER.search(m[0]) or _to_auditors(flat.text, m))
        and not _OTHER_AUTHORITY.search(m[0])
    ]
    found.sort(key=lambda m: not _ASKS_ANSWER.search(m[0]))
    for m in found:
        written = m[1]
        letter = _letter_date(flat, m.start(), m.end())
        day = parse_date(written)
        if day is None:
            base = letter[0] if letter else dated
            if base is None:
                continue
            day = parse_date(written, default_year=base.year)
            if day is not None and day < base:
                day = parse_date(written, default_year=base.year + 1)
        if day is not None:
            return (day, flat.passage(m.start(), m.end())), letter
    return None, None


def _to_auditors(text: str, m: re.Match[str]) -> bool:
    """The sentence around the match names the auditors."""
    start = max(text.rfind(". ", 0, m.start()), text.rfind("\n\n", 0, m.start()), 0)
    stop = text.find(".", m.end())
    sentence = text[start : stop if stop != -1 else len(text)]
    return bool(re.search(r"revisor|revisionen", sentence, re.I))


def _letter_date(flat: Flat, at: int, after: int) -> Dated | None:
    """The date of the letter a deadline is written in: the last full date in the
    1,500 characters before it, else a signing date ("Norrås den 24 januari 2024") in
    the 400 after it."""
    windows = ((max(0, at - 1500), at, True), (after, after + 400, False))
    for start, stop, last_first in windows:
        text = flat.text[start:stop]
        found = [m.start() for m in (*ISO_DATE.finditer(text), *DAY_MONTH.finditer(text))]
        for offset in sorted(found, reverse=last_first):
            if day := parse_date(text[offset:]):
                return day, flat.passage(start + offset, start + offset + 1)
    return None


def _issued(
    dated: datetime.date | None, deadline: Dated | None, letter: Dated | None
) -> Dated | None:
    """The cover letter's date is the day the report was issued: it is sent after the
    report is dated and before the answer is due. Any other date before the request
    (a decision the report quotes) is not."""
    if deadline is None or letter is None:
        return None
    day = letter[0]
    if dated is not None and not dated <= day <= dated + LETTER_AFTER_REPORT:
        return None
    return letter if day < deadline[0] else None


def _firm(flat: Flat, front: tuple[int, int]) -> tuple[str | None, Passage | None]:
    """The audit firm: a known name, then "X har på uppdrag av ...", "låtit X AB
    granska", then a company on the title page."""
    if m := FIRMS.search(flat.text):
        return squash(m[1]), flat.passage(m.start(), m.end())
    for pattern in (FIRM_SENTENCE, LET_AUDIT, ASSISTED):
        for m in pattern.finditer(flat.text):
            if m[1].casefold() in {"vi", "vi revisorer"} or AUDITORS_THEMSELVES.match(m[1]):
                continue
            return squash(m[1]), flat.passage(m.start(1), m.end())
    for needs_company in (True, False):
        for i in range(*front):
            text = flat.lines[i].text
            if not COMPANY.match(text) or DOC_TYPES.match(text) or PERSON.match(text):
                continue
            if REGION.search(text):
                continue
            if AUDITORS_THEMSELVES.match(text.strip()) or ends_sentence(text):
                continue
            if re.search(r"\b(AB|HB|KB)$", text) or (
                not needs_company and re.search(r"\brevision(?!sfråg)|revisionsbyrå", text, re.I)
            ):
                return squash(text), flat.passage_of_lines(i, i + 1)
    return None, None


def _title(
    flat: Flat, front: tuple[int, int], region: str | None
) -> tuple[str | None, Passage | None]:
    start, stop = front
    fallback: tuple[str, Passage] | None = None
    for i in range(0, min(len(flat.lines), stop + 40)):
        text = flat.lines[i].text
        if re.match(
            r"^(uppföljande\s+|fördjupad\s+|grundläggande\s+)?granskning\s+av\s+\S", text, re.I
        ):
            lines = [text]
            if not ends_sentence(text) and i + 1 < len(flat.lines):
                following = flat.lines[i + 1].text
                if starts_lower(following) and len(following) < 60 and not parse_date(following):
                    lines.append(following)
            if start <= i < stop and SUBTITLE.match(text) and fallback is None:
                # "Granskning av barn- och utbildningsnämnden" under the title proper
                # names the audited body: the title is the other title-page text.
                fallback = join(lines), flat.passage_of_lines(i, i + len(lines))
                continue
            return join(lines).rstrip("."), flat.passage_of_lines(i, i + len(lines))
    # The title follows the document type ("Revisionsrapport"), or on some title pages
    # precedes it.
    ranges = ((start, stop, False), (max(0, start - 8), start, False), (start, stop, True))
    for first_line, last_line, logos in ranges:
        parts, first = [], None
        for i in range(first_line, last_line):
            text = flat.lines[i].text
            if _not_title(text, region) or (_logo(text) and not logos):
                continue
            if parts and i > (first or 0) + len(parts):
                break
            if len(text) > 100 or len(parts) == 3:
                break
            first = i if first is None else first
            parts.append(text)
        if parts and first is not None:
            return join(parts), flat.passage_of_lines(first, first + len(parts))
    return fallback or (None, None)


def _logo(text: str) -> bool:
    """A firm's logo as text, a word or two in capitals ("HAGSTRÖM" / "KOMMUNKONSULT")
    or partners' names ("Thorén & Lindgren"); a title only if nothing else on the title
    page is one."""
    return (text.isupper() and len(text.split()) <= 2) or bool(PARTNERS.match(text))


def _not_title(text: str, region: str | None) -> bool:
    if DOC_TYPES.match(text) or FRONT_END.match(text):
        return True
    if TITLE_PAGE_LABEL.match(text) or LABEL_VALUE.match(text) or VERSION.match(text):
        return True
    if re.match(r"^[A-ZÅÄÖ][\w&.-]*(?:\s+[\w&.-]+){0,5}\s+(?:AB|HB|KB)$", text):
        return True  # the firm
    # The audit office's own name in capitals ("STADSREVISIONEN").
    if text.isupper() and AUDITORS_THEMSELVES.match(text.strip()):
        return True
    if region and squash(text) == region:
        return True
    if parse_month(text) or parse_date(text) or re.fullmatch(r"(19|20)\d\d", text):
        return True
    if SUBTITLE.match(text):
        return True
    if PERSON.match(text) or FIRMS.fullmatch(text) or TITLE_LINE.match(text):
        return True
    return bool(NAME.match(text) and len(text.split()) <= 3 and text.istitle())


def _consultants(flat: Flat) -> tuple[list[dict[str, str]], Passage | None]:
    people: dict[str, dict[str, str]] = {}
    first = last = None
    lines = [line.text for line in flat.lines]
    for i, text in enumerate(lines):
        name = title = None
        if len(text) <= 90 and (m := PERSON.match(text)):
            name, title = m[1], m[2]
        elif NAME.match(text) and i + 1 < len(lines) and TITLE_LINE.match(lines[i + 1]):
            name, title = text, lines[i + 1]
        if name and title and name not in people and not is_heading(text):
            people[name] = {"name": squash(name), "title": squash(title)}
            first = i if first is None else first
            last = i + 1
    if not people or first is None or last is None:
        return [], None
    return list(people.values()), flat.passage_of_lines(first, last)


def _purpose(flat: Flat) -> tuple[str | None, Passage | None]:
    if m := PURPOSE.search(flat.text):
        return squash(m[0]), flat.passage(m.start(), m.end())
    return None, None


def _overall(flat: Flat) -> tuple[str | None, Passage | None]:
    lines = [line.text for line in flat.lines]
    start = None
    if m := OVERALL.search(flat.text):
        start = flat.line_at(m.start())
        offset = m.start() - flat.starts[start]
        lines = [*lines[:start], lines[start][offset:], *lines[start + 1 :]]
    else:
        headings = [(i, plain(text)) for i, text in enumerate(lines)]
        headings = [(i, words) for i, words in headings if words in OVERALL_HEADINGS]
        counts = Counter(words for _i, words in headings)
        for i, words in headings:
            # A heading on every question's assessment ("Revisionell bedömning") is not
            # the overall one.
            if counts[words] == 1 and i + 1 < len(lines):
                start = i + 1
                break
    if start is None:
        return None, None
    taken = [lines[start]]
    i = start + 1
    while i < len(lines) and len(taken) < 25:
        text = lines[i]
        if is_heading(text) or re.match(r"^(vi\s+)?rekommend", text, re.I):
            break
        previous = taken[-1]
        # A new paragraph: keep going only while it still reads as the assessment.
        new_paragraph = (
            ends_sentence(previous)
            and not previous.endswith(":")
            and not (marker(text) or starts_lower(text))
        )
        if new_paragraph and not re.match(
            r"^(vi\s+|vår\s+|det\s+är\s+vår|sammantaget|därmed)", text, re.I
        ):
            break
        taken.append(text)
        i += 1
    text = "\n".join(_bulleted(taken))
    return text, flat.passage_of_lines(start, start + len(taken))


def _bulleted(lines: list[str]) -> list[str]:
    """Keep a bulleted list's items on lines of their own, as "– item"."""
    out: list[str] = []
    for text in lines:
        found = marker(text)
        if found and found[0] == "bullet":
            out.append(f"– {found[2]}")
        elif out:
            out[-1] = f"{out[-1]} {text}"
        else:
            out.append(text)
    return [squash(line) for line in out]
