"""The response summary: per recommendation, what the body answered and promised."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from recommendations.models import Answer, Measure, Recommendation, Response
from regions.access import Scope
from regions.models import Body

from .documents import KIND_LABELS, Document, DocumentRequest, Kind, safe_filename
from .loading import audit_for, header_for


@dataclass
class Item:
    recommendation: Recommendation
    response: Response | None
    answer: Answer | None
    measures: list[Measure] = field(default_factory=list)
    # The body has responded, though this user may not read it (another body's).
    responded: bool = False


@dataclass
class BodyStatus:
    body: Body
    response: Response | None
    responded: bool
    # Measures of the response tied to no recommendation (common in narrative responses).
    general_measures: list[Measure] = field(default_factory=list)


def build(request: DocumentRequest, scope: Scope, *, today: datetime.date) -> Document:
    audit = audit_for(request, scope)
    recommendations = list(audit.recommendations.select_related("body").order_by("number"))
    measures = Measure.objects.prefetch_related("recommendations").order_by("due_date", "pk")
    # Only responses the scope shows: a secretary sees their own bodies' responses.
    responses = {
        response.body_id: response
        for response in scope.responses()
        .filter(audit=audit)
        .select_related("body")
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.all()),
            Prefetch("measures", queryset=measures),
        )
    }
    # Whether a body has answered is shown to all who see the audit, as on its page.
    responded = set(Response.objects.filter(audit=audit).values_list("body_id", flat=True))
    items = []
    for recommendation in recommendations:
        response = responses.get(recommendation.body_id)
        answer = None
        linked: list[Measure] = []
        if response is not None:
            answer = next(
                (a for a in response.answers.all() if a.recommendation_id == recommendation.pk),
                None,
            )
            linked = [
                m
                for m in response.measures.all()
                if any(r.pk == recommendation.pk for r in m.recommendations.all())
            ]
        items.append(
            Item(recommendation, response, answer, linked, recommendation.body_id in responded)
        )
    bodies = {body.pk: body for body in audit.audited_bodies.all()}
    bodies |= {r.body_id: r.body for r in recommendations}
    statuses = []
    for body in sorted(bodies.values(), key=lambda b: b.name):
        response = responses.get(body.pk)
        general = (
            [m for m in response.measures.all() if not m.recommendations.all()] if response else []
        )
        statuses.append(BodyStatus(body, response, body.pk in responded, general))
    return Document(
        template="pdf/response_summary.html",
        title=f"{KIND_LABELS[Kind.RESPONSE]}: {audit.title} – {audit.region.name}",
        filename=safe_filename(_("responses"), audit.reference_number or audit.pk),
        running_header=header_for(audit),
        draft=audit.is_draft,
        context={"audit": audit, "items": items, "bodies": statuses, "today": today},
    )
