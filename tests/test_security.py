"""Security headers on served pages, and templates that a strict CSP can serve."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from regions.models import User

ROOT = Path(__file__).resolve().parent.parent
# Rendered into PDFs (WeasyPrint) or sent as e-mail, never served as a web page.
NOT_SERVED = ("templates/pdf/", "templates/emails/")
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "style element": re.compile(r"<style\b", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}
EXPECTED_DIRECTIVES = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
}


def _directives(header: str) -> set[str]:
    return {part.strip() for part in header.split(";") if part.strip()}


def _served_templates() -> list[Path]:
    apps = ("audits", "recommendations", "regions", "tracker")
    folders = [ROOT / "templates", *(ROOT / app / "templates" for app in apps)]
    found = [path for folder in folders if folder.is_dir() for path in folder.rglob("*.html")]
    return [p for p in found if not str(p.relative_to(ROOT)).startswith(NOT_SERVED)]


@pytest.fixture
def staff_client(client, db):
    user = User.objects.create_superuser("chef", "chef@example.invalid", "hemligt-2021")
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", ["login", "home", "admin:index"])
def test_pages_carry_the_strict_policy(staff_client, name):
    response = staff_client.get(reverse(name))
    assert response.status_code == 200
    header = response["Content-Security-Policy"]
    assert _directives(header) >= EXPECTED_DIRECTIVES
    assert "unsafe-inline" not in header and "unsafe-eval" not in header


def test_anonymous_login_page_has_the_other_headers(client, db):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_served_templates_have_no_inline_script_or_style():
    templates = _served_templates()
    assert len(templates) > 20, "the template folders were not found"
    found = [
        f"{path.relative_to(ROOT)}: {what}"
        for path in templates
        for what, pattern in INLINE.items()
        if pattern.search(path.read_text())
    ]
    assert found == []
