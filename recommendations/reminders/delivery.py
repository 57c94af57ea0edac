"""Delivery: claim one ledger row, send it, record the outcome; repeat.

The claim is a conditional UPDATE (pending and due, or sending with a claim older than
REMINDER_CLAIM_TIMEOUT) so two senders never both win a row. On PostgreSQL the
candidate is picked with SKIP LOCKED so parallel workers do not queue behind each other.
A worker that dies after the SMTP server accepted a mail but before the row was marked
sent leaves the row in "sending"; it is claimed again after the timeout and sent once
more with the same Message-ID, which mail clients fold into the first.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection as db
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from .messages import build
from .models import Reminder

log = logging.getLogger(__name__)
Status = Reminder.Status


@dataclass
class Delivery:
    sent: int = 0
    cancelled: int = 0
    retried: int = 0
    failed: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.cancelled + self.retried + self.failed


def claimable(now: datetime.datetime) -> Q:
    stale = now - datetime.timedelta(seconds=settings.TRACKER["REMINDER_CLAIM_TIMEOUT"])
    return Q(status=Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Status.SENDING, claimed_at__lt=stale
    )


def due_count(now: datetime.datetime | None = None) -> int:
    return Reminder.objects.filter(claimable(now or timezone.now())).count()


def claim_next(now: datetime.datetime | None = None) -> tuple[Reminder, uuid.UUID] | None:
    """Claim the next deliverable row for this sender, or None when there is none."""
    for _attempt in range(20):
        clock = now or timezone.now()
        if db.features.has_select_for_update_skip_locked:
            # PostgreSQL: lock the candidate, skipping rows other senders hold right now.
            with transaction.atomic():
                pk = _candidates(clock).select_for_update(skip_locked=True).first()
                if pk is None:
                    return None
                token = _claim(pk, clock)
        else:
            # SQLite: no row locks; look, then let the conditional update decide. Kept out
            # of a transaction so the write waits for the lock instead of failing at once.
            pk = _candidates(clock).first()
            if pk is None:
                return None
            token = _claim(pk, clock)
        if token is not None:
            reminder = Reminder.objects.select_related(
                "audit__region", "body", "region", "measure"
            ).get(pk=pk)
            return reminder, token
        # Another sender took it between our look and our update; look again.
    return None


def _candidates(clock: datetime.datetime) -> QuerySet:
    return (
        Reminder.objects.filter(claimable(clock))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)
    )


def _claim(pk: int, clock: datetime.datetime) -> uuid.UUID | None:
    token = uuid.uuid4()
    won = Reminder.objects.filter(claimable(clock), pk=pk).update(
        status=Status.SENDING,
        # Real time even under --now: other senders judge staleness by it.
        claimed_at=timezone.now(),
        claim_token=token,
        attempts=F("attempts") + 1,
    )
    return token if won == 1 else None


def _finish(reminder: Reminder, token: uuid.UUID, **fields: object) -> bool:
    """Record an outcome, but only while the claim is still ours."""
    updated = Reminder.objects.filter(
        pk=reminder.pk, claim_token=token, status=Status.SENDING
    ).update(**fields)
    if not updated:
        log.warning("Reminder %s was claimed again by another sender", reminder.pk)
    return bool(updated)


def retry_delay(attempts: int) -> datetime.timedelta:
    base = settings.TRACKER["REMINDER_RETRY_SECONDS"]
    return datetime.timedelta(seconds=min(base * 4 ** max(attempts - 1, 0), 6 * 3600))


def _failed(reminder: Reminder, token: uuid.UUID, error: BaseException, stats: Delivery) -> None:
    message = f"{type(error).__name__}: {error}"[:2000]
    attempts = reminder.attempts
    if attempts >= settings.TRACKER["REMINDER_MAX_ATTEMPTS"]:
        log.error("Reminder %s failed for good after %s attempts: %s", reminder.pk, attempts, error)
        _finish(reminder, token, status=Status.FAILED, last_error=message)
        stats.failed += 1
        return
    log.warning("Reminder %s attempt %s failed, will retry: %s", reminder.pk, attempts, error)
    _finish(
        reminder,
        token,
        status=Status.PENDING,
        last_error=message,
        next_attempt_at=timezone.now() + retry_delay(attempts),
    )
    stats.retried += 1


def deliver(limit: int | None = None, now: datetime.datetime | None = None) -> Delivery:
    """Send deliverable reminders until none is left (or `limit` were handled).

    `now` fixes the clock for what counts as due and what the mail says (the command's
    --now); normally the real time is read for every claim.
    """
    stats = Delivery()
    smtp: BaseEmailBackend | None = None
    try:
        while limit is None or stats.handled < limit:
            claimed = claim_next(now)
            if claimed is None:
                break
            reminder, token = claimed
            if reminder.attempts > settings.TRACKER["REMINDER_MAX_ATTEMPTS"]:
                # Claimed again and again without an outcome: its sender keeps dying on it.
                _finish(
                    reminder,
                    token,
                    status=Status.FAILED,
                    last_error=f"No outcome after {reminder.attempts - 1} attempts.",
                )
                stats.failed += 1
                continue
            try:
                message = build(reminder, timezone.localdate(now) if now else None)
                if message is None:
                    _finish(reminder, token, status=Status.CANCELLED, last_error="")
                    stats.cancelled += 1
                    continue
                if smtp is None:
                    # One connection for the batch; reopened after an error.
                    smtp = get_connection()
                    smtp.open()
                message.connection = smtp
                message.send()
            except Exception as error:  # any failure is retried, then shown
                _failed(reminder, token, error, stats)
                if smtp is not None:
                    _close(smtp)
                    smtp = None
                continue
            if _finish(reminder, token, status=Status.SENT, sent_at=timezone.now(), last_error=""):
                stats.sent += 1
    finally:
        if smtp is not None:
            _close(smtp)
    return stats


def _close(smtp: BaseEmailBackend) -> None:
    try:
        smtp.close()
    except Exception:  # a broken connection may fail to close
        log.debug("Closing the SMTP connection failed", exc_info=True)
