"""Writes on audits that span models or have rules beyond one row."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from regions.models import Body, Region

from .models import Assessment, Audit, AuditQuestion, QuestionSet, RatingLevel, RatingScale


@transaction.atomic
def audit_create_from_question_set(
    *,
    question_set: QuestionSet,
    region: Region,
    rating_scale: RatingScale,
    title: str = "",
    year: int | None = None,
    **fields: object,
) -> Audit:
    """Start a region's audit from a coordinated question set, copying its questions."""
    audit = Audit(
        question_set=question_set,
        region=region,
        rating_scale=rating_scale,
        title=title or question_set.title,
        year=year or question_set.year,
        **fields,
    )
    audit.full_clean()
    audit.save()
    copies: dict[int, AuditQuestion] = {}
    # Main questions first so sub-questions can point at their copied parent.
    shared = sorted(question_set.questions.all(), key=lambda q: (q.parent_id is not None, q.pk))
    for question in shared:
        copies[question.pk] = AuditQuestion.objects.create(
            audit=audit,
            parent=copies.get(question.parent_id) if question.parent_id else None,
            shared_question=question,
            position=question.position,
            text=question.text,
        )
    return audit


def assessment_set(
    *,
    question: AuditQuestion,
    level: RatingLevel,
    comment: str = "",
    reasoning: str | None = None,
) -> Assessment:
    """Rate a question on its audit's scale; reasoning is kept unless a new one is given."""
    assessment = Assessment.objects.filter(question=question).first() or Assessment(
        question=question
    )
    assessment.level = level
    assessment.comment = comment
    if reasoning is not None:
        assessment.reasoning = reasoning
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def audit_move(*, audit: Audit, status: str) -> Audit:
    """Move an audit along its lifecycle, refusing moves the lifecycle does not allow."""
    if not audit.can_move_to(status):
        raise ValidationError(
            _("An audit cannot move from %(old)s to %(new)s.")
            % {"old": audit.get_status_display(), "new": Audit.Status(status).label}
        )
    audit.status = status
    audit.full_clean()
    audit.save(update_fields=["status", "updated_at"])
    return audit


@transaction.atomic
def audit_issue(
    *,
    audit: Audit,
    bodies: list[Body],
    issued_date: datetime.date,
    response_deadline: datetime.date,
) -> Audit:
    """Issue the report to the chosen bodies with a response deadline."""
    if audit.status != Audit.Status.FACT_CHECK:
        raise ValidationError(_("Only an audit in fact check can be issued."))
    if not bodies:
        raise ValidationError(_("Choose at least one body to send the report to."))
    if any(body.region_id != audit.region_id for body in bodies):
        raise ValidationError(_("The report can only be sent to bodies of the audit's region."))
    audit.issued_date = issued_date
    audit.response_deadline = response_deadline
    audit.status = Audit.Status.ISSUED
    audit.full_clean()
    audit.save()
    audit.audited_bodies.add(*bodies)
    return audit
