"""Builders for the objects most tests need, made through the model API."""

from __future__ import annotations

import datetime
import importlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.utils import translation

from audits.models import Audit, AuditQuestion, RatingScale
from recommendations.models import Recommendation, Response
from regions.models import Body, Region


def sv(message: str) -> str:
    """The Swedish a user sees for an English msgid; fails if it has no translation."""
    with translation.override("sv"):
        swedish = translation.gettext(message)
    assert swedish != message, f"No Swedish translation for {message!r}"
    return swedish


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None,
) -> Iterator[None]:
    """On SQLite, test in a database file rather than in memory: the Celery worker
    processes of tests/reminders/test_services.py must open the same database."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        # tmpfs when there is one (a database on disk slows every commit), in a private
        # folder of our own.
        shm = Path("/dev/shm")  # noqa: S108 - only the parent of a mkdtemp folder
        folder = tempfile.mkdtemp(prefix="tracker-test-", dir=shm if shm.is_dir() else None)
        database.setdefault("TEST", {})["NAME"] = str(Path(folder) / "test.sqlite3")
        yield
        shutil.rmtree(folder, ignore_errors=True)
    else:
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs ~0.2 s a user; tests check behaviour, not hash strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _uploads_in_a_temporary_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    # Uploaded responses must not land in the checkout's var/uploads. Session-wide, so
    # files that module-scoped fixtures upload are found by the tests that read them.
    from django.conf import settings

    settings.MEDIA_ROOT = tmp_path_factory.mktemp("uploads")


@pytest.fixture(autouse=True)
def _swedish():
    with translation.override("sv"):
        yield


@pytest.fixture
def region(db) -> Region:
    return Region.objects.create(name="Region Norrbotten", code="norrbotten")


@pytest.fixture
def other_region(db) -> Region:
    return Region.objects.create(name="Region Västerbotten", code="vasterbotten")


@pytest.fixture
def board(region) -> Body:
    return Body.objects.create(region=region, name="Regionstyrelsen", short_name="RS")


def ensure_rating_scales() -> None:
    """The rating scales a data migration ships. Transactional tests (live server,
    threads) flush the database after themselves, so the next one puts them back."""
    migration = importlib.import_module("audits.migrations.0003_rating_scales")
    migration.add_scales(django_apps, None)


@pytest.fixture
def scale(db) -> RatingScale:
    ensure_rating_scales()
    return RatingScale.objects.get(code="uppfylld")


@pytest.fixture
def audit(region, scale) -> Audit:
    return Audit.objects.create(
        region=region, title="Granskning av 1177", year=2021, rating_scale=scale
    )


@pytest.fixture
def issued_audit(audit, board) -> Audit:
    audit.status = Audit.Status.ISSUED
    audit.issued_date = datetime.date(2021, 2, 26)
    audit.response_deadline = datetime.date(2021, 5, 31)
    audit.save()
    audit.audited_bodies.add(board)
    return audit


@pytest.fixture
def question(audit) -> AuditQuestion:
    return AuditQuestion.objects.create(audit=audit, position=1, text="Finns en styrning?")


@pytest.fixture
def recommendation(issued_audit, board) -> Recommendation:
    return Recommendation.objects.create(
        audit=issued_audit, body=board, number=1, text="Inför systematisk uppföljning."
    )


@pytest.fixture
def response(issued_audit, board) -> Response:
    return Response.objects.create(
        audit=issued_audit, body=board, received_date=datetime.date(2021, 5, 20)
    )
