"""What the history triggers cost a write, on PostgreSQL, leaving nothing behind.

python manage.py bench_history [--rows 5000] [--runs 5]

Times the same writes to audits_observation (inserts in bulk, saves one by one, a bulk
update, a bulk delete) with the history trigger on and off, and the change-history page
of an audit with that many events. Everything happens in one transaction that is rolled
back; the trigger is switched off only inside it.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from audits.models import Audit, AuditQuestion, Observation, RatingScale
from regions.models import Membership, Region, User
from tracker.benchmarks import database_version
from tracker.history.models import HistoryEvent

TABLE = Observation._meta.db_table


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time writes with and without the history triggers (PostgreSQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rows", type=int, default=5000)
        parser.add_argument("--runs", type=int, default=5)

    def handle(self, *args: object, rows: int, runs: int, **options: object) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The history triggers are PostgreSQL's: set DATABASE_URL.")
        try:
            with transaction.atomic():
                self._bench(rows, runs)
                raise Rollback
        except Rollback:
            pass

    def _bench(self, rows: int, runs: int) -> None:
        region = Region.objects.create(name="Region Mätpunkt", code="bench-history")
        audit = Audit.objects.create(
            region=region, title="Mätning", year=2026, rating_scale=RatingScale.objects.first()
        )
        question = AuditQuestion.objects.create(audit=audit, position=1, text="Mäts det?")
        self.stdout.write(f"{database_version()}; {rows} rows, median of {runs} runs\n")
        self.stdout.write("| write | trigger on (ms) | trigger off (ms) | on/off |")
        self.stdout.write("| --- | ---: | ---: | ---: |")

        def insert() -> None:
            Observation.objects.bulk_create(
                Observation(question=question, position=i + 1, text=f"Iakttagelse {i}")
                for i in range(rows)
            )

        def save_each() -> None:
            for observation in Observation.objects.filter(question=question)[:500]:
                observation.text += " (ändrad)"
                observation.save()

        def update() -> None:
            Observation.objects.filter(question=question).update(heading="Rubrik")

        def delete() -> None:
            Observation.objects.filter(question=question).delete()

        steps: list[tuple[str, Callable[[], None]]] = [
            (f"bulk insert of {rows}", insert),
            ("500 saves one by one", save_each),
            (f"bulk update of {rows}", update),
            (f"bulk delete of {rows}", delete),
        ]
        timings: dict[str, dict[bool, list[float]]] = {n: {True: [], False: []} for n, _ in steps}
        for _run in range(runs):
            for trigger_on in (True, False):
                self._trigger(trigger_on)
                for name, step in steps:
                    started = time.perf_counter()
                    step()
                    timings[name][trigger_on].append(time.perf_counter() - started)
        self._trigger(True)
        for name, _step in steps:
            on = statistics.median(timings[name][True]) * 1000
            off = statistics.median(timings[name][False]) * 1000
            self.stdout.write(f"| {name} | {on:,.0f} | {off:,.0f} | {on / off:.1f}x |")

        insert()
        update()
        events = HistoryEvent.objects.filter(audit_id=audit.pk).count()
        auditor = User.objects.create_user("bench.history")
        Membership.objects.create(user=auditor, region=region, role=Membership.Role.AUDITOR)
        client = Client()
        client.force_login(auditor)
        url = reverse("audit-history", args=[audit.pk])
        client.get(url, HTTP_HOST="127.0.0.1")
        seconds = []
        for _run in range(runs):
            started = time.perf_counter()
            page = client.get(url, HTTP_HOST="127.0.0.1")
            seconds.append(time.perf_counter() - started)
            if page.status_code != 200:
                raise CommandError(f"The history page answered {page.status_code}.")
        self.stdout.write(
            f"\nChange-history page of an audit with {events:,} events (newest 100 shown): "
            f"{statistics.median(seconds) * 1000:.0f} ms median"
        )

    def _trigger(self, on: bool) -> None:
        with connection.cursor() as cursor:
            state = "ENABLE" if on else "DISABLE"
            # Django's foreign keys are checked at commit; ALTER TABLE wants none pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} {state} TRIGGER tracker_history")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
