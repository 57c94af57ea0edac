"""Login throttling with django-axes: the failure counters live in the database, so each
test starts from none (the test's transaction is rolled back)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.test import Client, RequestFactory
from django.urls import reverse

from regions.models import User
from tracker.login_throttle import client_ip

PASSWORD = "rätt-lösenord-2021"
MINUTES = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
LOCKED = (
    f"Too many failed sign-in attempts. Wait {MINUTES} minutes and try again, "
    "or contact your administrator."
)


@pytest.fixture
def user(db) -> User:
    return User.objects.create_user("anna", "anna@example.invalid", PASSWORD)


def _attempt(client: Client, password: str, address: str = "10.0.0.1"):
    return client.post(
        reverse("login"),
        {"username": "anna", "password": password},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="en",
    )


def _fail(client: Client, times: int, address: str = "10.0.0.1") -> None:
    for attempt in range(times):
        response = _attempt(client, "fel", address)
        assert response.status_code == 200, f"attempt {attempt + 1}"
        assert not response.wsgi_request.user.is_authenticated


def test_the_limit_locks_out_even_the_right_password(client, user):
    limit = settings.AXES_FAILURE_LIMIT
    _fail(client, limit - 1)
    locked = _attempt(client, "fel")
    assert locked.status_code == 429
    response = _attempt(client, PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCKED in html
    assert "anna" not in html, "the lockout page repeats the username"
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert not response.wsgi_request.user.is_authenticated


def test_the_lockout_page_is_swedish_first(client, user):
    _fail(client, settings.AXES_FAILURE_LIMIT - 1)
    response = client.post(
        reverse("login"), {"username": "anna", "password": "fel"}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 429
    assert '<html lang="sv">' in response.content.decode()


def test_the_lockout_ends_after_the_cool_off(client, user):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)) as clock:
        _fail(client, settings.AXES_FAILURE_LIMIT - 1)
        assert _attempt(client, "fel").status_code == 429
        clock.shift(settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=5))
        assert _attempt(client, PASSWORD).status_code == 429
        # A try during the lockout starts the cool-off again.
        clock.shift(settings.AXES_COOLOFF_TIME + datetime.timedelta(seconds=1))
        assert _attempt(client, PASSWORD).status_code == 302


def test_a_successful_login_resets_the_count(client, user):
    limit = settings.AXES_FAILURE_LIMIT
    _fail(client, limit - 1)
    assert _attempt(client, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.exists()
    client.post(reverse("logout"))
    _fail(client, limit - 1)


def test_the_lock_is_per_username_and_address(client, user):
    _fail(client, settings.AXES_FAILURE_LIMIT - 1, address="10.0.0.1")
    assert _attempt(client, "fel", "10.0.0.1").status_code == 429
    # The same user from another address is not locked out by a stranger's guesses.
    assert _attempt(Client(), PASSWORD, "10.0.0.2").status_code == 302


def test_no_record_is_kept_of_successful_logins(client, user):
    assert _attempt(client, PASSWORD).status_code == 302
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        # No proxy configured: a forwarded header is the client's own words.
        (0, "203.0.113.9", "192.0.2.1"),
        # One proxy: it appended the address it saw; what the client wrote is ignored.
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),
        (2, "198.51.100.7, 203.0.113.9, 10.1.1.1", "203.0.113.9"),
        # Fewer hops than proxies, or garbage: fall back to the connecting address.
        (2, "203.0.113.9", "192.0.2.1"),
        (1, "not-an-address", "192.0.2.1"),
        (1, "", "192.0.2.1"),
    ],
)
def test_client_address_trusts_only_the_configured_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_a_forged_forwarded_header_does_not_escape_the_lock(client, user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(
            reverse("login"),
            {"username": "anna", "password": "fel"},
            REMOTE_ADDR="10.0.0.254",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.9",
        )
        assert response.status_code == 200
    # The last failure allowed, under yet another forged address, locks the pair out.
    response = client.post(
        reverse("login"),
        {"username": "anna", "password": "fel"},
        REMOTE_ADDR="10.0.0.254",
        HTTP_X_FORWARDED_FOR="192.0.2.200, 203.0.113.9",
    )
    assert response.status_code == 429
