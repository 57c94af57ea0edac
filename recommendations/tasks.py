"""Celery tasks for reminders. Beat runs the sweep and the dispatch on intervals.

Tasks carry no ledger ids: a lost, repeated or redelivered task message is harmless,
because the ledger, not the broker, says what is still to be sent.
"""

from __future__ import annotations

import dataclasses
import math

from celery import shared_task
from django.conf import settings

from .reminders.delivery import deliver, due_count
from .reminders.sweep import sweep

# Parallel senders woken per dispatch; more only contend for the same SMTP server.
MAX_SENDERS = 4


@shared_task(name="recommendations.tasks.sweep_reminders")
def sweep_reminders() -> int:
    queued = sweep()
    dispatch_reminders()
    return queued


@shared_task(name="recommendations.tasks.dispatch_reminders")
def dispatch_reminders() -> int:
    due = due_count()
    senders = min(math.ceil(due / settings.TRACKER["REMINDER_BATCH"]), MAX_SENDERS)
    for _ in range(senders):
        deliver_reminders.delay()
    return senders


@shared_task(name="recommendations.tasks.deliver_reminders")
def deliver_reminders() -> dict[str, int]:
    return dataclasses.asdict(deliver(limit=settings.TRACKER["REMINDER_BATCH"]))
