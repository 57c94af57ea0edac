"""Read a published audit report (or a body's response) and print what the tool
proposes, without saving anything, e.g.

python manage.py import_report rapport.pdf --json
python manage.py import_report yttrande.pdf --response --json
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audits.importing import (
    UnreadableDocument,
    propose_report,
    propose_response,
    public_json,
    read_document,
)


class Command(BaseCommand):
    help = (
        "Propose a draft audit from a report (PDF or text), or a response from a body's "
        "response document, and print it. Nothing is saved: drafts are reviewed and saved "
        "in the web interface (Audits → Import a report)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--json", action="store_true", help="Print the proposal as JSON.")
        parser.add_argument(
            "--response", action="store_true", help="The file is a body's response."
        )
        parser.add_argument(
            "--sources",
            action="store_true",
            help="With --json: include the passage each value was read from.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror or exc}") from exc
        try:
            source = read_document(data)
        except UnreadableDocument as exc:
            raise CommandError(
                f"{path} has no text to read (a scanned PDF needs OCR first): {exc}"
            ) from exc
        if options["response"]:
            proposal = propose_response(source)
            shown = proposal if options["sources"] else _without_sources(proposal)
        else:
            proposal = propose_report(source)
            shown = proposal if options["sources"] else public_json(proposal)
        if options["json"]:
            self.stdout.write(json.dumps(shown, ensure_ascii=False, indent=2))
        elif options["response"]:
            self._print_response(proposal)
        else:
            self._print_report(proposal)

    def _print_report(self, p: dict[str, Any]) -> None:
        out = self.stdout.write
        for label, key in (
            ("Title", "title"),
            ("Region", "region"),
            ("Date", "date"),
            ("Cover letter dated", "issued_date"),
            ("Firm", "firm"),
            ("Response deadline", "response_deadline"),
            ("Rating scale", "scale"),
            ("Addressed to", "addressee"),
        ):
            out(f"{label}: {p.get(key) or '–'}")
        for person in p["consultants"]:
            out(f"Team: {person['name']}, {person['title']}")
        out(f"Purpose: {p['purpose'] or '–'}")
        out(f"Questions ({len(p['questions'])}):")
        for q in p["questions"]:
            out(f"  {q['number']}. {q['text']} [{q['rating'] or 'no rating'}]")
            for sub in q["sub_questions"]:
                out(f"    {sub['number']} {sub['text']} [{sub['rating'] or 'no rating'}]")
        out(f"Overall assessment: {p['overall_assessment'] or '–'}")
        out(f"Recommendations ({len(p['recommendations'])}):")
        for n, r in enumerate(p["recommendations"], start=1):
            out(f"  {r['number'] or n}. {r['text']}")

    def _print_response(self, p: dict[str, Any]) -> None:
        out = self.stdout.write
        out(f"Title: {p['title'] or '–'}")
        out(f"Body: {p['body'] or '–'}")
        out(f"Date: {p['date'] or '–'}")
        if p["answers"]:
            out(f"Answers ({len(p['answers'])}):")
            for a in p["answers"]:
                out(f"  {a['number'] or '?'}. {a['recommendation'] or ''}")
                out(f"     Svar: {a['text'][:200]}")
        else:
            out("One narrative response (not per recommendation):")
            out(p["narrative"] or "")


def _without_sources(proposal: dict[str, Any]) -> dict[str, Any]:
    shown = {key: value for key, value in proposal.items() if key != "sources"}
    shown["answers"] = [
        {key: value for key, value in a.items() if key != "source"} for a in proposal["answers"]
    ]
    return shown
