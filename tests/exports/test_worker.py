"""A large report through the real parts: the page queues it on a Redis server of the
test's own, a Celery worker process renders it, the page shows it queued, then ready."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from audits.demo import load_demo
from audits.exports.models import Export
from regions.models import User
from tracker.celery import app as celery_app

from ..conftest import ensure_rating_scales
from ..services import Redis, database_url, wait_until
from ..web import signed_in, text
from .pdf import read_pdf

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

BIN = Path(sys.executable).parent


@pytest.fixture
def redis(tmp_path) -> Iterator[Redis]:
    server = Redis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker(redis, monkeypatch) -> str:
    """This process sends its tasks to the test's Redis instead of running them."""
    url = f"redis://127.0.0.1:{redis.port}/0"
    monkeypatch.setitem(celery_app.conf, "broker_url", url)
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    _forget_connections()
    yield url
    _forget_connections()


def _forget_connections() -> None:
    # Celery keeps its connection and producer pools for the broker it first used;
    # dropping them makes the next task go to the broker configured now.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def start_worker(broker: str, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    return subprocess.Popen(  # noqa: S603 - fixed arguments
        [str(BIN / "celery"), "-A", "tracker", "worker", "--pool=solo", "--loglevel=INFO"],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def test_a_worker_renders_a_large_follow_up_report(broker, settings, tmp_path):
    # Transactional tests empty the database, rating scales from migrations included.
    ensure_rating_scales()
    load_demo(today=timezone.localdate())
    settings.TRACKER = {**settings.TRACKER, "PDF_INLINE_MAX_RECOMMENDATIONS": 2}
    browser = signed_in(User.objects.get(username="revisor.norrbotten"))

    answer = browser.get(reverse("followup-report"), {"region": "norrbotten"})
    assert answer.status_code == 302
    export = Export.objects.get()
    # No worker yet: the task waits in Redis and the page says so, and polls.
    waiting = text(browser.get(answer["Location"]))
    assert "Väntar på att starta …" in waiting
    assert 'hx-trigger="every 1s"' in waiting

    log = tmp_path / "worker.log"
    worker = start_worker(broker, log)
    try:
        wait_until(
            lambda: Export.objects.get(pk=export.pk).status == Export.Status.DONE,
            60,
            "the worker to render the report",
        )
    except AssertionError:
        print(log.read_text(errors="replace")[-4000:])
        raise
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=20)

    done = Export.objects.get(pk=export.pk)
    assert (done.progress, done.stage) == (100, "done")
    ready = text(browser.get(answer["Location"]))
    assert "hx-trigger" not in ready
    pdf = read_pdf(browser.get(reverse("export-download", args=[export.pk])).content)
    assert pdf.title == "Uppföljningsrapport: Region Norrbotten"
    assert pdf.pdfa == ("3", "A")
    assert "Genomförandegrad 25 % (1/4)" in pdf.text
