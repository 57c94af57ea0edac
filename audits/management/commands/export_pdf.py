"""Write one of the PDF documents to a file, e.g.

python manage.py export_pdf --audit 1 --kind report --out report.pdf
python manage.py export_pdf --region norrbotten --kind followup --year 2021 --out f.pdf
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from audits.exports import DocumentRequest, Kind, NotFound, render
from recommendations.models import Recommendation
from regions.access import operator_scope

# What each kind is about; the others are refused rather than silently ignored.
NEEDS = {
    Kind.REPORT: "audit",
    Kind.COVER_LETTER: "audit",
    Kind.RESPONSE: "audit",
    Kind.FOLLOWUP: "region",
}


class Command(BaseCommand):
    help = (
        "Render an audit report, cover letter, response summary, follow-up report or "
        "comparison memo as PDF/A."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", required=True, choices=[kind.value for kind in Kind])
        parser.add_argument("--audit", type=int, help="The audit's id.")
        parser.add_argument("--region", help="The region's code (follow-up report).")
        parser.add_argument(
            "--body", type=int, help="One body: its cover letter, or a follow-up filter."
        )
        parser.add_argument(
            "--question-set", type=int, help="Comparison memo: the question set's id."
        )
        parser.add_argument("--year", type=int, help="Follow-up report: the audits' year.")
        parser.add_argument(
            "--status",
            choices=[value for value, _ in Recommendation.Status.choices],
            help="Follow-up report: only recommendations with this status.",
        )
        parser.add_argument(
            "--lang", default=settings.LANGUAGE_CODE, choices=[c for c, _ in settings.LANGUAGES]
        )
        parser.add_argument("--out", required=True, type=Path, help="Where to write the PDF.")

    def handle(self, *args, **options) -> None:
        kind = Kind(options["kind"])
        needed = NEEDS.get(kind)
        if needed and options[needed] is None:
            raise CommandError(f"--kind {kind} needs --{needed}.")
        if kind == Kind.COMPARISON and not (options["audit"] or options["question_set"]):
            raise CommandError("--kind comparison needs --question-set or --audit.")
        request = DocumentRequest(
            kind,
            audit=options["audit"],
            body=options["body"],
            region=options["region"],
            question_set=options["question_set"],
            year=options["year"],
            status=options["status"],
        )
        try:
            rendered = render(request, operator_scope(), language=options["lang"])
        except NotFound as missing:
            raise CommandError(str(missing)) from missing
        out: Path = options["out"]
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(rendered.data)
        self.stdout.write(f"{out}: {rendered.title} ({len(rendered.data)} bytes)")
