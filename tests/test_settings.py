import os
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
