"""The writes of the report import: keeping an upload with its proposal, and saving the
reviewed draft as an audit. The reading itself (audits/importing/) writes nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from recommendations.models import Recommendation
from regions.models import Body, Membership, Region, User

from .importing import Source
from .models import (
    Assessment,
    Audit,
    AuditQuestion,
    AuditTeamMember,
    RatingLevel,
    RatingScale,
    ReportImport,
)


@dataclass(frozen=True)
class TeamLine:
    name: str
    title: str
    role: str = AuditTeamMember.Role.CONSULTANT


@dataclass(frozen=True)
class QuestionLine:
    main: int  # the main question's number
    sub: int | None  # the sub-question's number under it, None for the main question
    text: str
    level: RatingLevel | None = None


@dataclass(frozen=True)
class RecommendationLine:
    number: int
    text: str
    body: Body


@dataclass(frozen=True)
class ReviewedAudit:
    """The draft as the auditor corrected it on the review page."""

    title: str
    year: int
    status: str
    rating_scale: RatingScale
    issued_date: datetime.date | None = None
    response_deadline: datetime.date | None = None
    audit_firm: str = ""
    purpose: str = ""
    overall_assessment: str = ""
    team: list[TeamLine] = field(default_factory=list)
    questions: list[QuestionLine] = field(default_factory=list)
    recommendations: list[RecommendationLine] = field(default_factory=list)


class AlreadySaved(Exception):
    """The import was saved as an audit already (a double click, a second tab)."""

    def __init__(self, audit_id: int | None) -> None:
        super().__init__("The report import was saved already.")
        self.audit_id = audit_id


def report_import_start(
    *,
    region: Region,
    upload: UploadedFile,
    original_name: str,
    source: Source,
    proposal: dict[str, Any],
    user: User,
) -> ReportImport:
    """Keep the upload, its text and the proposed draft until the auditor reviews it."""
    return ReportImport.objects.create(
        region=region,
        file=upload,
        file_name=_without_nul(original_name or upload.name or ""),
        text=_without_nul(source.text),
        proposal=_without_nul(proposal),
        created_by=user,
    )


def _without_nul(value: Any) -> Any:
    """PostgreSQL stores no NUL character in text or JSON; a PDF's text may carry one."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    return value


@transaction.atomic
def report_import_save(
    *, report_import: ReportImport, reviewed: ReviewedAudit, user: User
) -> Audit:
    """Create the audit with its team, questions, ratings and recommendations, all or
    nothing, and mark the import as saved (once: a second save raises AlreadySaved)."""
    region = report_import.region
    audit = Audit(
        region=region,
        title=reviewed.title,
        year=reviewed.year,
        status=reviewed.status,
        rating_scale=reviewed.rating_scale,
        issued_date=reviewed.issued_date,
        response_deadline=reviewed.response_deadline,
        audit_firm=reviewed.audit_firm,
        purpose=reviewed.purpose,
        overall_assessment=reviewed.overall_assessment,
    )
    audit_side = Membership.objects.filter(
        user=user, region=region, role__in=Membership.AUDIT_SIDE_ROLES
    ).exists()
    if audit_side:
        audit.responsible_auditor = user
    audit.full_clean()
    if report_import.file and report_import.file.name.endswith(".pdf"):
        # The audit's report is the published PDF; a text file is only its extracted
        # text, which the import keeps.
        with report_import.file.open("rb") as handle:
            content = handle.read()
        name = report_import.file.name.rsplit("/", 1)[-1]
        audit.report_file.save(name, ContentFile(content), save=False)
    audit.save()

    for position, person in enumerate(reviewed.team, start=1):
        member = AuditTeamMember(
            audit=audit, name=person.name, title=person.title, role=person.role, position=position
        )
        member.full_clean()
        member.save()

    mains: dict[int, AuditQuestion] = {}
    # Main questions first, so that each sub-question finds its parent.
    for line in sorted(reviewed.questions, key=lambda q: (q.sub is not None, q.main, q.sub or 0)):
        question = AuditQuestion(
            audit=audit,
            parent=mains[line.main] if line.sub is not None else None,
            position=line.sub if line.sub is not None else line.main,
            text=line.text,
        )
        question.full_clean()
        question.save()
        if line.sub is None:
            mains[line.main] = question
        if line.level is not None:
            assessment = Assessment(question=question, level=line.level)
            assessment.full_clean()
            assessment.save()

    bodies: dict[int, Body] = {}
    for line in reviewed.recommendations:
        recommendation = Recommendation(
            audit=audit, body=line.body, number=line.number, text=line.text
        )
        recommendation.full_clean()
        recommendation.save()
        bodies[line.body.pk] = line.body
    audit.clean_related(bodies=list(bodies.values()), indicators=[])
    audit.audited_bodies.set(bodies.values())

    # A conditional UPDATE claims the import: of two saves at once, the second finds it
    # taken and rolls back its whole audit.
    claimed = ReportImport.objects.filter(pk=report_import.pk, audit__isnull=True).update(
        audit=audit
    )
    if not claimed:
        current = ReportImport.objects.filter(pk=report_import.pk).values_list("audit", flat=True)
        raise AlreadySaved(current.first())
    report_import.audit = audit
    return audit


def report_import_discard(*, report_import: ReportImport) -> bool:
    """Delete an import that was not saved, and its file; False if it was saved since."""
    with transaction.atomic():
        deleted, _rows = ReportImport.objects.filter(
            pk=report_import.pk, audit__isnull=True
        ).delete()
        if deleted:
            storage, name = report_import.file.storage, report_import.file.name
            # The file goes only once the row is surely gone.
            transaction.on_commit(lambda: storage.delete(name) if name else None)
    return bool(deleted)
