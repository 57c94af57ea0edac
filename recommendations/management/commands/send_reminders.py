"""One reminder sweep, sent synchronously: for the demo, cron-only setups and tests."""

from __future__ import annotations

import argparse
import datetime

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from recommendations.reminders.delivery import deliver
from recommendations.reminders.sweep import sweep


def parse_now(value: str) -> datetime.datetime:
    """ISO date or date-time; without an offset it is Stockholm time."""
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError as error:
        # argparse turns this into a usage error naming the option, not a traceback.
        raise argparse.ArgumentTypeError(
            f"must be an ISO date or date-time such as 2026-01-15T08:00, not {value!r}"
        ) from error
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = (
        "Find the reminders due now, add them to the ledger and send them (and any earlier "
        "ones waiting for a retry). Safe to run at any time and in parallel with the workers."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            type=parse_now,
            help="Sweep as if it were this moment (Stockholm time unless an offset is given).",
        )
        parser.add_argument(
            "--no-send", action="store_true", help="Only fill the ledger; let the workers send."
        )

    def handle(self, *args: object, **options: object) -> None:
        now: datetime.datetime | None = options["now"]  # type: ignore[assignment]
        queued = sweep(now)
        self.stdout.write(f"Queued {queued} reminder(s).")
        if options["no_send"]:
            return
        stats = deliver(now=now)
        self.stdout.write(
            f"Sent {stats.sent}, no longer due {stats.cancelled}, "
            f"to retry {stats.retried}, failed {stats.failed}."
        )
