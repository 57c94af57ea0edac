"""The account page: language, weekly digest, and the calendar feed's secret address."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from recommendations.models import Measure
from regions.models import Membership, User

from ..conftest import sv
from ..web import field_error, member, signed_in, text

ROLE = Membership.Role


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.TRACKER = {**settings.TRACKER, "SITE_URL": "https://granskning.example"}


@pytest.fixture
def secretary(region, board) -> User:
    return member(region, ROLE.SECRETARY, bodies=(board,))


@pytest.fixture
def browser(secretary) -> Client:
    return signed_in(secretary)


def _turn(browser: Client, action: str) -> str:
    """Press one of the calendar buttons; the feed's path afterwards ("" when off)."""
    page = browser.post(reverse("account-calendar"), {"action": action})
    assert page.status_code == 302 and page["Location"] == reverse("account")
    token = User.objects.get(pk=browser.session["_auth_user_id"]).calendar_token
    return reverse("calendar-feed", args=[token]) if token else ""


def test_anonymous_users_are_sent_to_the_login_page(db):
    for method, url in (("get", "account"), ("post", "account"), ("post", "account-calendar")):
        page = getattr(Client(), method)(reverse(url))
        assert page.status_code == 302
        assert page["Location"].startswith(reverse("login")), (method, url)


def test_the_header_links_to_the_account_page(browser):
    page = browser.get(reverse("home"))
    assert f'href="{reverse("account")}"' in text(page)
    assert sv("My account") in text(page)


def test_the_feed_is_off_until_turned_on(browser, secretary):
    page = browser.get(reverse("account"))
    assert page.status_code == 200
    assert sv("The calendar feed is off.") in text(page)
    assert 'id="feed-url"' not in text(page)
    assert secretary.calendar_token is None


def test_turning_the_feed_on_shows_its_address_and_serves_it(
    browser, issued_audit, board, recommendation
):
    path = _turn(browser, "new")
    page = browser.get(reverse("account"))
    assert f'value="https://granskning.example{path}"' in text(page)
    assert "Lägg till kalender > Från Internet" in text(page)

    feed = Client().get(path)  # no session: calendar programs cannot log in
    assert feed.status_code == 200
    assert feed["Content-Type"] == "text/calendar; charset=utf-8"
    assert feed["Cache-Control"] == "private"
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert [event.decoded("DTSTART") for event in events] == [issued_audit.response_deadline]


def test_tokens_are_long_random_and_url_safe(browser):
    paths = {_turn(browser, "new") for _ in range(3)}
    assert len(paths) == 3
    for path in paths:
        token = path.removeprefix("/calendar/").removesuffix(".ics")
        assert len(token) >= 43 and token.replace("-", "").replace("_", "").isalnum()


def test_a_new_address_makes_the_old_one_404(browser):
    old = _turn(browser, "new")
    new = _turn(browser, "new")
    assert old != new
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


def test_turning_the_feed_off_makes_its_address_404(browser, secretary):
    path = _turn(browser, "new")
    assert _turn(browser, "off") == ""
    assert Client().get(path).status_code == 404
    page = browser.get(reverse("account"))
    assert sv("The calendar feed is off.") in text(page)


def test_an_unknown_action_changes_nothing(browser, secretary):
    path = _turn(browser, "new")
    assert _turn(browser, "explode") == path
    assert _turn(browser, "") == path


def test_a_deactivated_users_feed_is_gone(browser, secretary):
    path = _turn(browser, "new")
    User.objects.filter(pk=secretary.pk).update(is_active=False)
    assert Client().get(path).status_code == 404


@pytest.mark.parametrize(
    "token",
    [
        "x",
        "not-a-token-anyone-was-given-0123456789abc",
        "a" * 65,
        "a" * 500,
        "abc%00defghijklmnopqrstuvwxyz0123456789",
        "..%2F..%2Fetc%2Fpasswd-abcdefghijklmnopqrstu",
        "None",
        "%C3%A5%C3%A4%C3%B6-abcdefghijklmnopqrstuvwxyz",
    ],
)
def test_bad_tokens_are_not_found(db, token):
    page = Client(raise_request_exception=False).get(f"/calendar/{token}.ics")
    assert page.status_code == 404


def test_the_feed_refuses_other_methods(browser):
    path = _turn(browser, "new")
    assert Client().post(path).status_code == 405
    assert browser.get(reverse("account-calendar")).status_code == 405


def test_calendar_buttons_need_the_csrf_token(secretary):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(secretary)
    page = browser.post(reverse("account-calendar"), {"action": "new"})
    assert page.status_code == 403
    secretary.refresh_from_db()
    assert secretary.calendar_token is None


def test_the_feed_is_in_the_owners_language_whoever_asks(browser, secretary, issued_audit):
    path = _turn(browser, "new")
    User.objects.filter(pk=secretary.pk).update(language="en")
    feed = Client(HTTP_ACCEPT_LANGUAGE="sv").get(path)
    [event] = Calendar.from_ical(feed.content).walk("VEVENT")
    assert str(event["SUMMARY"]).startswith("Response due from")


def test_responsible_users_measure_in_their_feed(region, response, issued_audit):
    reader = member(region, ROLE.READER)
    measure = Measure.objects.create(
        response=response,
        description="Ny rutin.",
        responsible="Enhetschef",
        responsible_user=reader,
        original_due_date=datetime.date(2030, 1, 31),
    )
    path = _turn(signed_in(reader), "new")
    [event] = Calendar.from_ical(Client().get(path).content).walk("VEVENT")
    assert str(event["UID"]).startswith(f"measure-{measure.pk}@")


# The settings form ------------------------------------------------------------------


def test_the_form_saves_language_and_digest(browser, secretary):
    assert secretary.weekly_digest is True
    page = browser.post(reverse("account"), {"language": "en"})  # the box left unticked
    assert page.status_code == 302 and page["Location"] == reverse("account")
    secretary.refresh_from_db()
    assert (secretary.language, secretary.weekly_digest) == ("en", False)
    page = browser.get(reverse("account"))
    assert "Your settings were saved." in text(page)
    assert '<html lang="en">' in text(page)

    browser.post(reverse("account"), {"language": "sv", "weekly_digest": "on"})
    secretary.refresh_from_db()
    assert (secretary.language, secretary.weekly_digest) == ("sv", True)


def test_saving_clears_the_language_switchs_cookie(browser, secretary):
    browser.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert browser.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    browser.post(reverse("account"), {"language": "sv", "weekly_digest": "on"})
    assert browser.cookies[settings.LANGUAGE_COOKIE_NAME].value == ""
    page = browser.get(reverse("account"))
    assert '<html lang="sv">' in text(page)


def test_the_form_refuses_an_unknown_language(browser, secretary):
    page = browser.post(reverse("account"), {"language": "de", "weekly_digest": "on"})
    assert page.status_code == 200
    assert field_error(page, "id_language")
    secretary.refresh_from_db()
    assert secretary.language == "sv"


def test_the_form_explains_the_digest_and_reminders(browser):
    page = text(browser.get(reverse("account")))
    assert (
        sv(
            "A weekly e-mail listing everything overdue in your region. Only auditors "
            "and the audit office receive it. Reminders of your own deadlines are "
            "always sent and cannot be turned off."
        )
        in page
    )
