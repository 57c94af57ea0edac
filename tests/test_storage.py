"""Uploads through Django's storage API: the local folder by default, an S3-compatible
bucket with STORAGE_BACKEND=s3, and in both cases served only through the views that
check access. The S3 tests talk to a real S3 endpoint on loopback (moto's server)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from audits.models import Audit
from regions.models import Membership, User

from .s3 import BUCKET, KEYS, REGION, S3Server, without_storage_settings
from .web import form_data, formset_data, member, signed_in, text

ROOT = Path(django_settings.BASE_DIR)
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

STORAGE = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import default_storage
default_storage._setup()
stored = default_storage._wrapped
names = ["bucket_name", "endpoint_url", "region_name", "access_key", "secret_key",
         "default_acl", "querystring_auth", "file_overwrite", "location"]
print(json.dumps({
    "setting": settings.STORAGES["default"],
    "class": f"{type(stored).__module__}.{type(stored).__qualname__}",
    "storage": {name: getattr(stored, name, None) for name in names},
}))
"""


def _settings_with(env: dict[str, str]) -> subprocess.CompletedProcess:
    """Load the settings in a fresh interpreter with `env`, and describe the storage."""
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", STORAGE],
        cwd=ROOT,
        env={
            **without_storage_settings(dict(os.environ)),
            "DJANGO_SETTINGS_MODULE": "tracker.settings",
            "DJANGO_DEBUG": "1",
            **env,
        },
        capture_output=True,
        text=True,
        check=False,
    )


def _storage_with(env: dict[str, str]) -> dict[str, Any]:
    result = _settings_with(env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    server = S3Server(tmp_path_factory.mktemp("s3"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def s3_storage(s3: S3Server) -> dict[str, Any]:
    """STORAGES["default"] as the settings build it from the environment for this server."""
    return _storage_with(s3.env())["setting"]


@pytest.fixture
def in_the_bucket(s3, s3_storage, settings, tmp_path) -> Path:
    """Uploads go to the S3 server; the local upload folder is an empty one to watch."""
    for key in s3.stored():
        s3.client().delete_object(Bucket=BUCKET, Key=key)
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage}
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_uploads_go_to_the_local_folder_by_default():
    described = _storage_with({"UPLOAD_ROOT": "/srv/uploads"})
    assert described["setting"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert described["class"] == "django.core.files.storage.filesystem.FileSystemStorage"


def test_s3_storage_is_assembled_from_the_environment():
    described = _storage_with(
        {
            "STORAGE_BACKEND": "s3",
            "S3_BUCKET": "granskning-uppladdningar",
            "S3_ENDPOINT_URL": "https://s3.example.se",
            "S3_REGION": "eu-north-1",
            "S3_PREFIX": "region-norrbotten",
            **KEYS,
        }
    )
    assert described["setting"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert described["class"] == "storages.backends.s3.S3Storage"
    assert described["storage"] == {
        "bucket_name": "granskning-uppladdningar",
        "endpoint_url": "https://s3.example.se",
        "region_name": "eu-north-1",
        "access_key": KEYS["S3_ACCESS_KEY_ID"],
        "secret_key": KEYS["S3_SECRET_ACCESS_KEY"],
        # Objects private under the bucket's policy, never replaced by a later upload.
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
        "location": "region-norrbotten",
    }


def test_s3_without_keys_leaves_them_to_boto3_and_signing_can_be_turned_off():
    described = _storage_with(
        {"STORAGE_BACKEND": "s3", "S3_BUCKET": "granskning", "S3_QUERYSTRING_AUTH": "0"}
    )
    options = described["setting"]["OPTIONS"]
    # Absent, so that django-storages and boto3 look for AWS_* variables or a role.
    assert "access_key" not in options and "secret_key" not in options
    assert described["storage"]["querystring_auth"] is False
    assert described["storage"]["endpoint_url"] is None


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"STORAGE_BACKEND": "s3"}, "STORAGE_BACKEND=s3 needs S3_BUCKET"),
        ({"STORAGE_BACKEND": "ftp"}, "STORAGE_BACKEND must be local or s3"),
        (
            {"STORAGE_BACKEND": "s3", "S3_BUCKET": "b", "S3_QUERYSTRING_AUTH": "kanske"},
            "S3_QUERYSTRING_AUTH must be a boolean",
        ),
    ],
)
def test_a_bad_storage_setting_refuses_to_start(env, message):
    result = _settings_with(env)
    assert result.returncode != 0
    assert message in result.stderr


