"""Time the reminder sweep against the configured database, leaving the ledger untouched."""

from __future__ import annotations

import argparse
import datetime
import math
import os
import platform
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audits.models import Audit
from recommendations.models import Measure, Recommendation, Reminder
from recommendations.reminders.sweep import (
    digests,
    follow_up_due,
    measure_due,
    measure_overdue,
    response_due,
    response_overdue,
    sweep,
)
from tracker.benchmarks import database_version

# The decision phase of sweep(), rule by rule, in the order sweep() runs them.
RULES: tuple[tuple[str, Callable[[datetime.date], Iterable[object]]], ...] = (
    ("response_due", response_due),
    ("response_overdue", response_overdue),
    ("measure_due", measure_due),
    ("measure_overdue", measure_overdue),
    ("follow_up_due", follow_up_due),
    ("digests", digests),
)
GOAL_SECONDS = 5.0
# Below this many runs a 95th percentile is just the slowest run; say so.
PERCENTILE_MIN_RUNS = 20


@dataclass
class Timing:
    seconds: list[float] = field(default_factory=list)
    items: int = 0
    queries: int = 0

    def p50(self) -> float:
        return statistics.median(self.seconds)

    def tail(self) -> float:
        """The 95th percentile by nearest rank, or the maximum for a handful of runs."""
        ordered = sorted(self.seconds)
        if len(ordered) < PERCENTILE_MIN_RUNS:
            return ordered[-1]
        return ordered[math.ceil(0.95 * len(ordered)) - 1]


def parse_day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        # argparse turns this into a usage error rather than a traceback.
        raise argparse.ArgumentTypeError(
            f"must be an ISO date such as 2026-01-15, not {value!r}"
        ) from error


def decide(today: datetime.date) -> dict[str, Timing]:
    """One pass of every rule, each consumed into a list, timed and its queries counted."""
    found = {}
    for name, rule in RULES:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            items = list(rule(today))
            elapsed = time.perf_counter() - started
        found[name] = Timing([elapsed], len(items), len(queries.captured_queries))
    return found


class Command(BaseCommand):
    help = (
        "Benchmark the reminder sweep on the configured database: each rule's decision "
        "time (one warm-up, then --runs runs), then one full sweep inside a transaction "
        "that is rolled back, so the reminder ledger is left as it was."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=5, help="Timed runs after the warm-up.")
        parser.add_argument(
            "--today",
            type=parse_day,
            help="Sweep as on this day, at noon Stockholm time (default: now).",
        )

    def handle(self, *args: object, **options: object) -> None:
        runs = int(options["runs"])  # type: ignore[call-overload]
        if runs < 1:
            raise CommandError("--runs must be 1 or more.")
        given: datetime.date | None = options["today"]  # type: ignore[assignment]
        if given is None:
            now = timezone.now()
        else:
            now = timezone.make_aware(datetime.datetime.combine(given, datetime.time(12)))
        today = timezone.localdate(now)

        out = self.stdout.write
        out("Reminder sweep benchmark")
        out(f"  database  {database_version()}, {connection.settings_dict['NAME']}")
        out(
            f"  machine   {os.cpu_count()} CPUs, {platform.platform()}, "
            f"Python {platform.python_version()}"
        )
        out(
            f"  rows      audits {Audit.objects.count():,}, "
            f"recommendations {Recommendation.objects.count():,}, "
            f"measures {Measure.objects.count():,}, reminders {Reminder.objects.count():,}"
        )
        out(f"  today     {today}; 1 warm-up run, then {runs} timed run(s)")

        decide(today)  # warm-up: caches, connection, the database's buffers
        timings = {name: Timing() for name, _ in RULES}
        totals = Timing()
        for _ in range(runs):
            found = decide(today)
            for name, timing in found.items():
                timings[name].seconds.extend(timing.seconds)
                timings[name].items = timing.items
                timings[name].queries = timing.queries
            totals.seconds.append(sum(timing.seconds[0] for timing in found.values()))
        totals.items = sum(timing.items for timing in timings.values())
        totals.queries = sum(timing.queries for timing in timings.values())

        tail = "max s" if runs < PERCENTILE_MIN_RUNS else "p95 s"
        out("")
        out("Decision phase (each rule's items consumed into a list):")
        out(f"  {'rule':<18} {'items':>8} {'queries':>8} {'p50 s':>8} {tail:>8}")
        for name, timing in [*timings.items(), ("total", totals)]:
            out(
                f"  {name:<18} {timing.items:>8,} {timing.queries:>8} "
                f"{timing.p50():>8.3f} {timing.tail():>8.3f}"
            )

        out("")
        out("Full sweep (decide, load recipients, insert into the ledger), rolled back after:")
        with transaction.atomic():
            before = Reminder.objects.count()
            started = time.perf_counter()
            queued = sweep(now)
            elapsed = time.perf_counter() - started
            added = Reminder.objects.count() - before
            out(f"  queued {queued:,} row(s), {added:,} new in the ledger, in {elapsed:.3f} s")
            # A second sweep the same day must find (almost) nothing and cost no more.
            again = decide(today)
            left = ", ".join(f"{name} {t.items:,}" for name, t in again.items() if t.items)
            out(
                "  decision phase again with those rows in the ledger: "
                f"{sum(t.items for t in again.values()):,} item(s)"
                f"{f' ({left})' if left else ''} in "
                f"{sum(t.seconds[0] for t in again.values()):.3f} s"
            )
            transaction.set_rollback(True)

        verdict = "met" if totals.tail() <= GOAL_SECONDS else "NOT met"
        out("")
        out(
            f"Goal: decide everything due in <= {GOAL_SECONDS:.0f} s: {verdict} "
            f"(total p50 {totals.p50():.3f} s, {tail.split()[0]} {totals.tail():.3f} s)."
        )
