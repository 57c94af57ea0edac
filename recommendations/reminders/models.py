"""The reminder ledger: one row per (item, kind, due date, stage, recipient)."""

from __future__ import annotations

import hashlib
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from audits.models import Audit
from regions.models import Body, Region


class Reminder(models.Model):
    """A reminder e-mail to one recipient, created by a sweep and sent once.

    The unique key makes a second sweep a no-op; the status is the claim: a sender
    moves a row from pending to sending with a conditional update and only sends when
    that update won. A row left in sending by a dead worker is claimed again once the
    claim is older than REMINDER_CLAIM_TIMEOUT; the repeat keeps the Message-ID.
    """

    class Kind(models.TextChoices):
        RESPONSE_DUE = "response_due", _("response deadline approaching")
        RESPONSE_OVERDUE = "response_overdue", _("response overdue")
        MEASURE_DUE = "measure_due", _("measure due soon")
        MEASURE_OVERDUE = "measure_overdue", _("measure overdue")
        FOLLOW_UP_DUE = "follow_up_due", _("follow-up due")
        DIGEST = "digest", _("weekly digest")

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    OVERDUE_KINDS: ClassVar[tuple[str, ...]] = (Kind.RESPONSE_OVERDUE, Kind.MEASURE_OVERDUE)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    # What the reminder is about, as text so the unique key has no NULLs in it:
    # "audit:12/body:4", "measure:7", "audit:12", "region:3".
    item_key = models.CharField(_("item"), max_length=100)
    due_date = models.DateField(
        _("due date"), help_text=_("The deadline reminded of; for digests, the week's Monday.")
    )
    stage = models.SmallIntegerField(
        _("stage"),
        help_text=_("Days before the deadline, or for overdue reminders the week number."),
    )
    recipient_email = models.EmailField(_("recipient"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("recipient user"),
    )
    is_copy = models.BooleanField(
        _("copy"), default=False, help_text=_("A copy to the responsible auditor.")
    )
    language = models.CharField(_("language"), max_length=2, default="sv")
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("region")
    )
    # Links for the message and the admin; SET_NULL so the ledger outlives what it was about.
    audit = models.ForeignKey(
        Audit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("audit"),
    )
    body = models.ForeignKey(
        Body,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("body"),
    )
    measure = models.ForeignKey(
        "recommendations.Measure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("measure"),
    )
    message_id = models.CharField(_("Message-ID"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    claim_token = models.UUIDField(_("claim"), null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "item_key", "due_date", "stage", "recipient_email"],
                name="recommendations_reminder_once",
            ),
        ]
        indexes = [
            # Delivery looks for claimable rows: pending and due, or stuck in sending.
            models.Index(fields=["status", "next_attempt_at"], name="reminder_claimable_idx"),
            models.Index(fields=["status", "claimed_at"], name="reminder_stuck_idx"),
            # Sweeps ask whether an item's stage already has its rows.
            models.Index(
                fields=["kind", "item_key", "due_date", "stage"], name="reminder_item_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_date} → {self.recipient_email}"


def message_id_for(
    kind: str, item_key: str, due_date: object, stage: int, recipient_email: str
) -> str:
    """The same reminder always carries the same Message-ID, so a repeat folds in mail clients."""
    key = f"{kind}|{item_key}|{due_date}|{stage}|{recipient_email}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    return f"<reminder.{digest}@{settings.TRACKER['MESSAGE_ID_DOMAIN']}>"