def test_nothing_a_request_needs_later_is_kept_in_one_process():
    # Sessions and sign-in failure counters are rows every web process reads; nothing in
    # the app uses Django's cache, which is per process unless configured otherwise.
    assert django_settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert django_settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
    used = [
        str(path.relative_to(ROOT))
        for package in ("tracker", "regions", "audits", "recommendations")
        for path in (ROOT / package).rglob("*.py")
        if "django.core.cache" in path.read_text(encoding="utf-8")
    ]
    assert used == [], "The cache is per process: configure a shared one (Redis) first"


def _edit(browser, audit: Audit, **files) -> Any:
    url = reverse("audit-edit", args=[audit.pk])
    page = browser.get(url)
    data = {**form_data(page.context["form"]), **formset_data(page.context["team"])}
    return browser.post(url, {**data, **files})


def _download(browser, audit: Audit) -> tuple[Any, bytes]:
    page = browser.get(reverse("audit-file", args=[audit.pk, "report"]))
    content = b"".join(page.streaming_content) if page.status_code == 200 else b""
    return page, content


def test_an_uploaded_report_is_kept_in_the_bucket_and_served_through_the_view(
    in_the_bucket, s3, region, audit
):
    browser = signed_in(member(region, Membership.Role.AUDITOR))
    report = SimpleUploadedFile("Revisionsrapport.pdf", PDF, content_type="application/pdf")
    assert _edit(browser, audit, report_file=report).status_code == 302
    audit.refresh_from_db()
    assert s3.stored() == [audit.report_file.name]
    assert audit.report_file.name.startswith("audits/reports/")
    # Nothing on this server's disk.
    assert not any(in_the_bucket.rglob("*"))

    download, content = _download(browser, audit)
    assert (download.status_code, content) == (200, PDF)
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="Revisionsrapport.pdf"'
    for page in ("audit-detail", "audit-edit"):
        # Linked through the view, never by the bucket's address.
        assert s3.url not in text(browser.get(reverse(page, args=[audit.pk])))

    # The same name again is stored beside the first, which stays as it was.
    again = SimpleUploadedFile("Revisionsrapport.pdf", PDF + b"%v2\n")
    assert _edit(browser, audit, report_file=again).status_code == 302
    assert len(s3.stored()) == 2

    # Gone from the bucket: a 404, not a 500.
    for key in s3.stored():
        s3.client().delete_object(Bucket=BUCKET, Key=key)
    assert _download(browser, audit)[0].status_code == 404


def test_the_admin_names_a_stored_file_without_linking_to_the_bucket(
    in_the_bucket, s3, client, audit
):
    audit.report_file.save("rapport.pdf", SimpleUploadedFile("rapport.pdf", PDF))
    admin = User.objects.create_superuser("admin", password="x")
    client.force_login(admin)
    page = text(client.get(reverse("admin:audits_audit_change", args=[audit.pk])))
    assert "rapport" in page
    # The admin's own widget would link the storage's URL: a signed address of the bucket.
    assert s3.url not in page
    assert f'href="{audit.report_file.name}' not in page
    assert REGION not in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="backup uses pg_dump")
def test_a_backup_says_the_uploads_in_a_bucket_are_not_in_it(db, settings, tmp_path, s3_storage):
    settings.STORAGE_BACKEND = "s3"
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage}
    errors = io.StringIO()
    call_command("backup", out=tmp_path, stdout=io.StringIO(), stderr=errors)
    assert f"S3 bucket {BUCKET}, not in UPLOAD_ROOT: this backup holds none" in errors.getvalue()
