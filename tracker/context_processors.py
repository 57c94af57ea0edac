"""Template context every page needs: the user's scope for navigation."""

from __future__ import annotations

from django.http import HttpRequest

from regions import oidc
from regions.access import scope_for


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None:
        return {}
    # Lazy: pages that never show navigation (health, downloads) pay nothing.
    return {"scope": _LazyScope(request), "sso_enabled": oidc.enabled()}


class _LazyScope:
    def __init__(self, request: HttpRequest) -> None:
        self._request = request
        self._scope = None

    def __getattr__(self, name: str) -> object:
        if self._scope is None:
            self._scope = scope_for(self._request.user)
        return getattr(self._scope, name)
