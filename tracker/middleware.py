"""Use the signed-in user's own language when the browser has not chosen one."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class UserLanguageMiddleware:
    """After LocaleMiddleware and authentication: the account's language (also used for
    its e-mails) wins over the browser's Accept-Language, the language switch over both."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if user is not None and user.is_authenticated and not chosen:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
