"""A load run against gunicorn on loopback, with production settings, driven by wrk.

python manage.py bench_load [--users 1,8,32] [--duration 30] [--warmup 5] [--workers 2]

On the configured database (generate_national_data for realistic volumes): an auditor and
a body secretary of the region with the most audits get a signed-in session each (made
directly in the session store, no password needed); gunicorn serves tracker.wsgi with
DJANGO_DEBUG off; wrk cycles through their pages (start page, the region's overdue
recommendations by deadline, measures, inbox, region dashboard, audit pages) at each
number of concurrent users. Every answer other than 200-299 is an error, a redirect to
the login page included. The sessions are deleted and gunicorn stopped in all cases.
"""

from __future__ import annotations

import argparse
import secrets
import tempfile
from functools import partial
from pathlib import Path

import gunicorn
from django.core.management.base import BaseCommand, CommandError, CommandParser

from audits.models import Audit
from recommendations.models import Measure, Recommendation
from tracker.benchmarks import database_place, database_version, load, machine
from tracker.load_run import (
    LoadResult,
    Visitor,
    check_pages,
    close_sessions,
    collect_static_manifest,
    drain,
    lua_script,
    open_sessions,
    pick_visitors,
    production_env,
    run_gunicorn,
    run_wrk,
    server_settings,
    wrk_path,
    wrk_version,
)


def user_counts(value: str) -> list[int]:
    try:
        counts = [int(part) for part in value.split(",") if part.strip()]
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"must be numbers like 1,8,32, not {value!r}") from error
    if not counts or any(count < 1 for count in counts):
        raise argparse.ArgumentTypeError(f"must be numbers of 1 or more, not {value!r}")
    return counts


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


class Command(BaseCommand):
    help = (
        "Load-test the production configuration: gunicorn on loopback driven by wrk at "
        "several numbers of concurrent signed-in users; fails on any error."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--users",
            type=user_counts,
            default=[1, 8, 32],
            help="Concurrent users (wrk connections), one run each (default 1,8,32).",
        )
        parser.add_argument(
            "--duration", type=positive, default=30, help="Seconds measured per run."
        )
        parser.add_argument(
            "--warmup",
            type=int,
            default=5,
            help="Seconds of unmeasured load before each run (0: none).",
        )
        parser.add_argument(
            "--workers", type=positive, default=2, help="gunicorn workers (one per core)."
        )
        parser.add_argument(
            "--timeout",
            type=positive,
            default=30,
            help="A request slower than this many seconds counts as an error (wrk --timeout).",
        )

    def handle(
        self,
        *args: object,
        users: list[int],
        duration: int,
        warmup: int,
        workers: int,
        timeout: int,
        **options: object,
    ) -> None:
        wrk = wrk_path()
        visitors = pick_visitors()
        self._describe(
            wrk, visitors, users=users, duration=duration, warmup=warmup, workers=workers
        )
        results = self._run(
            wrk,
            visitors,
            users=users,
            duration=duration,
            warmup=warmup,
            workers=workers,
            timeout=timeout,
        )
        failed = [result for result in results if result.failed]
        if failed:
            raise CommandError(
                "Errors under load: "
                + "; ".join(f"{r.connections} users: {r.error_text()}" for r in failed)
            )
        total = sum(result.requests for result in results)
        self.stdout.write(self.style.SUCCESS(f"No errors in {total:,} requests."))

    def _describe(
        self,
        wrk: str,
        visitors: list[Visitor],
        *,
        users: list[int],
        duration: int,
        warmup: int,
        workers: int,
    ) -> None:
        out = self.stdout.write
        out("Load run: gunicorn on loopback with production settings, driven by wrk")
        out(f"  machine   {machine()}; wrk on the same machine")
        out(f"  {load()}")
        out(f"  database  {database_version()}{database_place()}")
        out(
            f"  rows      audits {Audit.objects.count():,}, "
            f"recommendations {Recommendation.objects.count():,}, "
            f"measures {Measure.objects.count():,}"
        )
        out(
            f"  server    gunicorn {gunicorn.__version__}, {workers} sync worker(s); "
            f"wrk {wrk_version(wrk)}, threads = min(users, 2)"
        )
        levels = ", ".join(str(count) for count in users)
        out(f"  runs      {warmup} s warm-up, then {duration} s measured, at {levels} users")
        for visitor in visitors:
            pages = "; ".join(what for what, _ in visitor.pages)
            out(f"  {visitor.role:<9} of {visitor.region}: {pages}")
        out("")

    def _run(
        self,
        wrk: str,
        visitors: list[Visitor],
        *,
        users: list[int],
        duration: int,
        warmup: int,
        workers: int,
        timeout: int,
    ) -> list[LoadResult]:
        """Server up, sessions in, each level run; then sessions out, server down."""
        secret_key = secrets.token_urlsafe(50)
        results: list[LoadResult] = []
        with tempfile.TemporaryDirectory(prefix="bench-load-") as folder_name:
            folder = Path(folder_name)
            env = production_env(secret_key=secret_key, static_root=folder / "static")
            collect_static_manifest(folder / "static")
            with run_gunicorn(workers=workers, env=env, folder=folder) as running:
                # The workers boot meanwhile.
                server = server_settings(env)
                try:
                    open_sessions(visitors, secret_key)
                    # Holds the session keys; the folder is the user's own (mode 0700).
                    script = folder / "pages.lua"
                    script.write_text(lua_script(visitors, server), encoding="ascii")
                    running.wait_listening()
                    failures = check_pages(running.port, visitors, server)
                    if failures:
                        raise CommandError(
                            "Pages that do not answer 200 before the load:\n  "
                            + "\n  ".join(failures)
                            + f"\n{running.log_tail()}"
                        )
                    measure = partial(
                        run_wrk, wrk=wrk, port=running.port, script=script, timeout=timeout
                    )
                    self._header()
                    for count in users:
                        if warmup > 0:
                            measure(connections=count, seconds=warmup)
                            drain(running.port, server)
                        results.append(measure(connections=count, seconds=duration))
                        self._row(results[-1])
                        drain(running.port, server)
                    if any(result.failed for result in results):
                        self.stdout.write(f"\ngunicorn's log, last lines:\n{running.log_tail()}")
                finally:
                    close_sessions(visitors)
        return results

    def _header(self) -> None:
        self.stdout.write(
            "| users | requests | requests/s | p50 ms | p90 ms | p99 ms | max ms | errors |"
        )
        self.stdout.write("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")

    def _row(self, result: LoadResult) -> None:
        self.stdout.write(
            f"| {result.connections} | {result.requests:,} | {result.per_second:,.1f} "
            f"| {result.p50_ms:,.0f} | {result.p90_ms:,.0f} | {result.p99_ms:,.0f} "
            f"| {result.max_ms:,.0f} | {result.errors:,} |"
        )
