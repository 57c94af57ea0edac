"""bench_load end to end on the demo: gunicorn with production settings, driven by wrk,
counts requests, sees no errors, and leaves no session behind."""

from __future__ import annotations

import re
import shutil
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from audits.demo import load_demo
from tracker.load_run import LoadResult

from .conftest import ensure_rating_scales

# gunicorn's processes read what the test wrote: it must be committed.
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROW = re.compile(r"^\| (\d+) \| ([\d,]+) \| .* \| ([\d,]+) \|$", re.MULTILINE)


def test_a_short_load_run_on_the_demo_has_requests_and_no_errors():
    if shutil.which("wrk") is None:
        pytest.fail("wrk is missing: install Debian's wrk")
    # Transactional tests empty the database, rating scales from migrations included.
    ensure_rating_scales()
    load_demo(today=timezone.localdate())
    out = StringIO()

    # One worker boots fastest; this checks the plumbing, the figures are BENCHMARKS.md's.
    call_command(
        "bench_load", "--users=1,2", "--duration=1", "--warmup=0", "--workers=1", stdout=out
    )

    rows = ROW.findall(out.getvalue())
    assert [users for users, _, _ in rows] == ["1", "2"], out.getvalue()
    for _, requests, errors in rows:
        assert int(requests.replace(",", "")) > 0
        assert errors == "0"
    assert not Session.objects.exists()


def test_a_redirect_or_a_socket_error_counts_as_an_error():
    # A 302 is the login page: the session did not work, whatever the speed.
    result = LoadResult(
        connections=8,
        requests=100,
        seconds=2.0,
        p50_ms=10,
        p90_ms=20,
        p99_ms=30,
        max_ms=40,
        socket_errors={"connect": 0, "read": 1, "write": 0, "timeout": 0},
        statuses={200: 97, 302: 2, 500: 1},
    )

    assert result.per_second == 50
    assert result.errors == 4
    assert result.failed
    assert result.error_text() == "read 1, HTTP 302 ×2, HTTP 500 ×1"
