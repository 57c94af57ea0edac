"""Time the PDF exports on the configured database, leaving nothing behind.

python manage.py bench_pdf [--runs 7] [--recommendations 500] [--write]

The demo's Norrbotten audit gives the everyday documents (report, cover letter, response
summary, comparison memo); a synthetic region with hundreds of recommendations over
several years gives the largest document, the follow-up report. Everything the command
creates, the demo included when it was missing, is made inside one transaction that is
rolled back at the end, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime
import io
import os
import platform
import statistics
import time
from dataclasses import dataclass, field

import weasyprint
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from audits.demo import load_demo
from audits.exports import DocumentRequest, Kind, render
from audits.exports.synthetic import SyntheticRegion
from audits.models import Audit
from regions.access import operator_scope
from regions.models import Region
from tracker.benchmarks import (
    BENCHMARKS_FILE,
    database_option,
    database_place,
    database_version,
    load,
    write_section,
)
from tracker.benchmarks import wrapped as _wrapped

DEMO_REGION = "norrbotten"
DEMO_REFERENCE = "Nr 11/2021"
# The same data on every run and database, so numbers stay comparable.
SEED = 5
LANGUAGE = "sv"
SECTION = "## PDF rendering (issue 5)"


@dataclass
class Timing:
    document: str
    request: DocumentRequest
    goal: float | None = None
    seconds: list[float] = field(default_factory=list)
    pages: int = 0
    size: int = 0
    # Seconds per stage of render(), one list entry per timed run.
    stages: dict[str, list[float]] = field(default_factory=dict)

    def p50(self) -> float:
        return statistics.median(self.seconds)

    def max(self) -> float:
        return max(self.seconds)

    def stage_text(self) -> str:
        return ", ".join(
            f"{name} {statistics.median(seconds):.2f}" for name, seconds in self.stages.items()
        )

    def goal_text(self) -> str:
        return f"≤ {self.goal:g} s" if self.goal is not None else "–"

    def met(self) -> bool:
        return self.goal is None or self.p50() <= self.goal


# render() reports each stage as it ends, by percentage; these name what just finished.
STAGES = {10: "data", 20: "template", 40: "HTML parse", 80: "layout", 100: "PDF/A write"}


class StageClock:
    """A `progress` callback for render() that keeps the seconds each stage took."""

    def __init__(self) -> None:
        self.last = time.perf_counter()
        self.spent: dict[str, float] = {}

    def __call__(self, percent: int, stage: str) -> None:
        now = time.perf_counter()
        self.spent[STAGES.get(percent, stage)] = now - self.last
        self.last = now


def demo_audit(today: datetime.date) -> Audit:
    """The demo's Norrbotten audit, loading the demo first when it is missing."""
    lookup = {"region__code": DEMO_REGION, "reference_number": DEMO_REFERENCE}
    audit = Audit.objects.filter(**lookup).first()
    if audit is None:
        load_demo(today=today)
        audit = Audit.objects.get(**lookup)
    return audit


def page_count(data: bytes) -> int:
    # pypdf is a development dependency (the tests read PDFs back); import it only here.
    try:
        from pypdf import PdfReader
    except ImportError as error:
        raise CommandError("pypdf is needed to count pages: pip install pypdf") from error
    return len(PdfReader(io.BytesIO(data)).pages)


def time_document(timing: Timing, *, runs: int, today: datetime.date) -> Timing:
    """One warm-up render (templates, fonts, the database's caches), then `runs` timed."""
    scope, request = operator_scope(), timing.request
    rendered = render(request, scope, language=LANGUAGE, today=today)
    for _ in range(runs):
        clock = StageClock()
        started = time.perf_counter()
        rendered = render(request, scope, language=LANGUAGE, today=today, progress=clock)
        timing.seconds.append(time.perf_counter() - started)
        for stage, seconds in clock.spent.items():
            timing.stages.setdefault(stage, []).append(seconds)
    timing.pages = page_count(rendered.data)
    timing.size = len(rendered.data)
    return timing


def machine_line() -> str:
    return (
        f"{os.cpu_count()} CPUs, {platform.system()} {platform.release()} "
        f"{platform.machine()}, Python {platform.python_version()}, "
        f"WeasyPrint {weasyprint.__version__}, {database_version()}"
    )


