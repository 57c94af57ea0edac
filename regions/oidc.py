"""Optional single sign-on through a region's identity provider (OpenID Connect).

Off unless OIDC_ISSUER is set (see README). The code flow with PKCE comes from
mozilla-django-oidc; what is ours: ID tokens must be RS256, from the configured
issuer and for this client, and accounts are found by issuer + subject, never by
e-mail. A first sign-in creates an account without roles; an administrator gives
it its region and role.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any

import jwt
import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .models import ExternalIdentity, User

logger = logging.getLogger(__name__)


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_OP_ISSUER", ""))


def _audiences(payload: dict[str, Any]) -> list[str]:
    audience = payload.get("aud")
    return audience if isinstance(audience, list) else [audience]


class IssuerSubjectBackend(OIDCAuthenticationBackend):
    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        # A refused or unreadable token, or a provider that does not answer, is a failed
        # sign-in (back to the login page with a message), never an error page.
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, jwt.PyJWTError, requests.RequestException, ValueError) as exc:
            logger.warning("Single sign-on refused: %s", exc)
            return None

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        # The subject decides who signs in; an e-mail claim is optional.
        return bool(claims.get("sub"))

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        issuer = settings.OIDC_OP_ISSUER
        if payload.get("iss") != issuer:
            raise SuspiciousOperation("The ID token comes from another issuer.")
        if self.OIDC_RP_CLIENT_ID not in _audiences(payload):
            raise SuspiciousOperation("The ID token was issued to another client.")
        if "exp" not in payload:
            raise SuspiciousOperation("The ID token has no expiry.")
        subject = str(payload.get("sub") or "")
        claims = self.get_userinfo(access_token, id_token, payload)
        # OpenID Connect Core 5.3.2: the userinfo must be about the token's subject.
        if not subject or claims.get("sub") != subject:
            raise SuspiciousOperation("The userinfo does not match the ID token's subject.")
        identity = (
            ExternalIdentity.objects.select_related("user")
            .filter(issuer=issuer, subject=subject)
            .first()
        )
        if identity is None:
            if not self.get_settings("OIDC_CREATE_USER", True):
                return None
            identity = self._new_identity(issuer, subject, claims)
        user = identity.user
        if not user.is_active:
            return None
        self._refresh(user, claims)
        ExternalIdentity.objects.filter(pk=identity.pk).update(last_login=timezone.now())
        return user

    @transaction.atomic
    def _new_identity(self, issuer: str, subject: str, claims: dict[str, Any]) -> ExternalIdentity:
        digest = hashlib.sha256(f"{issuer}\n{subject}".encode()).hexdigest()[:20]
        user = User(username=f"sso-{digest}")
        user.set_unusable_password()
        self._refresh(user, claims, save=False)
        user.save()
        return ExternalIdentity.objects.create(user=user, issuer=issuer, subject=subject)

    def _refresh(self, user: User, claims: dict[str, Any], *, save: bool = True) -> None:
        """Names and address follow the provider; they identify nobody on their own."""
        fields = {
            "first_name": str(claims.get("given_name") or "")[:150],
            "last_name": str(claims.get("family_name") or "")[:150],
            "email": str(claims.get("email") or "")[:254],
        }
        changed = [name for name, value in fields.items() if getattr(user, name) != value]
        for name in changed:
            setattr(user, name, fields[name])
        if save and changed:
            user.save(update_fields=changed)


def not_a_password_sign_in(request: HttpRequest, credentials: dict | None = None) -> bool:
    """For django-axes: the single sign-on callback is not counted or locked.

    It carries no username, so its failures would be counted against the address
    alone and lock out every colleague behind the same proxy; and it cannot be used to
    guess passwords: the provider throttles its own sign-ins.
    """
    return request.path == reverse("oidc_authentication_callback")


def _only_when_enabled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not enabled():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


start = _only_when_enabled(OIDCAuthenticationRequestView.as_view())
callback = _only_when_enabled(OIDCAuthenticationCallbackView.as_view())
