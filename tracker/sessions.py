"""Session lifetime: an idle timeout and an absolute maximum since sign-in.

Django alone only knows SESSION_COOKIE_AGE, a sliding or a fixed window, not both. Audit
work is done on shared and borrowed machines, so a forgotten session must end after a
while without use (SESSION_IDLE_SECONDS) and even a busy one must sign in again once a day
or so (SESSION_MAX_SECONDS): a stolen session cookie is then only good for a bounded time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext

from .htmx import is_htmx

logger = logging.getLogger(__name__)

LOGIN_AT = "tracker.login_at"
SEEN_AT = "tracker.seen_at"
# Last activity is rewritten at most this often: saving the session on every request
# would cost a database write per click (and per htmx fragment) for no real precision.
SEEN_RESOLUTION_SECONDS = 60


@receiver(user_logged_in, dispatch_uid="tracker.sessions.stamp_login")
def stamp_login(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    """Connected when this module is imported, i.e. when the middleware loads, before any
    request is served. Test clients' force_login may sign in earlier: the middleware
    stamps such sessions on their first request instead."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGIN_AT] = now
        request.session[SEEN_AT] = now


def _ended(session: dict, now: int) -> str | None:
    """Why the session is over ("idle", "maximum") or None while it may go on."""
    if now - session[LOGIN_AT] >= settings.SESSION_MAX_SECONDS:
        return "maximum"
    if now - session[SEEN_AT] >= settings.SESSION_IDLE_SECONDS:
        return "idle"
    return None


class SessionTimeoutMiddleware:
    """After authentication and messages: ends sessions past either limit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            session = request.session
            now = int(time.time())
            if LOGIN_AT not in session or SEEN_AT not in session:
                # Signed in before these limits existed (or by force_login): start now.
                session[LOGIN_AT] = session.get(LOGIN_AT, now)
                session[SEEN_AT] = now
            reason = _ended(session, now)
            if reason is not None:
                return self._end(request, reason)
            if now - session[SEEN_AT] >= SEEN_RESOLUTION_SECONDS:
                session[SEEN_AT] = now
        return self.get_response(request)

    def _end(self, request: HttpRequest, reason: str) -> HttpResponse:
        logger.info("Session ended: %s limit reached", reason)
        # logout() flushes the server-side session, so the old cookie is worth nothing.
        logout(request)
        messages.info(request, gettext("Your session has ended; please sign in again."))
        login = redirect_to_login(_back_to(request))
        if is_htmx(request):
            # A fragment request: send the whole page to the login form, not the fragment.
            response = HttpResponse(status=204)
            response["HX-Redirect"] = login["Location"]
            return response
        return login


def _back_to(request: HttpRequest) -> str:
    """Where to go after signing in again: the page the user was on. Not the URL of a
    POST or a fragment: signing in ends with a GET of `next`, which for /logout/ or an
    htmx fragment would be an error or half a page."""
    if is_htmx(request):
        page = request.headers.get("HX-Current-URL", "")
    elif request.method in {"GET", "HEAD"}:
        return request.get_full_path()
    else:
        page = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(
        page, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return "/"
    parts = urlsplit(page)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
