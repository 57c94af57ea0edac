"""People and records for reminder tests: Region Norrbotten's 1177 audit, issued
2021-02-26 with the response due 2021-05-31, addressed to the regional board."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from audits.models import Audit
from recommendations.models import Measure, Recommendation, Response
from recommendations.reminders.delivery import Delivery, deliver
from recommendations.reminders.sweep import sweep
from regions.models import Body, Membership, Region, User

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def person(username: str, region: Region, role: str, *, bodies=(), **fields) -> User:
    user = User.objects.create_user(
        username, email=f"{username}@example.se", first_name=username.title(), **fields
    )
    membership = Membership.objects.create(user=user, region=region, role=role)
    membership.bodies.set(bodies)
    return user


@dataclass
class People:
    secretary: User
    auditor: User
    office: User
    reader: User


@pytest.fixture
def people(region: Region, board: Body) -> People:
    return People(
        secretary=person("sekreterare", region, Membership.Role.SECRETARY, bodies=(board,)),
        auditor=person("revisor", region, Membership.Role.AUDITOR),
        office=person("kontoret", region, Membership.Role.AUDIT_OFFICE),
        reader=person("lasare", region, Membership.Role.READER),
    )


@pytest.fixture
def sent_audit(issued_audit: Audit, board: Body, people: People) -> Audit:
    issued_audit.responsible_auditor = people.auditor
    issued_audit.save()
    Recommendation.objects.create(
        audit=issued_audit, body=board, number=1, text="Inför systematisk uppföljning."
    )
    return issued_audit


def at(day: datetime.date, hour: int = 8) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=STOCKHOLM)


@dataclass(frozen=True)
class Sent:
    day: datetime.date
    kind: str
    to: str
    subject: str


def _kind(message: EmailMultiAlternatives) -> str:
    from recommendations.models import Reminder

    return Reminder.objects.get(message_id=message.extra_headers["Message-ID"]).kind


@pytest.fixture
def run_day() -> Callable[[datetime.date], list[Sent]]:
    """Live through one day at 08:00 Stockholm time: sweep, deliver, return the mails."""

    def run(day: datetime.date, hour: int = 8) -> list[Sent]:
        mail.outbox.clear()
        with time_machine.travel(at(day, hour), tick=False):
            sweep()
            stats: Delivery = deliver()
        assert stats.failed == stats.retried == 0, stats
        return [
            Sent(day, _kind(message), message.to[0], message.subject) for message in mail.outbox
        ]

    return run


def days(first: datetime.date, last: datetime.date) -> Iterator[datetime.date]:
    day = first
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


def measure_for(audit: Audit, body: Body, due: datetime.date, **fields) -> Measure:
    response = Response.objects.filter(audit=audit, body=body).first() or Response.objects.create(
        audit=audit, body=body, received_date=audit.response_deadline
    )
    return Measure.objects.create(
        response=response,
        description="Ta fram en rutin för uppföljning av 1177.",
        original_due_date=due,
        **fields,
    )