def table(timings: list[Timing]) -> list[str]:
    lines = [
        "| document | pages | KB | median s | max s | goal |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for t in timings:
        lines.append(
            f"| {t.document} | {t.pages} | {t.size / 1024:,.0f} | {t.p50():.3f} | "
            f"{t.max():.3f} | {t.goal_text()} |"
        )
    return lines


def verdicts(timings: list[Timing]) -> list[str]:
    """One line per goal, with where the time went, so a miss points at its stage."""
    return [
        f"- Goal {t.document.split(' (')[0].lower()} {t.goal_text()} (median): "
        f"{'met' if t.met() else 'NOT met'}, {t.p50():.2f} s. "
        f"Median s per stage: {t.stage_text()}."
        for t in timings
        if t.goal is not None
    ]


def command_line(runs: int, recommendations: int) -> str:
    options = f"--runs {runs} --recommendations {recommendations}"
    return f"{database_option()}python manage.py bench_pdf {options}"


def section(*, runs: int, recommendations: int, data: str, busy: str, timings: list[Timing]) -> str:
    return "\n".join(
        [
            SECTION,
            "",
            f"Command: `{command_line(runs, recommendations)}`",
            *_wrapped(
                f"(one warm-up render, then {runs} timed renders of each document, in Swedish, "
                "through `audits.exports.render`; all data is made inside a transaction that "
                "is rolled back, so the database is left as it was)."
            ),
            "",
            *_wrapped(
                f"Data: the demo's Norrbotten audit ({DEMO_REFERENCE}) for the report, cover "
                "letter, response summary and comparison memo; for the follow-up report a "
                f"synthetic region with {data}."
            ),
            "",
            *_wrapped(
                f"Machine: {machine_line()}{database_place()}; {busy}. "
                f"{timezone.localdate().isoformat()}."
            ),
            "",
            *table(timings),
            "",
            *(line for verdict in verdicts(timings) for line in _wrapped(verdict, "  ")),
        ]
    )


def make_cases(audit: Audit, region: Region, recommendations: int) -> list[Timing]:
    """What to render: the demo audit's documents, then the big follow-up report."""
    ref = DEMO_REFERENCE
    return [
        Timing(f"Audit report ({ref})", DocumentRequest(Kind.REPORT, audit=audit.pk), 1.0),
        Timing(f"Cover letter ({ref})", DocumentRequest(Kind.COVER_LETTER, audit=audit.pk)),
        Timing(f"Response summary ({ref})", DocumentRequest(Kind.RESPONSE, audit=audit.pk)),
        Timing(
            "Comparison memo (the demo's coordinated 1177 audit)",
            DocumentRequest(Kind.COMPARISON, audit=audit.pk),
        ),
        Timing(
            f"Follow-up report ({recommendations:,} recommendations)",
            DocumentRequest(Kind.FOLLOWUP, region=region.code),
            10.0,
        ),
    ]


class Command(BaseCommand):
    help = (
        "Benchmark the PDF exports: the demo audit's report, cover letter, response "
        "summary and comparison memo, and the follow-up report of a synthetic region "
        "(one warm-up, then --runs renders each), inside a transaction that is rolled back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=7, help="Timed renders after the warm-up.")
        parser.add_argument(
            "--recommendations",
            type=int,
            default=500,
            help="Recommendations of the synthetic region's follow-up report.",
        )
        parser.add_argument(
            "--write",
            action="store_true",
            help=f"Replace or append the section {SECTION!r} in BENCHMARKS.md.",
        )

    def handle(self, *args: object, **options: object) -> None:
        runs = int(options["runs"])  # type: ignore[call-overload]
        recommendations = int(options["recommendations"])  # type: ignore[call-overload]
        if runs < 1:
            raise CommandError("--runs must be 1 or more.")
        if recommendations < 1:
            raise CommandError("--recommendations must be 1 or more.")
        today = timezone.localdate()
        out = self.stdout.write
        out("PDF rendering benchmark")
        out(f"  database  {database_version()}, {connection.settings_dict['NAME']}")
        out(f"  machine   {machine_line()}")
        out(f"  today     {today}; 1 warm-up render, then {runs} timed render(s) each")
        busy = load()
        out(f"  load      {busy}")

        with transaction.atomic():
            data, timings = self._measure(runs, recommendations, today)
            # Nothing the benchmark made may stay: not the region, not a demo it loaded.
            transaction.set_rollback(True)

        out("")
        for line in [*table(timings), "", *verdicts(timings)]:
            out(line)
        if options["write"]:
            text = section(
                runs=runs, recommendations=recommendations, data=data, busy=busy, timings=timings
            )
            write_section(SECTION, text)
            out("")
            out(f"Wrote the section {SECTION!r} to {BENCHMARKS_FILE}.")

    def _measure(
        self, runs: int, recommendations: int, today: datetime.date
    ) -> tuple[str, list[Timing]]:
        """Make the data, then time each document; the caller rolls it all back."""
        out = self.stdout.write
        audit = demo_audit(today)
        started = time.perf_counter()
        synthetic = SyntheticRegion(today=today, recommendations=recommendations, seed=SEED)
        try:
            region = synthetic.build()
        except ValueError as error:
            raise CommandError(str(error)) from error
        data = synthetic.describe()
        out(f"  data      demo audit {audit.pk} ({DEMO_REFERENCE}); synthetic region: {data}")
        out(f"            made in {time.perf_counter() - started:.2f} s")
        timings = []
        for timing in make_cases(audit, region, recommendations):
            out(f"  rendering {timing.document} ...")
            timings.append(time_document(timing, runs=runs, today=today))
        return data, timings
