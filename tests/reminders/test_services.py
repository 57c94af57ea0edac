"""Reminders through the real parts: Celery worker and beat processes, a Redis server of
the test's own, and an SMTP server on loopback. Each fault is judged by what the SMTP
server received: every reminder arrives, and only a mail in flight at the instant of a
crash may arrive twice, with the same Message-ID."""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from audits.models import Audit
from recommendations.models import Recommendation, Reminder
from regions.models import Body, Membership

from ..services import Redis, database_url, wait_until
from .conftest import person
from .smtp import SmtpServer

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

N = 24
CLAIM_TIMEOUT = 4
BIN = Path(sys.executable).parent
ROOT = Path(django_settings.BASE_DIR)


class Services:
    """Worker, beat and sweep processes with the settings these tests need."""

    def __init__(self, folder: Path, redis: Redis, smtp: SmtpServer) -> None:
        self.folder = folder
        self.env = {
            **os.environ,
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": database_url(),
            "DATABASE_CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{redis.port}/0",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
            "EMAIL_TIMEOUT": "2",
            "REMINDER_CLAIM_TIMEOUT": str(CLAIM_TIMEOUT),
            "REMINDER_RETRY_SECONDS": "1",
            "REMINDER_SWEEP_SECONDS": "2",
            "REMINDER_DISPATCH_SECONDS": "1",
            "REMINDER_SEND_HOUR": "0",
            "REMINDER_BATCH": "4",
        }
        self.processes: dict[str, subprocess.Popen] = {}

    def _start(self, name: str, *args: str) -> subprocess.Popen:
        log = (self.folder / f"{name}.log").open("ab")
        process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [str(BIN / "celery"), "-A", "tracker", *args, "--loglevel=INFO"],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own process group, so a kill takes the pool's children too.
            start_new_session=True,
        )
        self.processes[name] = process
        return process

    def worker(self, name: str = "w1", concurrency: int = 2) -> None:
        self._start(
            name,
            "worker",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            "-n",
            f"{name}@%h",
            "--without-gossip",
            "--without-mingle",
        )

    def beat(self) -> None:
        self._start("beat", "beat", "--schedule", str(self.folder / "beat-schedule"))

    def sweep(self) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "manage.py", "send_reminders", "--no-send"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )

    def kill(self, name: str) -> None:
        process = self.processes.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop_all(self) -> None:
        for name in list(self.processes):
            process = self.processes[name]
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(process.pid, signal.SIGKILL)
            self.processes.pop(name)

    def logs(self) -> str:
        return "\n".join(
            f"== {log.name} ==\n{log.read_text(errors='replace')[-3000:]}"
            for log in sorted(self.folder.glob("*.log"))
        )


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(delay=0.15)  # slow enough that a kill lands mid-batch
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis(tmp_path) -> Iterator[Redis]:
    server = Redis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def services(tmp_path, redis, smtp) -> Iterator[Services]:
    running = Services(tmp_path, redis, smtp)
    yield running
    running.stop_all()
    # Captured output: pytest shows it only when the test failed.
    print(running.logs())


@pytest.fixture
def due_today(region, scale) -> list[str]:
    """N bodies, each with one secretary, owe a response today: N reminders."""
    today = timezone.localdate()
    audit = Audit.objects.create(
        region=region,
        title="Samordnad granskning av 1177",
        year=today.year,
        rating_scale=scale,
        status=Audit.Status.ISSUED,
        issued_date=today - datetime.timedelta(days=60),
        response_deadline=today,
    )
    for number in range(1, N + 1):
        body = Body.objects.create(region=region, name=f"Nämnd {number}")
        audit.audited_bodies.add(body)
        Recommendation.objects.create(audit=audit, body=body, number=number, text="Följ upp.")
        person(f"sekreterare{number}", region, Membership.Role.SECRETARY, bodies=(body,))
    return [f"sekreterare{number}@example.se" for number in range(1, N + 1)]


