"""The comparison memo of a coordinated audit: shared questions x regions."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from audits.models import Assessment, Audit, QuestionSet, RatingScale, SharedQuestion
from recommendations.models import Recommendation, Response
from regions.access import Scope

from .documents import KIND_LABELS, Document, DocumentRequest, Kind, NotFound, safe_filename


@dataclass
class Column:
    audit: Audit
    recommendations: int
    awaiting: int
    bodies: int
    responses: int


@dataclass
class Line:
    question: SharedQuestion
    # One per column, in column order; None where the region has not rated it.
    assessments: list[Assessment | None]


def question_set_for(request: DocumentRequest, scope: Scope) -> QuestionSet:
    set_id = request.question_set
    if set_id is None and request.audit is not None:
        audit = scope.audits().filter(pk=request.audit).only("question_set").first()
        set_id = audit.question_set_id if audit else None
    question_set = QuestionSet.objects.filter(pk=set_id).first() if set_id else None
    if question_set is None or not scope.comparison_audits(question_set).exists():
        raise NotFound("No coordinated audit that this user may see.")
    return question_set


@dataclass
class Comparison:
    columns: list[Column]
    lines: list[Line]
    scales: list[RatingScale]


def compare(question_set: QuestionSet, scope: Scope) -> Comparison:
    """Shared questions x regions, for the memo and the comparison page alike: only
    the audits Scope.comparison_audits lets the user compare, in a fixed number of
    queries however many regions took part."""
    audits = list(
        scope.comparison_audits(question_set)
        .select_related("region", "rating_scale")
        .annotate(
            recommendation_count=Count("recommendations", distinct=True),
            awaiting_count=Count(
                "recommendations",
                filter=Q(recommendations__status=Recommendation.Status.OPEN),
                distinct=True,
            ),
            body_count=Count("audited_bodies", distinct=True),
        )
        .order_by("region__name")
    )
    responded = dict(
        Response.objects.filter(audit__in=audits)
        .values("audit_id")
        .annotate(n=Count("pk"))
        .values_list("audit_id", "n")
    )
    columns = [
        Column(
            audit,
            audit.recommendation_count,
            audit.awaiting_count,
            audit.body_count,
            responded.get(audit.pk, 0),
        )
        for audit in audits
    ]
    by_cell = {
        (a.question.shared_question_id, a.question.audit_id): a
        for a in Assessment.objects.filter(
            question__audit__in=audits, question__shared_question__isnull=False
        ).select_related("level", "question")
    }
    lines = [
        Line(question, [by_cell.get((question.pk, audit.pk)) for audit in audits])
        for question in question_set.questions.select_related("parent")
    ]
    scale_ids = {audit.rating_scale_id for audit in audits}
    scales = list(RatingScale.objects.filter(pk__in=scale_ids).prefetch_related("levels"))
    return Comparison(columns, lines, sorted(scales, key=lambda scale: scale.name))


def build(request: DocumentRequest, scope: Scope, *, today: datetime.date) -> Document:
    question_set = question_set_for(request, scope)
    comparison = compare(question_set, scope)
    return Document(
        template="pdf/comparison.html",
        title=f"{KIND_LABELS[Kind.COMPARISON]}: {question_set.title} ({question_set.year})",
        filename=safe_filename(_("comparison"), question_set.title, question_set.year),
        running_header=f"{question_set.title} ({question_set.year})",
        context={
            "question_set": question_set,
            "columns": comparison.columns,
            "lines": comparison.lines,
            "today": today,
            "scales": comparison.scales,
        },
    )
