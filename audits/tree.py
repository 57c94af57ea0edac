"""An audit's questions as a tree: main questions in order, each with its sub-questions,
findings and rating. The audit page and the PDF report read the same tree."""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import Assessment, Audit, AuditQuestion, Observation


@dataclass
class QuestionNode:
    """A question as the page shows it: its findings, rating and sub-questions."""

    question: AuditQuestion
    observations: list[Observation]
    assessment: Assessment | None
    subs: list[QuestionNode] = field(default_factory=list)
    first: bool = False
    last: bool = False


def question_tree(audit: Audit) -> list[QuestionNode]:
    """Main questions in order, each with its sub-questions: three queries in all."""
    questions = list(
        AuditQuestion.objects.filter(audit=audit)
        .select_related("parent", "assessment__level", "shared_question")
        .prefetch_related("observations")
        .order_by("position", "pk")
    )
    nodes = {
        q.pk: QuestionNode(q, list(q.observations.all()), getattr(q, "assessment", None))
        for q in questions
    }
    roots = []
    for q in questions:
        if q.parent_id is None:
            roots.append(nodes[q.pk])
        else:
            nodes[q.parent_id].subs.append(nodes[q.pk])
    for siblings in [roots, *(node.subs for node in nodes.values())]:
        if siblings:
            siblings[0].first = True
            siblings[-1].last = True
    return roots


def question_node(question: AuditQuestion) -> QuestionNode:
    """One question's block, with its sub-questions (for inline updates)."""
    for node in question_tree(question.audit):
        if node.question.pk == question.pk:
            return node
        for sub in node.subs:
            if sub.question.pk == question.pk:
                return sub
    raise AuditQuestion.DoesNotExist