def _ledger_ids() -> set[str]:
    return set(Reminder.objects.values_list("message_id", flat=True))


def _all_arrived(smtp: SmtpServer) -> Callable[[], bool]:
    return lambda: len(set(smtp.inbox.message_ids())) == N and len(_ledger_ids()) == N


def _settled(smtp: SmtpServer, services: Services) -> None:
    """Every row sent, and long enough after for a stray repeat to show up."""
    wait_until(
        lambda: Reminder.objects.exclude(status=Reminder.Status.SENT).count() == 0,
        30,
        "every ledger row to be marked sent",
    )
    time.sleep(CLAIM_TIMEOUT + 2)


def test_n_due_reminders_make_exactly_n_mails(due_today, smtp, services):
    services.worker()
    services.beat()
    wait_until(_all_arrived(smtp), 60, f"{N} mails")
    _settled(smtp, services)
    assert len(smtp.inbox.messages) == N
    assert set(smtp.inbox.message_ids()) == _ledger_ids()
    assert {str(message["To"]) for message in smtp.inbox.messages} == set(due_today)


def test_a_worker_killed_mid_batch_loses_nothing(due_today, smtp, services):
    services.worker(concurrency=2)
    services.beat()
    wait_until(lambda: len(smtp.inbox.messages) >= N // 3, 60, "the batch to get going")
    services.kill("w1")
    received_at_kill = len(smtp.inbox.messages)
    assert received_at_kill < N, "the kill came too late to land mid-batch"
    services.worker("w2", concurrency=2)
    wait_until(_all_arrived(smtp), 60, f"all {N} Message-IDs after the restart")
    _settled(smtp, services)
    assert set(smtp.inbox.message_ids()) == _ledger_ids()
    # Only mails in flight at the kill (at most one per pool process) may come twice,
    # and a repeat carries the Message-ID of the first, so mail clients fold it.
    repeats = smtp.inbox.repeats()
    assert sum(count - 1 for count in repeats.values()) <= 2, repeats
    assert len(smtp.inbox.messages) == N + sum(count - 1 for count in repeats.values())


def test_smtp_down_for_a_while_is_retried_until_delivered(due_today, smtp, services):
    smtp.stop()
    services.worker()
    services.beat()
    wait_until(
        lambda: Reminder.objects.filter(attempts__gte=2, status=Reminder.Status.PENDING).exists(),
        60,
        "retries while the SMTP server is down",
    )
    assert smtp.inbox.messages == []
    assert "Connection refused" in Reminder.objects.exclude(last_error="").first().last_error
    smtp.start()
    wait_until(_all_arrived(smtp), 90, f"{N} mails once the SMTP server is back")
    _settled(smtp, services)
    assert len(smtp.inbox.messages) == N


def test_two_sweeps_and_two_workers_at_once_make_exactly_n(due_today, smtp, services):
    services.worker("w1")
    services.worker("w2")
    sweeps = [services.sweep(), services.sweep()]
    services.beat()
    outputs = [sweep.communicate(timeout=60)[0].decode() for sweep in sweeps]
    assert all(sweep.returncode == 0 for sweep in sweeps), outputs
    wait_until(_all_arrived(smtp), 60, f"{N} mails")
    _settled(smtp, services)
    assert len(smtp.inbox.messages) == N
    assert Reminder.objects.count() == N


def test_redis_restarted_mid_run_loses_nothing(due_today, smtp, services, redis):
    services.worker()
    services.beat()
    wait_until(lambda: len(smtp.inbox.messages) >= 4, 60, "the first mails")
    # Redis keeps nothing on disk here: the queued task messages are gone with it.
    redis.stop()
    time.sleep(2)
    redis.start()
    wait_until(_all_arrived(smtp), 90, f"all {N} mails after Redis came back")
    _settled(smtp, services)
    assert set(smtp.inbox.message_ids()) == _ledger_ids()
    assert sum(count - 1 for count in smtp.inbox.repeats().values()) <= 2
