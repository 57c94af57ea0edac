"""Builders for the objects most tests need, made through the model API."""

from __future__ import annotations

import datetime

import pytest
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


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs ~0.2 s a user; tests check behaviour, not hash strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


@pytest.fixture
def scale(db) -> RatingScale:
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
