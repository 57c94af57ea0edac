"""Structured logs (tracker/logs.py): JSON lines tagged with the request id and the user's
id, never with a username, an e-mail address or an IP address."""

from __future__ import annotations

import datetime
import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from regions.models import User
from tracker.logs import JsonFormatter, RequestContextFilter

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "rätt-lösenord-2021"


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """What the production console handler writes, captured: the same formatter and filter
    the settings give it when LOG_FORMAT is json."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def _records(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


@pytest.fixture
def user(db) -> User:
    return User.objects.create_user("anna.berg", "anna.berg@example.invalid", PASSWORD)


def test_a_line_logged_in_a_request_names_the_user_by_id_only(client, user, json_lines):
    start = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        client.post(
            reverse("login"),
            {"username": "anna.berg", "password": PASSWORD},
            REMOTE_ADDR="198.51.100.23",
        )
        clock.shift(datetime.timedelta(seconds=settings.SESSION_IDLE_SECONDS))
        # The session middleware logs why it ends the session, while the user is known.
        response = client.get(reverse("home"), REMOTE_ADDR="198.51.100.23")
    ended = [r for r in _records(json_lines) if r["logger"] == "tracker.sessions"]
    assert len(ended) == 1, _records(json_lines)
    record = ended[0]
    assert record["user_id"] == user.pk
    assert record["request_id"] == response["X-Request-ID"]
    assert record["level"] == "INFO"
    assert datetime.datetime.fromisoformat(record["time"]) == start + datetime.timedelta(
        seconds=settings.SESSION_IDLE_SECONDS
    )
    everything = json_lines.getvalue()
    for personal in ("anna.berg", "example.invalid", "198.51.100.23"):
        assert personal not in everything


def test_django_request_lines_carry_the_user_too(client, user, json_lines):
    client.force_login(user)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    not_found = [r for r in _records(json_lines) if r["logger"] == "django.request"]
    assert not_found and not_found[0]["user_id"] == user.pk
    assert not_found[0]["request_id"] == response["X-Request-ID"]
    assert "anna.berg" not in json_lines.getvalue()


def test_a_proxy_request_id_is_kept_and_a_strange_one_replaced(client, db):
    kept = client.get(reverse("login"), HTTP_X_REQUEST_ID="req-0123456789abcdef")
    assert kept["X-Request-ID"] == "req-0123456789abcdef"
    forged = client.get(reverse("login"), HTTP_X_REQUEST_ID='x" "user_id": 1')
    assert forged["X-Request-ID"] != 'x" "user_id": 1' and len(forged["X-Request-ID"]) == 32


def test_an_exception_is_one_json_line(json_lines):
    try:
        raise ValueError("broken")
    except ValueError:
        logging.getLogger("tracker.test").exception("It broke")
    (record,) = _records(json_lines)
    assert record["message"] == "It broke"
    assert "ValueError: broken" in record["exception"]
    assert "user_id" not in record and "request_id" not in record


def _log_in_production(extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"LOG_FORMAT", "DJANGO_DEBUG"}},
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        "SECRET_KEY": "x7Gq-" * 12,
        "ALLOWED_HOSTS": "granskning.example.se",
        "DJANGO_DEBUG": "0",
        **extra,
    }
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('tracker.x').warning('hej %s', 'då')"
    )
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_production_logs_json_by_default():
    result = _log_in_production({})
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stderr.strip().splitlines()[-1])
    assert record["level"] == "WARNING" and record["logger"] == "tracker.x"
    assert record["message"] == "hej då"


def test_log_format_text_is_plain():
    result = _log_in_production({"LOG_FORMAT": "text"})
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().endswith("WARNING tracker.x: hej då")
