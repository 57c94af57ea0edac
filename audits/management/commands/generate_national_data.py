"""Fill an empty database with a synthetic national data set, for load tests and benchmarks."""

from __future__ import annotations

import argparse
import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from audits.national import SCALES, GenerationRefused, generate, workload


def parse_day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        # argparse turns this into a usage error rather than a traceback.
        raise argparse.ArgumentTypeError(
            f"must be an ISO date such as 2026-01-15, not {value!r}"
        ) from error


class Command(BaseCommand):
    help = (
        "Generate synthetic regions, municipalities, bodies, people and ten years of audits, "
        "responses, measures and follow-ups (national: 311 organisations, 62,000 audits). "
        "Refuses to run on a database that already has audits."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            choices=list(SCALES),
            default="small",
            help="national (~2.5 million rows) or small (~1/100 of it, for quick runs).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same data.")
        parser.add_argument(
            "--today",
            type=parse_day,
            help="Spread the dates so that the data set ends on this day (default: today).",
        )

    def handle(self, *args: object, **options: object) -> None:
        today = options["today"] or timezone.localdate()
        scale_name = str(options["scale"])
        self.stdout.write(
            f"Generating the {scale_name} data set on {connection.vendor} "
            f"({connection.settings_dict['NAME']}), today {today}, seed {options['seed']} ..."
        )
        try:
            result = generate(
                scale=SCALES[scale_name],
                today=today,
                seed=int(options["seed"]),  # type: ignore[call-overload]
                progress=lambda message: self.stdout.write(f"  {message}"),
            )
        except GenerationRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        width = max(len(table) for table in result.counts)
        self.stdout.write("Rows inserted:")
        for table, count in result.counts.items():
            self.stdout.write(f"  {table:<{width}} {count:>10,}")
        self.stdout.write(f"  {'total':<{width}} {result.counts.total():>10,}")
        self.stdout.write(f"What it asks of the reminders on {today}:")
        summary = workload(today)
        width = max(len(name) for name in summary)
        for name, count in summary.items():
            self.stdout.write(f"  {name:<{width}} {count:>10,}")
        self.stdout.write(self.style.SUCCESS(f"Generated in {result.seconds:.1f} s."))
