"""Session lifetime (tracker/sessions.py): idle timeout, absolute maximum, real logout.

Signs in through the login form, so the login signal stamps the session as in production;
the clock is moved with time-machine and the session read back from the session store.
"""

from __future__ import annotations

import datetime
from importlib import import_module

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from regions.models import User
from tracker.sessions import SEEN_AT, SEEN_RESOLUTION_SECONDS

PASSWORD = "rätt-lösenord-2021"
ENDED = "Your session has ended; please sign in again."
START = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


@pytest.fixture
def user(db) -> User:
    # English: the message is asserted before it has a Swedish translation.
    return User.objects.create_user("anna", "anna@example.invalid", PASSWORD, language="en")


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _sign_in(client: Client) -> str:
    response = client.post(reverse("login"), {"username": "anna", "password": PASSWORD})
    assert response.status_code == 302, "the login failed"
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _shift(clock, seconds: float) -> None:
    clock.shift(datetime.timedelta(seconds=seconds))


def _assert_ended(client: Client, key: str) -> None:
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"
    assert not _store()().exists(key), "the server still holds the ended session"
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert ENDED in page.content.decode()
    assert not page.wsgi_request.user.is_authenticated


def test_an_idle_session_ends(client, user, clock):
    key = _sign_in(client)
    _shift(clock, settings.SESSION_IDLE_SECONDS - 1)
    assert client.get(reverse("home")).status_code == 200
    _shift(clock, settings.SESSION_IDLE_SECONDS)
    _assert_ended(client, key)


def test_a_busy_session_ends_at_the_maximum(client, user, clock):
    key = _sign_in(client)
    step = settings.SESSION_IDLE_SECONDS // 2
    elapsed = 0
    while elapsed + step < settings.SESSION_MAX_SECONDS:
        _shift(clock, step)
        elapsed += step
        assert client.get(reverse("home")).status_code == 200, f"ended after {elapsed} s"
    _shift(clock, settings.SESSION_MAX_SECONDS - elapsed)
    _assert_ended(client, key)


def test_activity_keeps_the_session_and_is_written_sparingly(client, user, clock):
    key = _sign_in(client)
    signed_in = _store()(key).load()[SEEN_AT]
    # Within the resolution the stored session is not rewritten ...
    _shift(clock, SEEN_RESOLUTION_SECONDS - 1)
    assert client.get(reverse("home")).status_code == 200
    assert _store()(key).load()[SEEN_AT] == signed_in
    # ... after it, last activity moves, so the idle limit counts from here.
    _shift(clock, 2)
    assert client.get(reverse("home")).status_code == 200
    assert _store()(key).load()[SEEN_AT] == signed_in + SEEN_RESOLUTION_SECONDS + 1
    _shift(clock, settings.SESSION_IDLE_SECONDS - 1)
    assert client.get(reverse("home")).status_code == 200


def test_an_htmx_request_sends_the_whole_page_to_login(client, user, clock):
    _sign_in(client)
    _shift(clock, settings.SESSION_IDLE_SECONDS)
    response = client.get(
        reverse("home"),
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/audits/?year=2021",
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{reverse('login')}?next=/audits/%3Fyear%3D2021"


def test_logout_ends_the_session_on_the_server(client, user):
    key = _sign_in(client)
    assert _store()().exists(key)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert not _store()().exists(key)
    # The old cookie, replayed, is worth nothing.
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    response = replay.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not response.wsgi_request.user.is_authenticated


def test_the_session_cookie_does_not_outlive_the_maximum(client, user):
    _sign_in(client)
    expiry = _store()(client.cookies[settings.SESSION_COOKIE_NAME].value).get_expiry_date()
    assert expiry <= timezone.now() + datetime.timedelta(seconds=settings.SESSION_MAX_SECONDS)


def test_a_post_after_the_limit_returns_to_the_page_it_came_from(client, user, clock):
    _sign_in(client)
    _shift(clock, settings.SESSION_IDLE_SECONDS)
    # Signing in ends with a GET of `next`: /logout/ itself would answer 405.
    response = client.post(reverse("logout"), HTTP_REFERER="http://testserver/audits/?year=2021")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/audits/%3Fyear%3D2021"
    # A referrer elsewhere is not followed.
    _sign_in(client)
    _shift(clock, settings.SESSION_IDLE_SECONDS)
    response = client.post(reverse("logout"), HTTP_REFERER="https://elsewhere.example/x")
    assert response["Location"] == f"{reverse('login')}?next=/"
