"""Who calls the API: a personal token (Authorization: Bearer ...) or, for reading in
the browser, the signed-in session. Nobody else: an anonymous request is a 401."""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from regions.models import User

from .models import ApiToken

TOKEN_PREFIX = "gr_"  # noqa: S105 - the mark of our tokens, not a secret
# What `api_token_create` produces; anything else is refused before the database sees it
# (PostgreSQL rejects a NUL byte in a query with an error, not an empty result).
TOKEN_PATTERN = re.compile(r"gr_[A-Za-z0-9_-]{43}")
# The last use is written at most this often, not on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=5)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(user: User) -> str:
    """A new token for the user, replacing any earlier one; returned this once only."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.filter(user=user).delete()
    ApiToken.objects.create(user=user, key_hash=_hash(token), prefix=token[:10])
    return token


def api_token_revoke(user: User) -> None:
    ApiToken.objects.filter(user=user).delete()


def api_token_user(token: str) -> User | None:
    """The active user a token belongs to, or None."""
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    found = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(token))
        .only("pk", "last_used_at", "user")
    ).first()
    if found is None or not found.user.is_active:
        return None
    now = timezone.now()
    if found.last_used_at is None or now - found.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, None] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        try:
            token = header[1].decode("ascii")
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from exc
        user = api_token_user(token)
        if user is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return user, None

    def authenticate_header(self, request: Request) -> str:
        # A 401 names the scheme (and makes DRF answer 401 rather than 403).
        return f'{self.keyword} realm="api"'


class ReadOnlySessionAuthentication(authentication.SessionAuthentication):
    """The browser's session, for reading only: writes need a token."""

    def authenticate(self, request: Request) -> Any:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            return None
        return super().authenticate(request)
