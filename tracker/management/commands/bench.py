"""Time the pages users wait for, against the configured database, with references.

python manage.py bench [--runs 30] [--warmup 3] [--write]

Lists and the inbox are compared with their raw-SQL floor and the admin changelist on the
same filter; the audit page, dashboard and comparison matrix with their goals; then the
reminder sweep's decision phase and the demo audit's PDF report. Everything the command
creates (a superuser for the admin, the demo audit for the PDF, sessions) is made inside
one transaction that is rolled back, so the database is left as it was.
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audits.management.commands.bench_pdf import DEMO_REFERENCE, demo_audit
from audits.models import Audit, AuditQuestion
from recommendations.management.commands.bench_reminders import decide
from recommendations.models import FollowUp, Measure, Recommendation
from regions.models import Region, User
from tracker import bench_pages as pages
from tracker.benchmarks import (
    BENCHMARKS_FILE,
    database_option,
    database_place,
    load,
    machine,
    wrapped,
    write_section,
)
from tracker.history.models import HistoryEvent

SECTION = "## Pages at national scale (issue 8)"
LIST_GOAL_MS = 50.0
LIST_GOAL_QUERIES = 10
FLOOR_GOAL = 3.0
ADMIN_GOAL = 5.0
SWEEP_GOAL_MS = 5000.0
PDF_RUNS = 5


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}"


def ratio(value: float | None) -> str:
    return f"{value:.1f}x" if value is not None else "–"


class Command(BaseCommand):
    help = (
        "Benchmark the main pages on the configured database: p50/p95 server time and "
        "query count, each list against its raw-SQL floor and the admin changelist, the "
        "reminder sweep and the demo PDF. Leaves the database as it was."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=30, help="Timed runs of each page.")
        parser.add_argument("--warmup", type=int, default=3, help="Untimed runs first.")
        parser.add_argument(
            "--write",
            action="store_true",
            help=f"Replace or append the section {SECTION!r} in BENCHMARKS.md.",
        )

    def handle(self, *args: object, **options: object) -> None:
        runs = int(options["runs"])  # type: ignore[call-overload]
        warmup = int(options["warmup"])  # type: ignore[call-overload]
        if runs < 1 or warmup < 0:
            raise CommandError("--runs must be 1 or more and --warmup 0 or more.")
        busy = load()
        today = timezone.localdate()
        out = self.stdout.write
        try:
            subjects = pages.pick_subjects()
        except LookupError as missing:
            raise CommandError(str(missing)) from missing
        data = self._data_line(subjects, today)
        out(f"Machine: {machine()}{database_place()}; {busy}.")
        out(f"Data: {data}")
        out(f"{warmup} warm-up run(s), then {runs} timed run(s) of each.")
        with transaction.atomic():
            results = self._measure(subjects, today, runs=runs, warmup=warmup)
            transaction.set_rollback(True)
        lines = table(results)
        out("")
        for line in lines:
            out(line)
        out("")
        verdict_lines = verdicts(results)
        for line in verdict_lines:
            out(line)
        if options["write"]:
            text = section(
                runs=runs, warmup=warmup, data=data, busy=busy, lines=lines, goals=verdict_lines
            )
            write_section(SECTION, text)
            out(f"Wrote the section {SECTION!r} to {BENCHMARKS_FILE}.")

    def _data_line(self, subjects: pages.Subjects, today: datetime.date) -> str:
        counts = {
            "organisations": Region.objects.count(),
            "audits": Audit.objects.count(),
            "questions": AuditQuestion.objects.count(),
            "recommendations": Recommendation.objects.count(),
            "measures": Measure.objects.count(),
            "follow-ups": FollowUp.objects.count(),
            "history events": HistoryEvent.objects.count(),
        }
        listed = ", ".join(f"{count:,} {name}" for name, count in counts.items())
        return (
            f"{listed}. Pages opened for {subjects.region} (the region with the most "
            f"recommendations; {pages.overdue_count(subjects.region, today):,} of them "
            f"overdue), its auditor, and the secretary of {subjects.secretary_body} "
            f"({pages.open_awaiting(subjects.secretary_body):,} recommendations awaiting "
            "an answer)."
        )

    def _measure(
        self, subjects: pages.Subjects, today: datetime.date, *, runs: int, warmup: int
    ) -> list[pages.Measured]:
        out = self.stdout.write
        results: list[pages.Measured] = []
        admin_user = User.objects.create_superuser("bench-admin", "bench@example.invalid")
        admin_client = pages.browser(admin_user)
        for name, user, url, admin_url in pages.list_pages(subjects):
            out(f"  {name} ...")
            measured = pages.Measured(name, goal_ms=LIST_GOAL_MS, goal_queries=LIST_GOAL_QUERIES)
            results.append(
                pages.measure_page(
                    measured,
                    pages.browser(user),
                    url,
                    warmup=warmup,
                    runs=runs,
                    admin_client=admin_client,
                    admin_url=admin_url,
                )
            )
        for name, user, url, goal in pages.one_off_pages(subjects):
            out(f"  {name} ...")
            measured = pages.Measured(name, goal_ms=goal)
            results.append(
                pages.measure_page(measured, pages.browser(user), url, warmup=warmup, runs=runs)
            )
        out("  Reminder sweep, decision phase ...")
        results.append(self._sweep(today, runs=max(3, runs // 3), warmup=min(warmup, 1)))
        out("  Demo audit report PDF ...")
        results.append(self._pdf(today, runs=PDF_RUNS, warmup=1))
        return results

    def _sweep(self, today: datetime.date, *, runs: int, warmup: int) -> pages.Measured:
        measured = pages.Measured("Reminder sweep, decision phase", goal_ms=SWEEP_GOAL_MS)
        measured.server = pages.time_calls(lambda: decide(today), warmup=warmup, runs=runs)
        measured.queries = len(pages.statements(lambda: decide(today)))
        return measured

    def _pdf(self, today: datetime.date, *, runs: int, warmup: int) -> pages.Measured:
        audit = demo_audit(today)
        auditor = User.objects.get(username=f"revisor.{audit.region.code}")
        url = reverse("audit-pdf", args=[audit.pk, "report"])
        measured = pages.Measured(f"Demo audit report PDF ({DEMO_REFERENCE})")
        client = pages.browser(auditor)
        measured.server = pages.time_calls(
            lambda: pages.fetch(client, url), warmup=warmup, runs=runs
        )
        measured.queries = len(pages.statements(lambda: pages.fetch(client, url)))
        return measured


def table(results: list[pages.Measured]) -> list[str]:
    lines = [
        "| page | p50 ms | p95 ms | queries | floor p95 ms | page/floor | admin p95 ms "
        "| admin queries | admin/page |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for m in results:
        floor = ms(m.floor.p95()) if m.floor else "–"
        admin = ms(m.admin.p95()) if m.admin else "–"
        admin_queries = str(m.admin_queries) if m.admin else "–"
        lines.append(
            f"| {m.name} | {ms(m.server.p50())} | {ms(m.server.p95())} | {m.queries} | "
            f"{floor} | {ratio(m.floor_ratio())} | {admin} | {admin_queries} | "
            f"{ratio(m.admin_ratio())} |"
        )
    return lines


def verdicts(results: list[pages.Measured]) -> list[str]:
    """One line per page with a goal: each goal met or NOT met, with the number."""
    lines = []
    for m in results:
        if m.goal_ms is None:
            continue
        checks = [_check(f"p95 <= {m.goal_ms:g} ms", m.server.p95() * 1000 <= m.goal_ms)]
        if m.goal_queries is not None:
            checks.append(_check(f"<= {m.goal_queries} queries", m.queries <= m.goal_queries))
        if m.floor is not None and m.goal_queries is not None:
            floor = m.floor_ratio() or 0.0
            checks.append(_check(f"<= {FLOOR_GOAL:g}x floor", floor <= FLOOR_GOAL))
        if m.admin is not None:
            faster = m.admin_ratio() or 0.0
            checks.append(_check(f">= {ADMIN_GOAL:g}x faster than the admin", faster >= ADMIN_GOAL))
        lines.append(f"- {m.name}: {'; '.join(checks)}.")
    return lines


def _check(goal: str, met: bool) -> str:
    return f"{goal} {'met' if met else 'NOT met'}"


def section(
    *, runs: int, warmup: int, data: str, busy: str, lines: list[str], goals: list[str]
) -> str:
    command = f"{database_option()}python manage.py bench --runs {runs} --warmup {warmup}"
    return "\n".join(
        [
            SECTION,
            "",
            f"Command: `{command}`",
            "",
            *wrapped(
                "Server time through Django's test client in one process (middleware, "
                "session, view, queries, template; no network). The floor runs the page's "
                "own SQL statements alone; the admin column is Django's admin changelist of "
                "the same model on the same filter. The reminder sweep is timed in "
                f"{max(3, runs // 3)} runs and the PDF in {PDF_RUNS}."
            ),
            "",
            *wrapped(f"Data: {data}"),
            "",
            *wrapped(
                f"Machine: {machine()}{database_place()}; {busy}. "
                f"{timezone.localdate().isoformat()}."
            ),
            "",
            *lines,
            "",
            *(line for goal in goals for line in wrapped(goal, "  ")),
        ]
    )
