import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from django.utils.formats import date_format

from tracker.env import env_bool

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "x7Gq-" * 12


def _start(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "tracker.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _start({"DJANGO_DEBUG": "0", "ALLOWED_HOSTS": "granskning.example.se"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_placeholder_secret_key():
    result = _start(
        {
            "DJANGO_DEBUG": "0",
            "ALLOWED_HOSTS": "granskning.example.se",
            "SECRET_KEY": "django-insecure-" + "a" * 50,
        }
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _start({"DJANGO_DEBUG": "0", "SECRET_KEY": GOOD_KEY})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_starts_with_proper_settings():
    result = _start(
        {"DJANGO_DEBUG": "0", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "granskning.example.se"}
    )
    assert result.returncode == 0, result.stderr


def test_a_malformed_boolean_is_an_error(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "kanske")
    with pytest.raises(ImproperlyConfigured):
        env_bool("DJANGO_DEBUG")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_dates_are_iso_in_both_languages(language):
    import datetime

    with translation.override(language):
        assert date_format(datetime.date(2022, 9, 15)) == "2022-09-15"
        field = forms.DateField()
        assert field.clean("2022-09-15") == datetime.date(2022, 9, 15)
        with pytest.raises(forms.ValidationError):
            field.clean("15/9/2022")


def test_compose_describes_the_production_stack():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"web", "worker", "beat", "db", "redis", "mailpit"}
    for name in ("web", "worker", "db", "redis", "mailpit"):
        assert "healthcheck" in services[name], name
    for name in ("web", "worker"):
        conditions = {dep["condition"] for dep in services[name]["depends_on"].values()}
        assert conditions == {"service_healthy"}, name
    assert services["beat"]["deploy"]["replicas"] == 1
    assert "migrate" in services["web"]["command"]
    assert {"pgdata", "uploads"} <= set(compose["volumes"])
    assert services["web"]["environment"]["DJANGO_DEBUG"] == "0"


def _production(args: list[str]) -> subprocess.CompletedProcess:
    """`python <args>` as production starts it: DEBUG off, a random 60-character key."""
    clean = {
        k: v
        for k, v in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE: set by the browser tests' conftest once collected.
        if k not in {"DJANGO_DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "LOG_FORMAT"}
        and not k.startswith(("SECURE_", "SESSION_", "DJANGO_ALLOW_ASYNC"))
    }
    env = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(45),
        "ALLOWED_HOSTS": "granskning.example.se",
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_the_deployment_check_finds_nothing():
    result = _production(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output and "?:" not in output


PRODUCTION_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
names = [
    "SESSION_COOKIE_NAME", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE", "SESSION_COOKIE_PATH", "SESSION_COOKIE_DOMAIN",
    "CSRF_COOKIE_NAME", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_PATH", "CSRF_COOKIE_DOMAIN",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_SSL_REDIRECT",
    "X_FRAME_OPTIONS", "SECURE_REFERRER_POLICY", "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SECURE_CONTENT_TYPE_NOSNIFF", "PASSWORD_HASHERS", "AUTHENTICATION_BACKENDS",
    "SESSION_IDLE_SECONDS", "SESSION_MAX_SECONDS", "SESSION_COOKIE_AGE", "LOG_FORMAT",
]
print(json.dumps({name: getattr(s, name) for name in names}))
"""


@pytest.fixture(scope="module")
def production() -> dict:
    result = _production(["-c", PRODUCTION_SETTINGS])
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_cookies_are_host_prefixed_and_secure(production):
    for kind in ("SESSION", "CSRF"):
        assert production[f"{kind}_COOKIE_NAME"].startswith("__Host-")
        # What the browser requires of a __Host- cookie.
        assert production[f"{kind}_COOKIE_SECURE"] is True
        assert production[f"{kind}_COOKIE_PATH"] == "/"
        assert production[f"{kind}_COOKIE_DOMAIN"] is None
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_production_headers(production):
    assert production["SECURE_HSTS_SECONDS"] >= 31536000
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["X_FRAME_OPTIONS"] == "DENY"
    assert production["SECURE_REFERRER_POLICY"] == "same-origin"
    assert production["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"
    assert production["SECURE_CONTENT_TYPE_NOSNIFF"] is True


def test_production_hashes_passwords_with_argon2_and_throttles_logins(production):
    # The tests themselves hash with MD5 (tests/conftest.py); this is what runs.
    hashers = production["PASSWORD_HASHERS"]
    assert hashers[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    # The older ones stay after it so that their hashes are upgraded at the next login.
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in hashers[1:]
    assert production["AUTHENTICATION_BACKENDS"][0] == "axes.backends.AxesStandaloneBackend"


def test_production_session_limits(production):
    assert production["SESSION_IDLE_SECONDS"] == 3600
    assert production["SESSION_MAX_SECONDS"] == 12 * 3600
    assert production["SESSION_COOKIE_AGE"] == production["SESSION_MAX_SECONDS"]
    assert production["LOG_FORMAT"] == "json"


def test_an_older_hash_becomes_argon2_at_the_next_login(client, settings, db):
    from django.contrib.auth.hashers import make_password

    from regions.models import User
    from tracker import settings as project

    settings.PASSWORD_HASHERS = project.PASSWORD_HASHERS
    user = User.objects.create_user("anna")
    user.password = make_password("rätt-lösenord-2021", hasher="pbkdf2_sha256")
    user.save()
    response = client.post("/login/", {"username": "anna", "password": "rätt-lösenord-2021"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$")


def test_the_compose_healthcheck_reaches_healthz(live_server, settings, transactional_db):
    """The web container's healthcheck, run as written against a live server that only
    accepts the public host name, as production does."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    command = compose["services"]["web"]["healthcheck"]["test"]
    assert command[:3] == ["CMD", "python", "-c"]
    code = command[3].replace("http://127.0.0.1:8000", live_server.url)
    assert code != command[3], "the healthcheck no longer calls 127.0.0.1:8000"
    settings.ALLOWED_HOSTS = ["granskning.example.se"]
    env = {**os.environ, "ALLOWED_HOSTS": "granskning.example.se,127.0.0.1"}
    result = subprocess.run(  # noqa: S603 - the compose file's own command
        [sys.executable, "-c", code], env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    # And a broken instance fails it: here, a Host the server refuses.
    env["ALLOWED_HOSTS"] = "elsewhere.example.se"
    result = subprocess.run(  # noqa: S603 - the compose file's own command
        [sys.executable, "-c", code], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
