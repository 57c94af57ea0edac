"""The audit report (revisionsrapport), laid out as the reports in the seeds are."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from audits.models import AuditTeamMember
from audits.tree import question_tree
from regions.access import Scope

from .documents import KIND_LABELS, Document, DocumentRequest, Kind, safe_filename
from .loading import audit_for, header_for


def build(request: DocumentRequest, scope: Scope, *, today: datetime.date) -> Document:
    audit = audit_for(request, scope)
    tree = question_tree(audit)
    rows = [row for node in tree for row in (node, *node.subs)]
    team = list(audit.team.all())
    recommendations = list(
        audit.recommendations.select_related("body")
        .prefetch_related("questions__parent")
        .order_by("number")
    )
    return Document(
        template="pdf/report.html",
        title=f"{KIND_LABELS[Kind.REPORT]}: {audit.title} – {audit.region.name}",
        filename=safe_filename(_("audit-report"), audit.reference_number or audit.pk),
        running_header=header_for(audit),
        draft=audit.is_draft,
        context={
            "audit": audit,
            "date": audit.issued_date or today,
            "authors": [m for m in team if m.role != AuditTeamMember.Role.QUALITY_REVIEWER],
            "reviewers": [m for m in team if m.role == AuditTeamMember.Role.QUALITY_REVIEWER],
            "criteria": list(audit.criteria.all()),
            "tree": tree,
            "rows": rows,
            "levels": list(audit.rating_scale.levels.all()),
            "recommendations": recommendations,
        },
    )
