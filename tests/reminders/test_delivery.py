"""Delivery against a real SMTP server on loopback: content, retries, stuck claims."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone

from recommendations.models import Reminder
from recommendations.reminders.delivery import claim_next, deliver, retry_delay
from recommendations.reminders.sweep import sweep

from ..web import signed_in
from .conftest import at
from .smtp import SmtpServer

D = datetime.date
Status = Reminder.Status


@pytest.fixture
def smtp(settings):
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


def _deadline_day(audit) -> datetime.datetime:
    return at(audit.response_deadline)


def test_reminder_mail_is_plain_text_and_html_in_the_recipients_language(sent_audit, people, smtp):
    people.auditor.language = "en"
    people.auditor.save()
    with time_machine.travel(_deadline_day(sent_audit), tick=False):
        sweep()
        assert deliver().sent == 2
    by_recipient = {str(message["To"]): message for message in smtp.inbox.messages}
    swedish = by_recipient[people.secretary.email]
    english = by_recipient[people.auditor.email]
    assert str(swedish["Subject"]) == "Yttrande senast 2021-05-31: Granskning av 1177"
    assert str(english["Subject"]) == "Response due 2021-05-31: Granskning av 1177"
    text = swedish.get_body(("plain",)).get_content()
    html = swedish.get_body(("html",)).get_content()
    assert "Regionstyrelsen ska yttra sig över granskningsrapporten" in text
    assert "Sista svarsdag: 2021-05-31 (Sista dagen är i dag.)" in text
    response_url = f"http://127.0.0.1:8000/audits/{sent_audit.pk}/responses/"
    assert response_url in text
    assert f'href="{response_url}' in html
    assert '<html lang="sv">' in html
    # The copy tells the auditor why they got it and links to the audit instead.
    copy = english.get_body(("plain",)).get_content()
    assert "A copy for you as the audit's responsible auditor." in copy
    assert f"Open the audit: http://127.0.0.1:8000/audits/{sent_audit.pk}/" in copy.splitlines()
    assert swedish["Auto-Submitted"] == "auto-generated"
    ledger = Reminder.objects.get(recipient_email=people.secretary.email)
    assert swedish["Message-ID"].strip() == ledger.message_id
    assert (ledger.status, ledger.attempts) == (Status.SENT, 1)


def test_smtp_down_is_retried_with_backoff_and_delivered_when_it_returns(
    sent_audit, people, smtp, settings
):
    smtp.stop()
    with time_machine.travel(_deadline_day(sent_audit), tick=False) as clock:
        sweep()
        stats = deliver()
        assert (stats.sent, stats.retried) == (0, 2)
        waiting = Reminder.objects.get(recipient_email=people.secretary.email)
        assert waiting.status == Status.PENDING
        assert "Connection refused" in waiting.last_error
        assert waiting.next_attempt_at == timezone.now() + retry_delay(1)
        # Not before the backoff has passed, even with the server back.
        smtp.start()
        assert deliver().handled == 0
        clock.shift(retry_delay(1))
        assert deliver().sent == 2
    assert sorted(smtp.inbox.message_ids()) == sorted(
        Reminder.objects.values_list("message_id", flat=True)
    )
    assert retry_delay(1) < retry_delay(2) < retry_delay(3)
    assert retry_delay(20) == datetime.timedelta(hours=6)


def test_final_failure_is_kept_with_its_error_and_shown_in_the_admin(
    sent_audit, people, smtp, settings, admin_user
):
    settings.TRACKER = {**settings.TRACKER, "REMINDER_MAX_ATTEMPTS": 2}
    smtp.stop()
    with time_machine.travel(_deadline_day(sent_audit), tick=False) as clock:
        sweep()
        deliver()
        clock.shift(retry_delay(1))
        assert deliver().failed == 2
        clock.shift(datetime.timedelta(days=2))
        assert deliver().handled == 0
    failed = Reminder.objects.get(recipient_email=people.secretary.email)
    assert (failed.status, failed.attempts) == (Status.FAILED, 2)
    page = signed_in(admin_user).get("/admin/recommendations/reminder/?status__exact=failed")
    assert page.status_code == 200
    assert people.secretary.email in page.content.decode()
    assert "Connection refused" in page.content.decode()
    # The audit office can send them again once the relay is fixed.
    smtp.start()
    signed_in(admin_user).post(
        "/admin/recommendations/reminder/",
        {"action": "retry", "_selected_action": [failed.pk]},
    )
    assert deliver().sent == 1
    assert smtp.inbox.message_ids() == [failed.message_id]


def test_a_claim_left_by_a_dead_sender_is_taken_over_after_the_timeout(
    sent_audit, people, smtp, settings
):
    settings.TRACKER = {**settings.TRACKER, "REMINDER_CLAIM_TIMEOUT": 300}
    with time_machine.travel(_deadline_day(sent_audit), tick=False) as clock:
        sweep()
        claimed = claim_next()  # a sender that then dies
        assert claimed is not None
        reminder, _token = claimed
        assert deliver().sent == 1  # the other row; the claimed one is still held
        clock.shift(datetime.timedelta(seconds=299))
        assert deliver().handled == 0
        clock.shift(datetime.timedelta(seconds=2))
        assert deliver().sent == 1
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (Status.SENT, 2)
    assert sorted(smtp.inbox.message_ids()) == sorted(
        Reminder.objects.values_list("message_id", flat=True)
    )


def test_send_reminders_command_sweeps_and_sends(sent_audit, people, smtp, capsys):
    call_command("send_reminders", "--now", "2021-05-31T08:00")
    out = capsys.readouterr().out
    assert "Queued 2 reminder(s)." in out
    assert "Sent 2" in out
    assert len(smtp.inbox.messages) == 2
    call_command("send_reminders", "--now", "2021-05-31T09:00")
    assert "Queued 0 reminder(s)." in capsys.readouterr().out
    assert len(smtp.inbox.messages) == 2


def test_send_reminders_command_refuses_a_bad_date(db):
    with pytest.raises(CommandError, match="argument --now: must be an ISO date"):
        call_command("send_reminders", "--now", "15/1/2026")
