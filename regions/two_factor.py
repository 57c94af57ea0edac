"""Optional second factor for local accounts: a time-based code (TOTP) from an app.

A user turns it on from the account page by scanning a QR code and confirming one
code. From then on, a password sign-in is not finished until a current code is given
(django-otp keeps the verification in the session, and throttles wrong codes).
Single sign-on users get their second factor from their identity provider instead.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from typing import Any

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, user_logged_in
from django.contrib.auth.decorators import login_required
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from tracker.pages import posted

SSO_BACKEND = "regions.oidc.IssuerSubjectBackend"
# Set at sign-in: this session still owes a code (read on every request, so no query).
PENDING = "two_factor_pending"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        max_length=8,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "size": 8}
        ),
        error_messages={
            "required": gettext_lazy("Enter the six-digit code."),
            "min_length": gettext_lazy("Enter the six-digit code."),
        },
    )

    def __init__(self, *args: Any, device: TOTPDevice | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit():
            raise forms.ValidationError(_("The code is six digits."))
        if self.device is None:
            raise forms.ValidationError(_("There is no authenticator app to check the code with."))
        allowed, _details = self.device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(
                _("Too many wrong codes in a row. Wait a minute and try again.")
            )
        if not self.device.verify_token(code):
            raise forms.ValidationError(
                _("The code is wrong or has expired. Enter the code the app shows now.")
            )
        return code


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


@receiver(user_logged_in, dispatch_uid="regions.two_factor.pending")
def _owe_a_code(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    local = request.session.get(BACKEND_SESSION_KEY) != SSO_BACKEND
    if local and TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        request.session[PENDING] = True


# Reachable while a code is owed: the code page itself, signing out, and what any page needs.
_OPEN_PREFIXES = ("/static/", "/healthz", "/i18n/")


class SecondFactorMiddleware:
    """After django-otp's middleware: a session that owes a code sees only the code page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.get(PENDING):
            verify, logout = reverse("two-factor-verify"), reverse("logout")
            if request.path not in (verify, logout) and not request.path.startswith(_OPEN_PREFIXES):
                return redirect(f"{verify}?next={request.get_full_path()}")
        return self.get_response(request)


@require_http_methods(["GET", "POST"])
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    device = confirmed_device(request.user)
    if device is None:
        # The app was removed (by an administrator) since sign-in: nothing is owed.
        request.session.pop(PENDING, None)
        return redirect("home")
    form = CodeForm(posted(request), device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        request.session.pop(PENDING, None)
        # A new session key now that the sign-in is complete.
        request.session.cycle_key()
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            target = reverse("home")
        return redirect(target)
    return render(request, "registration/two_factor_verify.html", {"form": form})


def _qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _secret_for_typing(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@require_http_methods(["GET", "POST"])
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.session.get(BACKEND_SESSION_KEY) == SSO_BACKEND:
        return render(request, "regions/two_factor.html", {"sso": True})
    active = confirmed_device(user)
    if active is not None:
        return render(
            request, "regions/two_factor.html", {"active": active, "form": CodeForm(device=active)}
        )
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": _("Authenticator app")}
    )
    form = CodeForm(posted(request), device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        messages.success(request, _("Two-step sign-in is on. Keep the app on your phone."))
        return redirect("account")
    return render(
        request,
        "regions/two_factor.html",
        {
            "form": form,
            "qr": _qr_data_uri(device.config_url),
            "secret": _secret_for_typing(device),
        },
    )


@require_POST
@login_required
def turn_off(request: HttpRequest) -> HttpResponse:
    active = confirmed_device(request.user)
    form = CodeForm(request.POST, device=active)
    if active is None:
        return redirect("two-factor")
    if not form.is_valid():
        return render(
            request, "regions/two_factor.html", {"active": active, "form": form}, status=200
        )
    TOTPDevice.objects.filter(user=request.user).delete()
    messages.success(request, _("Two-step sign-in is off."))
    return redirect("account")
