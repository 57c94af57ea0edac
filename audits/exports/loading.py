"""Loading what a document is about, through the user's scope."""

from __future__ import annotations

from audits.models import Audit
from regions.access import Scope

from .documents import DocumentRequest, NotFound


def audit_for(request: DocumentRequest, scope: Scope) -> Audit:
    if request.audit is None:
        raise NotFound("An audit is needed for this document.")
    audit = (
        scope.audits()
        .select_related("region", "rating_scale", "question_set", "responsible_auditor")
        .filter(pk=request.audit)
        .first()
    )
    if audit is None:
        raise NotFound(f"No audit {request.audit} that this user may see.")
    return audit


def header_for(audit: Audit) -> str:
    return audit.reference_number or audit.title
