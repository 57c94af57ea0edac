"""The API's tests run on the demo, loaded once per module (tests/web.py).

Every test module marks its tests `django_db` (pytestmark): pytest-django sets up the
test database only for tests that ask for it, and `demo` alone does not.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from regions.models import User
from tracker.api.authentication import api_token_create

from ..conftest import ensure_rating_scales
from ..web import demo_for_a_module

TODAY = timezone.localdate()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ensure_rating_scales()
    with demo_for_a_module(django_db_blocker, TODAY):
        yield


class Api:
    """A client that calls the API with one user's token, in JSON."""

    def __init__(self, user: User | None, token: str | None = None) -> None:
        self.user = user
        self.client = Client()
        if token is None and user is not None:
            token = api_token_create(user)
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}

    def get(self, path: str, params: dict[str, Any] | None = None, **extra: Any):
        return self.client.get(path, params or {}, **self.headers, **extra)

    def post(self, path: str, data: Any, **extra: Any):
        return self.client.post(
            path, json.dumps(data), content_type="application/json", **self.headers, **extra
        )

    def patch(self, path: str, data: Any, **extra: Any):
        return self.client.patch(
            path, json.dumps(data), content_type="application/json", **self.headers, **extra
        )


def api_as(username: str) -> Api:
    return Api(User.objects.get(username=username))
