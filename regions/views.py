"""The user's own account page and the personal calendar feed it turns on and off."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from recommendations.reminders.calendar import (
    calendar_for,
    calendar_owner,
    calendar_token_renew,
    calendar_token_revoke,
    calendar_url,
)
from tracker.api.authentication import api_token_create, api_token_revoke
from tracker.api.models import ApiToken
from tracker.pages import posted

from .forms import AccountForm
from .two_factor import confirmed_device


@require_http_methods(["GET", "POST"])
@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = AccountForm(posted(request), instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        # The confirmation, and the next page, in the language just chosen.
        translation.activate(user.language)
        messages.success(request, _("Your settings were saved."))
        response = redirect("account")
        # The header's language switch leaves a cookie that would outrank the account's
        # language (tracker.middleware); the choice made here is the account's.
        response.delete_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
    return _account_page(request, form)


def _account_page(
    request: HttpRequest, form: AccountForm, *, new_api_token: str = ""
) -> HttpResponse:
    user = request.user
    return render(
        request,
        "regions/account.html",
        {
            "form": form,
            "feed_url": calendar_url(user),
            "two_step_on": confirmed_device(user) is not None,
            "api_token": ApiToken.objects.filter(user=user).first(),
            "new_api_token": new_api_token,
        },
    )


@require_POST
@login_required
def account_api_token(request: HttpRequest) -> HttpResponse:
    """Create a personal API token (replacing any earlier one) or revoke it. A new token
    is shown on this one page and never again: only its hash is stored."""
    user = request.user
    action = request.POST.get("action")
    if action == "new":
        token = api_token_create(user)
        response = _account_page(request, AccountForm(instance=user), new_api_token=token)
        # The token is in this page alone: no cache, no back button copy.
        response["Cache-Control"] = "no-store"
        return response
    if action == "revoke":
        api_token_revoke(user)
        messages.success(request, _("The API token was revoked. It no longer works."))
    # Anything else is not a button of the page: back to it, nothing changed.
    return redirect("account")


@require_POST
@login_required
def account_calendar(request: HttpRequest) -> HttpResponse:
    """Turn the feed on, give it a new address (the old one stops working), or turn it off."""
    user = request.user
    action = request.POST.get("action")
    if action == "new":
        had_feed = bool(user.calendar_token)
        calendar_token_renew(user)
        if had_feed:
            messages.success(
                request, _("The calendar has a new address. The old address no longer works.")
            )
        else:
            messages.success(request, _("The calendar feed is on."))
    elif action == "off":
        calendar_token_revoke(user)
        messages.success(request, _("The calendar feed is off. Its address no longer works."))
    # Anything else is not a button of the page: back to it, nothing changed.
    return redirect("account")


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed a calendar program subscribes to: the token in the address is the only
    credential (calendar programs cannot log in), so an unknown, revoked or deactivated
    one is simply not found."""
    user = calendar_owner(token)
    if user is None:
        raise Http404
    response = HttpResponse(
        calendar_for(user, timezone.localdate()), content_type="text/calendar; charset=utf-8"
    )
    # Personal data behind a secret address: no shared cache may keep a copy.
    response["Cache-Control"] = "private"
    response["Content-Disposition"] = 'inline; filename="granskning.ics"'
    return response
