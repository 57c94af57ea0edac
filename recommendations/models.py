"""Recommendations, the bodies' responses and measures, and the auditors' follow-ups."""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import ExpressionWrapper, F, Max, Q
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext_lazy as _

from audits.models import Audit, AuditQuestion
from regions.models import Body, Target
from tracker.versioning import Versioned


class RecommendationQuerySet(models.QuerySet["Recommendation"]):
    def awaiting_response(self) -> RecommendationQuerySet:
        """Sent to a body that has not answered yet (answers set the status on)."""
        return self.filter(status=Recommendation.Status.OPEN, audit__status__in=Audit.OPEN_STATUSES)

    def unresolved(self) -> RecommendationQuerySet:
        return self.exclude(status__in=Recommendation.RESOLVED_STATUSES)

    def with_follow_up_due(self) -> RecommendationQuerySet:
        """Annotate when the next follow-up is due: an interval after the latest one,
        or after the response deadline when there is none yet."""
        interval = datetime.timedelta(days=settings.TRACKER["FOLLOW_UP_INTERVAL_DAYS"])
        return self.annotate(
            last_follow_up=Max("follow_ups__date"),
            follow_up_base=Coalesce(Max("follow_ups__date"), "audit__response_deadline"),
        ).annotate(
            # PostgreSQL's date + interval is a timestamp; the page wants the date.
            follow_up_due=Cast(
                ExpressionWrapper(F("follow_up_base") + interval, output_field=models.DateField()),
                models.DateField(),
            )
        )

    def follow_up_due(self, by: datetime.date) -> RecommendationQuerySet:
        """Unresolved recommendations of open audits whose next follow-up falls by `by`."""
        interval = datetime.timedelta(days=settings.TRACKER["FOLLOW_UP_INTERVAL_DAYS"])
        return (
            self.unresolved()
            .filter(audit__status__in=Audit.OPEN_STATUSES)
            .with_follow_up_due()
            .filter(follow_up_base__lte=by - interval)
        )


class Recommendation(Versioned):
    """A numbered recommendation of an audit, addressed to one body."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ANSWERED = "answered", _("answered")
        IN_PROGRESS = "in_progress", _("in progress")
        IMPLEMENTED = "implemented", _("implemented")
        PARTLY_IMPLEMENTED = "partly_implemented", _("partly implemented")
        NOT_IMPLEMENTED = "not_implemented", _("not implemented")
        WITHDRAWN = "withdrawn", _("withdrawn")

    # Nothing more to follow up once implemented or withdrawn.
    RESOLVED_STATUSES: ClassVar[tuple[str, ...]] = (Status.IMPLEMENTED, Status.WITHDRAWN)

    audit = models.ForeignKey(
        Audit, on_delete=models.PROTECT, related_name="recommendations", verbose_name=_("audit")
    )
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("addressed to"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("recommendation"))
    questions = models.ManyToManyField(
        AuditQuestion,
        blank=True,
        related_name="recommendations",
        verbose_name=_("based on questions"),
    )
    is_priority = models.BooleanField(_("priority"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["audit", "number"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "number"],
                name="recommendations_recommendation_unique_number",
                violation_error_message=_(
                    "The audit already has a recommendation with this number."
                ),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="recommendations_recommendation_number_positive",
                violation_error_message=_("The number must be 1 or more."),
            ),
        ]
        indexes = [
            # Recommendation lists and the secretary inbox: open items per body.
            models.Index(fields=["body", "status"], name="rec_recommendation_body_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"

    @property
    def awaits_response(self) -> bool:
        return self.status == self.Status.OPEN and self.audit.status in Audit.OPEN_STATUSES

    def clean(self) -> None:
        if (
            self.audit_id is not None
            and self.body_id is not None
            and self.body.region_id != self.audit.region_id
        ):
            raise ValidationError({"body": _("The body must belong to the audit's region.")})

    def clean_questions(self, questions: list[AuditQuestion]) -> None:
        """Check linked questions; M2M rows are not seen by clean()."""
        if any(question.audit_id != self.audit_id for question in questions):
            raise ValidationError({"questions": _("Link only questions of the same audit.")})


class Response(Versioned):
    """A body's formal response (yttrande) to an audit: per recommendation or one narrative."""

    class Kind(models.TextChoices):
        PER_RECOMMENDATION = "per_recommendation", _("per recommendation")
        NARRATIVE = "narrative", _("one narrative")

    audit = models.ForeignKey(
        Audit, on_delete=models.PROTECT, related_name="responses", verbose_name=_("audit")
    )
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="responses", verbose_name=_("body")
    )
    kind = models.CharField(_("form"), max_length=20, choices=Kind, default=Kind.PER_RECOMMENDATION)
    received_date = models.DateField(_("received"))
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_reference = models.CharField(
        _("decision reference"),
        max_length=100,
        blank=True,
        help_text=_("E.g. RS 2021-05-04 §123."),
    )
    reference_number = models.CharField(
        _("reference number"), max_length=60, blank=True, help_text=_("Dnr, e.g. 678-2021.")
    )
    narrative = models.TextField(_("narrative response"), blank=True)
    document = models.FileField(_("signed document"), upload_to="responses/%Y/", blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["audit", "body__name"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "body"],
                name="recommendations_response_one_per_body",
                violation_error_message=_("This body has already responded to this audit."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="narrative") | ~Q(narrative=""),
                name="recommendations_response_narrative_has_text",
                violation_error_message=_("A narrative response needs its text."),
            ),
        ]

    def __str__(self) -> str:
        return _("Response from %(body)s to %(audit)s") % {"body": self.body, "audit": self.audit}

    def clean(self) -> None:
        if self.audit_id is None or self.body_id is None:
            return
        if self.body.region_id != self.audit.region_id:
            raise ValidationError({"body": _("The body must belong to the audit's region.")})
        if self.audit.is_draft:
            raise ValidationError(
                {"audit": _("A response can be recorded only after the audit is issued.")}
            )
        issued = self.audit.issued_date
        if issued and self.received_date and self.received_date < issued:
            raise ValidationError(
                {"received_date": _("The response cannot arrive before the audit was issued.")}
            )


