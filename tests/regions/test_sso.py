"""Single sign-on against a real OpenID Connect provider on loopback.

The provider below is small but real: it signs RS256 ID tokens with its own key,
publishes the key as JWKS, checks the PKCE verifier at its token endpoint and
answers userinfo for the access token it issued. The app talks to it over HTTP.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client
from django.urls import reverse

from regions.models import ExternalIdentity, User

from ..conftest import sv

CLIENT_ID = "granskning"
CLIENT_SECRET = "s3cret-for-tests-only-not-a-real-one"


@dataclass
class Provider:
    issuer: str = ""
    key: Any = field(default_factory=lambda: rsa.generate_private_key(65537, 2048))
    algorithm: str = "RS256"
    # code -> (nonce, code_challenge, claims); access token -> claims
    codes: dict[str, tuple[str, str, dict[str, Any]]] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    token_overrides: dict[str, Any] = field(default_factory=dict)
    userinfo_overrides: dict[str, Any] = field(default_factory=dict)

    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": "k1", "alg": "RS256", "use": "sig"}]}

    def grant(self, authorize_url: str, **claims: Any) -> tuple[str, str]:
        """What the provider does after the user signs in there: a code for the app."""
        query = {k: v[0] for k, v in parse_qs(urlparse(authorize_url).query).items()}
        assert query["client_id"] == CLIENT_ID
        assert query["code_challenge_method"] == "S256"
        code = secrets.token_urlsafe(16)
        self.codes[code] = (query["nonce"], query["code_challenge"], claims)
        return code, query["state"]

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
            return 401, {"error": "invalid_client"}
        nonce, challenge, claims = self.codes.pop(form.get("code", ""), (None, None, None))
        verifier = form.get("code_verifier", "")
        digest = hashlib.sha256(verifier.encode()).digest()
        if claims is None or base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != challenge:
            return 400, {"error": "invalid_grant"}
        now = int(time.time())
        payload = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            **claims,
            **self.token_overrides,
        }
        key = self.key if self.algorithm == "RS256" else CLIENT_SECRET
        id_token = jwt.encode(payload, key, algorithm=self.algorithm, headers={"kid": "k1"})
        access = secrets.token_urlsafe(16)
        self.tokens[access] = {**claims, **self.userinfo_overrides}
        return 200, {"id_token": id_token, "access_token": access, "token_type": "Bearer"}


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _send(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path == "/jwks":
                self._send(200, provider.jwks())
            elif self.path == "/userinfo":
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                claims = provider.tokens.get(token)
                self._send(200, claims) if claims else self._send(401, {})
            else:
                self._send(404, {})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if self.path == "/token":
                self._send(*provider.token(form))
            else:
                self._send(404, {})

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@pytest.fixture
def provider(settings) -> Iterator[Provider]:
    provider = Provider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    base = f"http://127.0.0.1:{server.server_address[1]}"
    provider.issuer = base
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.OIDC_OP_ISSUER = base
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{base}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{base}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{base}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{base}/jwks"
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "regions.oidc.IssuerSubjectBackend",
    ]
    yield provider
    server.shutdown()
    server.server_close()


def _sign_in(provider: Provider, client: Client | None = None, **claims: Any):
    client = client or Client()
    start = client.get(reverse("oidc_authentication_init"))
    assert start.status_code == 302
    assert start["Location"].startswith(f"{provider.issuer}/authorize?")
    code, state = provider.grant(start["Location"], **claims)
    return client, client.get(
        reverse("oidc_authentication_callback"), {"code": code, "state": state}
    )


ANNA = {"sub": "a1b2c3", "given_name": "Anna", "family_name": "Lind", "email": "anna@rn.se"}


def test_a_first_sign_in_makes_an_account_without_roles(db, provider):
    client, done = _sign_in(provider, **ANNA)
    assert done.status_code == 302
    assert done["Location"] == reverse("home")
    identity = ExternalIdentity.objects.get()
    assert (identity.issuer, identity.subject) == (provider.issuer, "a1b2c3")
    user = identity.user
    assert (user.first_name, user.last_name, user.email) == ("Anna", "Lind", "anna@rn.se")
    assert not user.has_usable_password()
    assert not user.memberships.exists()
    assert client.get(reverse("account")).status_code == 200


def test_the_next_sign_in_finds_the_same_account_and_follows_the_provider(db, provider):
    _sign_in(provider, **ANNA)
    _client, done = _sign_in(provider, **{**ANNA, "family_name": "Lind Berg"})
    assert done.status_code == 302
    assert User.objects.count() == 1
    assert User.objects.get().last_name == "Lind Berg"


def test_accounts_are_keyed_on_subject_never_on_e_mail(db, provider):
    existing = User.objects.create_user("anna", email="anna@rn.se", password="x" * 12)
    _sign_in(provider, **ANNA)
    # Someone else later gets Anna's old address at the provider: a new account.
    _sign_in(provider, **{**ANNA, "sub": "z9y8x7", "given_name": "Annika"})
    identities = ExternalIdentity.objects.order_by("pk")
    assert [i.subject for i in identities] == ["a1b2c3", "z9y8x7"]
    assert identities[0].user != identities[1].user
    assert existing not in {i.user for i in identities}


@pytest.mark.parametrize(
    ("tamper", "value"),
    [
        ("iss", "https://idp.example.invalid"),
        ("aud", "another-client"),
        ("nonce", "replayed"),
        ("exp", 1_000_000_000),
    ],
)
def test_a_token_for_someone_else_does_not_sign_in(db, provider, tamper, value):
    provider.token_overrides = {tamper: value}
    client, done = _sign_in(provider, **ANNA)
    assert done["Location"] == "/login/?sso=failed"
    assert not ExternalIdentity.objects.exists()
    page = client.get(done["Location"])
    assert (
        sv(
            "Signing in with your organisation's account did not succeed. Try again, or sign in "
            "with a username and password if you have one."
        )
        in page.content.decode()
    )


def test_an_hs256_token_is_refused(db, provider):
    provider.algorithm = "HS256"
    _client, done = _sign_in(provider, **ANNA)
    assert done["Location"] == "/login/?sso=failed"
    assert not User.objects.exists()


def test_userinfo_about_another_subject_is_refused(db, provider):
    provider.userinfo_overrides = {"sub": "someone-else"}
    _client, done = _sign_in(provider, **ANNA)
    assert done["Location"] == "/login/?sso=failed"
    assert not User.objects.exists()


def test_a_provider_that_does_not_answer_is_a_failed_sign_in(db, provider, settings):
    settings.OIDC_OP_TOKEN_ENDPOINT = "http://127.0.0.1:9/token"
    _client, done = _sign_in(provider, **ANNA)
    assert done["Location"] == "/login/?sso=failed"


def test_a_deactivated_account_does_not_sign_in(db, provider):
    _sign_in(provider, **ANNA)
    User.objects.update(is_active=False)
    _client, done = _sign_in(provider, **ANNA)
    assert done["Location"] == "/login/?sso=failed"


def test_without_a_provider_the_sso_addresses_do_not_exist(db, client):
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404
    assert reverse("oidc_authentication_init") not in client.get(reverse("login")).content.decode()


def test_the_login_page_offers_sso_when_configured(db, provider, client):
    page = client.get(reverse("login"))
    assert reverse("oidc_authentication_init") in page.content.decode()
    assert sv("Sign in with your organisation's account") in page.content.decode()


def test_failed_sso_attempts_do_not_lock_out_others_at_the_same_address(db, provider, settings):
    # Colleagues share one address behind the municipality's proxy; refused tokens carry
    # no username, so the password throttle must not count them against everyone.
    provider.token_overrides = {"aud": "another-client"}
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        _client, done = _sign_in(provider, **ANNA)
        assert done["Location"] == "/login/?sso=failed"
    provider.token_overrides = {}
    _client, done = _sign_in(provider, **{**ANNA, "sub": "colleague"})
    assert done["Location"] == reverse("home")
