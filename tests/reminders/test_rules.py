"""Which reminders go out on which days, to whom, and when they stop (time frozen)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from audits.models import Audit
from recommendations.models import FollowUp, Measure, Recommendation, Reminder, Response
from recommendations.reminders.delivery import deliver
from recommendations.reminders.sweep import sweep
from recommendations.services import measure_complete, measure_revise

from ..conftest import sv
from .conftest import at, days, measure_for

D = datetime.date
Kind = Reminder.Kind


def _timeline(run_day, first, last, until_each=None):
    sent = []
    for day in days(first, last):
        if until_each:
            until_each(day)
        sent.extend(run_day(day))
    return sent


def test_response_reminders_fire_14_3_0_days_before_then_weekly_until_answered(
    sent_audit, board, people, run_day
):
    def answer_on_june_16(day):
        if day == D(2021, 6, 16):
            Response.objects.create(audit=sent_audit, body=board, received_date=day)

    sent = _timeline(run_day, D(2021, 5, 1), D(2021, 7, 15), answer_on_june_16)
    to_secretary = [(s.day, s.kind) for s in sent if s.to == people.secretary.email]
    assert to_secretary == [
        (D(2021, 5, 17), Kind.RESPONSE_DUE),
        (D(2021, 5, 28), Kind.RESPONSE_DUE),
        (D(2021, 5, 31), Kind.RESPONSE_DUE),
        (D(2021, 6, 1), Kind.RESPONSE_OVERDUE),
        (D(2021, 6, 8), Kind.RESPONSE_OVERDUE),
        (D(2021, 6, 15), Kind.RESPONSE_OVERDUE),
    ]
    # The responsible auditor gets a copy of each; nobody else hears of it.
    to_auditor = [
        (s.day, s.kind) for s in sent if s.to == people.auditor.email and s.kind != Kind.DIGEST
    ]
    assert to_auditor == to_secretary
    # Plus the weekly digests of the weeks that started with the response overdue.
    digests = [s.day for s in sent if s.kind == Kind.DIGEST]
    assert digests == [D(2021, 6, 7), D(2021, 6, 7), D(2021, 6, 14), D(2021, 6, 14)]
    assert {s.to for s in sent if s.kind != Kind.DIGEST} == {
        people.secretary.email,
        people.auditor.email,
    }


def test_reminder_days_are_set_per_region(sent_audit, region, people, run_day):
    region.response_reminder_days = "7, 1"
    region.full_clean()
    region.save()
    assert region.response_reminder_days == "7,1"
    sent = _timeline(run_day, D(2021, 5, 1), D(2021, 5, 31))
    assert [s.day for s in sent if s.to == people.secretary.email] == [
        D(2021, 5, 24),
        D(2021, 5, 30),
    ]


def test_a_missed_sweep_sends_late_once_and_does_not_burst(sent_audit, people, run_day):
    # Nothing ran on the 14-day mark (2021-05-17): the next sweep sends that stage late.
    late = run_day(D(2021, 5, 20))
    assert [(s.kind, s.to) for s in late if s.to == people.secretary.email] == [
        (Kind.RESPONSE_DUE, people.secretary.email)
    ]
    assert run_day(D(2021, 5, 21)) == []
    # Down from 2021-05-21 to the deadline: only the current stage (0 days) goes out,
    # not the skipped 3-day one as well.
    on_time = run_day(D(2021, 5, 31))
    assert len([s for s in on_time if s.to == people.secretary.email]) == 1
    assert Reminder.objects.filter(stage=3).count() == 0


def test_a_response_recorded_after_the_sweep_stops_the_queued_reminder(sent_audit, board, people):
    with time_machine.travel(at(D(2021, 5, 31)), tick=False):
        assert sweep() == 2  # secretary and the responsible auditor's copy
        Response.objects.create(audit=sent_audit, body=board, received_date=D(2021, 5, 31))
        stats = deliver()
    assert (stats.sent, stats.cancelled) == (0, 2)
    assert mail.outbox == []
    assert set(Reminder.objects.values_list("status", flat=True)) == {Reminder.Status.CANCELLED}


def test_a_second_sweep_adds_nothing_and_message_ids_are_stable(sent_audit, people):
    with time_machine.travel(at(D(2021, 5, 17)), tick=False):
        assert sweep() == 2
        assert sweep() == 0
        ids = sorted(Reminder.objects.values_list("message_id", flat=True))
        Reminder.objects.all().delete()
        sweep()
    assert sorted(Reminder.objects.values_list("message_id", flat=True)) == ids
    assert len(set(ids)) == 2


def test_reminders_found_at_night_wait_for_the_morning(sent_audit, people):
    with time_machine.travel(at(D(2021, 5, 17), hour=0), tick=False):
        sweep()
        assert deliver().sent == 0
    with time_machine.travel(at(D(2021, 5, 17), hour=7), tick=False):
        assert deliver().sent == 2


def test_measure_reminders_restart_from_a_revised_date_and_stop_when_done(
    sent_audit, board, people, run_day
):
    owner = people.office
    measure = measure_for(
        sent_audit, board, D(2021, 9, 30), responsible="Ekonomidirektör", responsible_user=owner
    )

    def act(day):
        if day == D(2021, 10, 10):
            measure.refresh_from_db()
            measure_revise(
                measure=measure, new_due_date=D(2021, 12, 31), reason="Ny budgetprocess."
            )
        if day == D(2022, 1, 12):
            measure.refresh_from_db()
            measure_complete(measure=measure, completed_date=day)

    sent = _timeline(run_day, D(2021, 9, 1), D(2022, 1, 31), act)
    to_owner = [(s.day, s.kind) for s in sent if s.to == owner.email and s.kind != Kind.DIGEST]
    assert to_owner == [
        (D(2021, 9, 16), Kind.MEASURE_DUE),
        (D(2021, 9, 30), Kind.MEASURE_DUE),
        (D(2021, 10, 1), Kind.MEASURE_OVERDUE),
        (D(2021, 10, 8), Kind.MEASURE_OVERDUE),
        (D(2021, 12, 17), Kind.MEASURE_DUE),
        (D(2021, 12, 31), Kind.MEASURE_DUE),
        (D(2022, 1, 1), Kind.MEASURE_OVERDUE),
        (D(2022, 1, 8), Kind.MEASURE_OVERDUE),
    ]


def test_a_measure_without_a_responsible_user_goes_to_the_secretaries_or_the_body(
    sent_audit, board, people, run_day
):
    measure_for(sent_audit, board, D(2021, 9, 30), responsible="Förvaltningen")
    assert {s.to for s in run_day(D(2021, 9, 30))} == {people.secretary.email}
    people.secretary.is_active = False
    people.secretary.save()
    board.email = "Regionstyrelsen@Norrbotten.example.se"
    board.save()
    Measure.objects.update(original_due_date=D(2021, 10, 31))
    assert {s.to for s in run_day(D(2021, 10, 31))} == {"regionstyrelsen@norrbotten.example.se"}


def test_follow_up_reminders_go_to_the_audit_side_once_per_due_date(
    sent_audit, board, people, run_day, settings
):
    settings.TRACKER = {**settings.TRACKER, "FOLLOW_UP_INTERVAL_DAYS": 365}
    Response.objects.create(audit=sent_audit, body=board, received_date=D(2021, 5, 20))
    sent_audit.status = Audit.Status.ANSWERED
    sent_audit.save()
    # Due a year after the response deadline (2021-05-31).
    assert run_day(D(2022, 5, 30)) == []
    first = run_day(D(2022, 5, 31))
    assert {(s.kind, s.to) for s in first} == {
        (Kind.FOLLOW_UP_DUE, people.auditor.email),
        (Kind.FOLLOW_UP_DUE, people.office.email),
    }
    assert run_day(D(2022, 6, 1)) == []
    FollowUp.objects.create(
        recommendation=Recommendation.objects.get(audit=sent_audit),
        date=D(2022, 6, 2),
        assessment=FollowUp.Assessment.PARTLY,
    )
    assert run_day(D(2022, 6, 6)) == []  # not due again until 2023-06-02
    assert len(run_day(D(2023, 6, 2))) == 2


def test_weekly_digest_goes_to_auditors_who_want_it_once_a_week(sent_audit, people, run_day):
    people.office.weekly_digest = False
    people.office.save()
    # 2021-06-07 is a Monday; the response has been overdue since 2021-06-01.
    monday = run_day(D(2021, 6, 7))
    digests = [s for s in monday if s.kind == Kind.DIGEST]
    assert [s.to for s in digests] == [people.auditor.email]
    assert "Region Norrbotten" in digests[0].subject
    tuesday = run_day(D(2021, 6, 8))
    assert [s for s in tuesday if s.kind == Kind.DIGEST] == []
    # The opted-out member still gets deadline notices of their own.
    measure_for(
        sent_audit,
        sent_audit.audited_bodies.get(),
        D(2021, 6, 30),
        responsible_user=people.office,
    )
    assert {s.kind for s in run_day(D(2021, 6, 30)) if s.to == people.office.email} == {
        Kind.MEASURE_DUE
    }


def test_no_digest_when_nothing_is_overdue(sent_audit, board, people, run_day):
    Response.objects.create(audit=sent_audit, body=board, received_date=D(2021, 5, 20))
    assert [s for s in run_day(D(2021, 6, 7)) if s.kind == Kind.DIGEST] == []


def test_drafts_and_other_regions_are_never_reminded(audit, other_region, people, run_day, scale):
    audit.response_deadline = D(2021, 5, 31)  # a draft with a planned date
    audit.save()
    assert run_day(D(2021, 5, 31)) == []
    assert Reminder.objects.count() == 0


def test_reminder_days_are_validated_and_stored_tidy(region):
    region.response_reminder_days = "14; 3"
    with pytest.raises(ValidationError) as error:
        region.full_clean()
    assert error.value.message_dict["response_reminder_days"] == [
        sv("Enter whole numbers of days separated by commas, e.g. 14,3,0.")
    ]
    region.response_reminder_days = " 3, 30 ,7,3 "
    region.full_clean()
    assert region.response_reminder_days == "30,7,3"


def test_the_responsible_auditor_must_be_on_the_audit_side_of_the_region(
    sent_audit, people, other_region
):
    sent_audit.responsible_auditor = people.secretary
    with pytest.raises(ValidationError) as error:
        sent_audit.full_clean()
    assert error.value.message_dict["responsible_auditor"] == [
        sv("Choose an auditor or audit-office member of the audit's region.")
    ]
    sent_audit.responsible_auditor = people.office
    sent_audit.full_clean()
