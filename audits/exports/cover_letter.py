"""The cover letter (missiv) that sends the report to each addressed body."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from recommendations.models import Recommendation
from regions.access import Scope
from regions.models import Body, Membership, User

from .documents import KIND_LABELS, Document, DocumentRequest, Kind, NotFound, safe_filename
from .loading import audit_for, header_for


@dataclass
class Letter:
    body: Body
    recommendations: list[Recommendation]


def build(request: DocumentRequest, scope: Scope, *, today: datetime.date) -> Document:
    audit = audit_for(request, scope)
    recommendations = list(audit.recommendations.select_related("body").order_by("number"))
    # The bodies the report goes to: those chosen at issue, and any body a
    # recommendation is addressed to (a draft may not have its bodies chosen yet).
    bodies = {body.pk: body for body in audit.audited_bodies.all()}
    bodies |= {r.body_id: r.body for r in recommendations}
    if request.body is not None:
        if request.body not in bodies:
            raise NotFound(f"Body {request.body} is not addressed by audit {audit.pk}.")
        bodies = {request.body: bodies[request.body]}
    if not bodies:
        raise NotFound(f"Audit {audit.pk} is not addressed to any body yet.")
    letters = [
        Letter(body, [r for r in recommendations if r.body_id == body.pk])
        for body in sorted(bodies.values(), key=lambda b: b.name)
    ]
    one = letters[0].body if len(letters) == 1 else None
    return Document(
        template="pdf/cover_letter.html",
        title=f"{KIND_LABELS[Kind.COVER_LETTER]}: {audit.title} – {(one or audit.region).name}",
        filename=safe_filename(
            _("cover-letter"), audit.reference_number or audit.pk, one.short_name if one else ""
        ),
        running_header=header_for(audit),
        draft=audit.is_draft,
        context={
            "audit": audit,
            "letters": letters,
            "date": audit.issued_date or today,
            "chair": chair_of(audit.region_id),
        },
    )


def chair_of(region_id: int) -> User | None:
    """The auditors' chair of the region, who signs; None if none is marked."""
    membership = (
        Membership.objects.filter(region_id=region_id, is_chair=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None
