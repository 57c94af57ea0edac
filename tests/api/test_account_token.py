"""The account page creates and revokes the user's API token, shown once only."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from regions.models import Membership
from tracker.api.models import ApiToken

from ..web import member, signed_in, text
from .conftest import Api

URL = reverse("account-api-token")


@pytest.fixture
def secretary(region, board):
    return member(region, Membership.Role.SECRETARY, bodies=(board,))


def _shown_token(page) -> str:
    match = re.search(r'id="api-token" value="(gr_[^"]+)"', page.content.decode())
    assert match, "the new token is not on the page"
    return match.group(1)


def test_a_created_token_is_shown_once_and_works(secretary):
    browser = signed_in(secretary)
    page = browser.post(URL, {"action": "new"})
    assert page.status_code == 200
    assert page["Cache-Control"] == "no-store"
    token = _shown_token(page)
    stored = ApiToken.objects.get(user=secretary)
    assert token not in stored.key_hash and token.startswith(stored.prefix)
    assert Api(secretary, token).get("/api/v1/regions/").status_code == 200
    # Afterwards the page names the token by its beginning, never in full.
    again = text(browser.get(reverse("account")))
    assert token not in again
    assert stored.prefix in again


def test_a_new_token_replaces_the_old_one(secretary):
    browser = signed_in(secretary)
    first = _shown_token(browser.post(URL, {"action": "new"}))
    second = _shown_token(browser.post(URL, {"action": "new"}))
    assert first != second
    assert Api(secretary, first).get("/api/v1/regions/").status_code == 401
    assert Api(secretary, second).get("/api/v1/regions/").status_code == 200


def test_revoking_ends_the_token(secretary):
    browser = signed_in(secretary)
    token = _shown_token(browser.post(URL, {"action": "new"}))
    page = browser.post(URL, {"action": "revoke"})
    assert page.status_code == 302 and page["Location"] == reverse("account")
    assert not ApiToken.objects.filter(user=secretary).exists()
    assert Api(secretary, token).get("/api/v1/regions/").status_code == 401


def test_no_action_changes_nothing(secretary):
    browser = signed_in(secretary)
    assert browser.post(URL, {}).status_code == 302
    assert not ApiToken.objects.exists()


def test_signed_out_users_cannot_create_a_token(client, db):
    page = client.post(URL, {"action": "new"})
    assert page.status_code == 302 and page["Location"].startswith(reverse("login"))
    assert not ApiToken.objects.exists()