class DecisionItem(models.Model):
    """A numbered item of the board decision behind a response ("Regionstyrelsen beslutar att")."""

    response = models.ForeignKey(
        Response,
        on_delete=models.CASCADE,
        related_name="decision_items",
        verbose_name=_("response"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("decision"))

    class Meta:
        ordering = ["response", "number"]
        verbose_name = _("decision item")
        verbose_name_plural = _("decision items")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "number"],
                name="recommendations_decisionitem_unique_number",
                violation_error_message=_("The decision already has an item with this number."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}) {self.text[:80]}"


class Answer(Versioned):
    """A response's answer (svar) to one recommendation, with the body's stance."""

    class Stance(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        PARTLY = "partly", _("partly accepted")
        REJECTED = "rejected", _("rejected")

    response = models.ForeignKey(
        Response, on_delete=models.PROTECT, related_name="answers", verbose_name=_("response")
    )
    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.PROTECT,
        related_name="answers",
        verbose_name=_("recommendation"),
    )
    stance = models.CharField(_("stance"), max_length=10, choices=Stance)
    text = models.TextField(_("answer"))

    class Meta:
        ordering = ["response", "recommendation__number"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "recommendation"],
                name="recommendations_answer_one_per_recommendation",
                violation_error_message=_("The response already answers this recommendation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation.number}: {self.get_stance_display()}"

    def clean(self) -> None:
        if self.response_id is None or self.recommendation_id is None:
            return
        if self.recommendation.audit_id != self.response.audit_id:
            raise ValidationError(
                {"recommendation": _("The recommendation belongs to another audit.")}
            )
        if self.recommendation.body_id != self.response.body_id:
            raise ValidationError(
                {"recommendation": _("The recommendation is addressed to another body.")}
            )
        if self.response.kind == Response.Kind.NARRATIVE:
            raise ValidationError(
                {"response": _("A narrative response has no per-recommendation answers.")}
            )


class MeasureQuerySet(models.QuerySet["Measure"]):
    def open(self) -> MeasureQuerySet:
        return self.filter(status__in=[Measure.Status.PLANNED, Measure.Status.IN_PROGRESS])

    def overdue(self, today: datetime.date) -> MeasureQuerySet:
        return self.open().filter(due_date__lt=today)


class Measure(Versioned):
    """A measure (åtgärd) a body promised in its response, with who and by when."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    response = models.ForeignKey(
        Response, on_delete=models.PROTECT, related_name="measures", verbose_name=_("response")
    )
    recommendations = models.ManyToManyField(
        Recommendation,
        blank=True,
        related_name="measures",
        verbose_name=_("recommendations addressed"),
    )
    description = models.TextField(_("measure"))
    responsible = models.CharField(
        _("responsible"), max_length=200, help_text=_("A person or a function.")
    )
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("responsible user"),
        help_text=_("Receives the reminders; otherwise the body's secretaries do."),
    )
    due_as_written = models.CharField(
        _("due as written"),
        max_length=100,
        blank=True,
        help_text=_("The response's own words, e.g. under hösten 2021."),
    )
    original_due_date = models.DateField(_("original due date"))
    revised_due_date = models.DateField(_("revised due date"), null=True, blank=True)
    revision_reason = models.TextField(_("reason for revision"), blank=True)
    # The date that counts, kept by the database so lists and reminders can index it.
    due_date = models.GeneratedField(
        expression=Coalesce("revised_due_date", "original_due_date"),
        output_field=models.DateField(),
        db_persist=True,
        verbose_name=_("due date"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNED)
    completed_date = models.DateField(_("completed"), null=True, blank=True)
    targets = models.ManyToManyField(
        Target, blank=True, related_name="measures", verbose_name=_("target values")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.CheckConstraint(
                condition=Q(revised_due_date__isnull=True) | ~Q(revision_reason=""),
                name="recommendations_measure_revision_has_reason",
                violation_error_message=_("A revised due date needs a reason."),
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_date__isnull=False),
                name="recommendations_measure_done_has_date",
                violation_error_message=_("A measure marked done needs its completion date."),
            ),
            models.CheckConstraint(
                condition=Q(status="done") | Q(completed_date__isnull=True),
                name="recommendations_measure_date_only_when_done",
                violation_error_message=_("Only a measure marked done has a completion date."),
            ),
        ]
        indexes = [
            # Reminder sweeps and the overdue-measures list: open measures by due date.
            models.Index(fields=["status", "due_date"], name="rec_measure_status_due_idx"),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def is_overdue(self, today: datetime.date) -> bool:
        due = self.revised_due_date or self.original_due_date
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS) and due < today

    def clean_recommendations(self, recommendations: list[Recommendation]) -> None:
        """Check linked recommendations; M2M rows are not seen by clean()."""
        response = self.response if self.response_id else None
        if response is None:
            return
        if any(
            rec.audit_id != response.audit_id or rec.body_id != response.body_id
            for rec in recommendations
        ):
            raise ValidationError(
                {
                    "recommendations": _(
                        "Link only recommendations addressed to the responding body in this audit."
                    )
                }
            )

    def clean(self) -> None:
        if self.revised_due_date is not None and self.revised_due_date == self.original_due_date:
            raise ValidationError(
                {"revised_due_date": _("The revised date is the same as the original.")}
            )


class FollowUp(models.Model):
    """The auditors' dated assessment of a recommendation. Never overwritten: add a new one."""

    class Assessment(models.TextChoices):
        IMPLEMENTED = "implemented", _("implemented")
        PARTLY = "partly", _("partly implemented")
        NOT_IMPLEMENTED = "not_implemented", _("not implemented")
        NO_LONGER_RELEVANT = "no_longer_relevant", _("no longer relevant")

    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("recommendation"),
    )
    date = models.DateField(_("date"))
    assessment = models.CharField(_("assessment"), max_length=20, choices=Assessment)
    comment = models.TextField(_("comment"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["recommendation", "date", "recorded_at"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        get_latest_by = ["date", "recorded_at"]
        indexes = [
            # A recommendation's follow-ups in date order: its latest assessment (follow-up
            # due, reminders) and the day it was implemented (dashboards), read from the
            # index without sorting.
            models.Index(
                fields=["recommendation", "date", "recorded_at"], name="followup_by_date_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.get_assessment_display()}"

    def save(self, *args, **kwargs) -> None:
        # The follow-up record is history: a correction is a new follow-up, never an edit.
        if not self._state.adding:
            raise ValidationError(_("A follow-up cannot be changed; record a new one instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A follow-up cannot be deleted; record a new one instead."))

    def clean(self) -> None:
        if self.recommendation_id is None or self.date is None:
            return
        issued = self.recommendation.audit.issued_date
        if issued is None:
            raise ValidationError(
                {"recommendation": _("The audit has not been issued; nothing to follow up yet.")}
            )
        if self.date < issued:
            raise ValidationError(
                {"date": _("A follow-up cannot be dated before the audit was issued.")}
            )


# The ledger lives with the reminder code; importing it here registers the model.
from .reminders.models import Reminder  # noqa: E402

__all__ = [
    "Answer",
    "DecisionItem",
    "FollowUp",
    "Measure",
    "Recommendation",
    "Reminder",
    "Response",
]
