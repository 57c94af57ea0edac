"""Writes on audits that span models or have rules beyond one row."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from regions.models import Body, Region

from .models import (
    Assessment,
    Audit,
    AuditQuestion,
    Criterion,
    Observation,
    QuestionSet,
    RatingLevel,
    RatingScale,
)

M = TypeVar("M", bound=models.Model)


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
    expected_version: int | None = None,
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
    audit.save(expected_version=expected_version)
    # The issue form decides the recipients; a body unticked there is not sent the report.
    audit.audited_bodies.set(bodies)
    return audit


def _next_position(siblings: models.QuerySet) -> int:
    return (siblings.aggregate(top=Max("position"))["top"] or 0) + 1


def _append(siblings: models.QuerySet, build: Callable[[int], M]) -> M:
    """Save a row after the last of its siblings. Two editors adding at the same moment
    may pick the same position; the unique constraint refuses the second, which retries."""
    for attempt in range(3):
        row = build(_next_position(siblings))
        row.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            if attempt == 2:
                raise
        else:
            return row
    raise AssertionError("unreachable")


def question_add(*, audit: Audit, text: str, parent: AuditQuestion | None = None) -> AuditQuestion:
    """Add a question (or a sub-question of `parent`) after the last one."""
    if parent is not None and (parent.audit_id != audit.pk or parent.parent_id is not None):
        raise ValidationError(_("Sub-questions can only be added to a main question."))
    return _append(
        AuditQuestion.objects.filter(audit=audit, parent=parent),
        lambda position: AuditQuestion(audit=audit, parent=parent, text=text, position=position),
    )


def _apply_order(siblings: models.QuerySet, ordered_pks: list[int]) -> None:
    # Positions are unique among siblings: park every row above the range, then settle.
    parked = (siblings.aggregate(top=Max("position"))["top"] or 0) + len(ordered_pks) + 1
    for index, pk in enumerate(ordered_pks):
        siblings.filter(pk=pk).update(position=parked + index, version=F("version") + 1)
    for index, pk in enumerate(ordered_pks, start=1):
        siblings.filter(pk=pk).update(position=index)


def _renumber(siblings: models.QuerySet) -> None:
    _apply_order(siblings, list(siblings.order_by("position", "pk").values_list("pk", flat=True)))


@transaction.atomic
def question_move(*, question: AuditQuestion, up: bool) -> bool:
    """Swap a question with its neighbour among its siblings; False at either end."""
    siblings = AuditQuestion.objects.filter(audit_id=question.audit_id, parent=question.parent_id)
    ordered = list(siblings.order_by("position", "pk").values_list("pk", flat=True))
    index = ordered.index(question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ordered):
        return False
    ordered[index], ordered[other] = ordered[other], ordered[index]
    _apply_order(siblings, ordered)
    return True


@transaction.atomic
def question_delete(*, question: AuditQuestion) -> None:
    """Delete a draft's question with its sub-questions, findings and rating."""
    if not question.audit.is_draft:
        raise ValidationError(_("The report has been issued; its questions can no longer change."))
    siblings = AuditQuestion.objects.filter(audit_id=question.audit_id, parent=question.parent_id)
    question.delete()
    _renumber(siblings)


def observation_add(*, question: AuditQuestion, heading: str, text: str) -> Observation:
    return _append(
        Observation.objects.filter(question=question),
        lambda position: Observation(
            question=question, heading=heading, text=text, position=position
        ),
    )


@transaction.atomic
def observation_delete(*, observation: Observation) -> None:
    siblings = Observation.objects.filter(question_id=observation.question_id)
    observation.delete()
    _renumber(siblings)


@transaction.atomic
def audit_criteria_set(*, audit: Audit, criteria: list[str]) -> None:
    """Replace the audit's criteria with these lines, in order."""
    audit.criteria.all().delete()
    Criterion.objects.bulk_create(
        Criterion(audit=audit, position=position, text=text)
        for position, text in enumerate(criteria, start=1)
    )
