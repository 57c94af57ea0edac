"""/healthz against the real database and a real Redis (the one CI and the compose stack
run at 127.0.0.1:6379), and against a port where nothing listens."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

REDIS = "redis://127.0.0.1:6379/0"
# Port 1 (tcpmux) is closed on any machine we run on: the connection is refused at once.
NOTHING_THERE = "redis://127.0.0.1:1/0"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def with_broker(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    return settings


def test_database_and_broker_answer(client, db, with_broker):
    with_broker.CELERY_BROKER_URL = REDIS
    response = client.get(reverse("health"))
    assert response.status_code == 200, response.content
    assert response.json() == {"database": "ok", "broker": "ok"}


def test_a_broker_that_does_not_answer_is_unhealthy(client, db, with_broker, caplog):
    with_broker.CELERY_BROKER_URL = NOTHING_THERE
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "error"}
    assert "the broker does not answer" in caplog.text


def test_a_broker_url_redis_cannot_read_is_unhealthy(client, db, with_broker):
    with_broker.CELERY_BROKER_URL = "amqp://guest@127.0.0.1//"
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["broker"] == "error"


def test_the_demo_without_a_broker_is_healthy(client, db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_BROKER_URL = NOTHING_THERE
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "not used"}


def test_a_database_that_does_not_answer_is_unhealthy():
    """In a process of its own whose DATABASE_URL points where nothing listens."""
    script = (
        "import django, json; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz', HTTP_HOST='localhost'); "
        "print(json.dumps([r.status_code, r.json()]))"
    )
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/tracker",
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    status, body = json.loads(result.stdout.strip().splitlines()[-1])
    assert status == 503
    assert body == {"database": "error", "broker": "not used"}
    assert "the database does not answer" in result.stderr
