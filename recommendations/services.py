"""Writes on responses, measures and follow-ups that span models."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from audits.models import Audit
from audits.services import audit_move
from regions.models import User

from .models import Answer, FollowUp, Measure, Recommendation, Response

# A follow-up's assessment decides what the recommendation's status becomes.
_STATUS_AFTER_FOLLOW_UP = {
    FollowUp.Assessment.IMPLEMENTED: Recommendation.Status.IMPLEMENTED,
    FollowUp.Assessment.PARTLY: Recommendation.Status.PARTLY_IMPLEMENTED,
    FollowUp.Assessment.NOT_IMPLEMENTED: Recommendation.Status.NOT_IMPLEMENTED,
    FollowUp.Assessment.NO_LONGER_RELEVANT: Recommendation.Status.WITHDRAWN,
}


@transaction.atomic
def answer_record(
    *, response: Response, recommendation: Recommendation, stance: str, text: str
) -> Answer:
    """Record (or correct) a response's answer to one recommendation."""
    answer = Answer.objects.filter(response=response, recommendation=recommendation).first()
    answer = answer or Answer(response=response, recommendation=recommendation)
    answer.stance = stance
    answer.text = text
    answer.full_clean()
    answer.save()
    if recommendation.status == Recommendation.Status.OPEN:
        recommendation.status = Recommendation.Status.ANSWERED
        recommendation.save(update_fields=["status", "updated_at"])
    return answer


@transaction.atomic
def narrative_response_record(*, response: Response) -> Response:
    """Save a narrative response; every recommendation to the body counts as answered."""
    if response.kind != Response.Kind.NARRATIVE:
        raise ValidationError(_("This response is not a narrative response."))
    response.full_clean()
    response.save()
    _mark_all_answered(response)
    return response


def _mark_all_answered(response: Response) -> None:
    # A narrative answers every recommendation to the body at once.
    Recommendation.objects.filter(
        audit=response.audit, body=response.body, status=Recommendation.Status.OPEN
    ).update(status=Recommendation.Status.ANSWERED, version=F("version") + 1)


def measure_revise(
    *,
    measure: Measure,
    new_due_date: datetime.date,
    reason: str,
    expected_version: int | None = None,
) -> Measure:
    """Move a measure's due date; the original date stays, and a reason is required."""
    if not reason.strip():
        raise ValidationError({"revision_reason": _("A revised due date needs a reason.")})
    measure.revised_due_date = new_due_date
    measure.revision_reason = reason.strip()
    measure.full_clean()
    measure.save(expected_version=expected_version)
    measure.refresh_from_db(fields=["due_date"])
    return measure


def measure_complete(
    *, measure: Measure, completed_date: datetime.date, expected_version: int | None = None
) -> Measure:
    measure.status = Measure.Status.DONE
    measure.completed_date = completed_date
    measure.full_clean()
    measure.save(expected_version=expected_version)
    return measure


@dataclass(frozen=True)
class AnswerInput:
    recommendation: Recommendation
    stance: str
    text: str


@transaction.atomic
def response_record(
    *, response: Response, answers: list[AnswerInput], expected_version: int | None = None
) -> Response:
    """Save a body's response with its answers; when every body has answered, the audit
    moves on to answered."""
    response.full_clean()
    response.save(expected_version=expected_version)
    if response.kind == Response.Kind.NARRATIVE:
        _mark_all_answered(response)
    else:
        for answer in answers:
            answer_record(
                response=response,
                recommendation=answer.recommendation,
                stance=answer.stance,
                text=answer.text,
            )
    audit = response.audit
    awaited = audit.audited_bodies.exclude(responses__audit=audit)
    if audit.status == Audit.Status.ISSUED and not awaited.exists():
        audit_move(audit=audit, status=Audit.Status.ANSWERED)
    return response


@transaction.atomic
def followup_record(
    *,
    recommendation: Recommendation,
    date: datetime.date,
    assessment: str,
    comment: str = "",
    recorded_by: User | None = None,
) -> FollowUp:
    """Add a dated follow-up; the recommendation takes the status of its latest follow-up."""
    follow_up = FollowUp(
        recommendation=recommendation,
        date=date,
        assessment=assessment,
        comment=comment,
        recorded_by=recorded_by,
    )
    follow_up.full_clean()
    follow_up.save()
    latest = recommendation.follow_ups.latest()
    recommendation.status = _STATUS_AFTER_FOLLOW_UP[FollowUp.Assessment(latest.assessment)]
    recommendation.save(update_fields=["status", "updated_at"])
    return follow_up
