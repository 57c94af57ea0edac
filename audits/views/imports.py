"""Import a published report: upload it, review the proposed draft audit next to the
passages it was read from, then save it as an audit (or discard it)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import BoundField, Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from regions.access import Scope, scope_for
from regions.models import Body, Region
from tracker.forms import parse_id
from tracker.pages import posted, posted_files

from ..import_forms import (
    QuestionFormSet,
    RecommendationFormSet,
    ReportReviewForm,
    ReportUploadForm,
    level_choices,
    offered_levels,
)
from ..importing_save import (
    AlreadySaved,
    ReviewedAudit,
    report_import_discard,
    report_import_save,
    report_import_start,
)
from ..models import Audit, RatingLevel, RatingScale, ReportImport
from .common import audit_url


@dataclass(frozen=True)
class Passage:
    """Where a proposed value was read: the text, and its page in a PDF."""

    text: str
    page: int | None


@dataclass(frozen=True)
class Row:
    """One field of the review next to the passage it came from."""

    field: BoundField
    source: Passage | None
    # Fields the report does not state (the status) get no "not found" note.
    from_report: bool = True


@dataclass(frozen=True)
class FormRow:
    """One question or recommendation of the review, with its passages."""

    form: Form
    legend: str
    source: Passage | None
    # As the report writes it: the rating's words, the recommendation's addressee.
    written: str = ""
    rating_source: Passage | None = None
    is_sub: bool = False


def _passage(value: Any) -> Passage | None:
    if isinstance(value, str) and value.strip():
        return Passage(value, None)
    if not isinstance(value, dict) or not str(value.get("text") or "").strip():
        return None
    page = value.get("page")
    return Passage(str(value["text"]), page if isinstance(page, int) else None)


def _date(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _fold(text: Any) -> str:
    return " ".join(str(text or "").casefold().split()).strip(" .,:;")


def _get_import(request: HttpRequest, pk: int) -> tuple[ReportImport, Scope]:
    scope = scope_for(request.user)
    report_import = get_object_or_404(scope.report_imports().select_related("region"), pk=pk)
    return report_import, scope


# ---------------------------------------------------------------------------------------
# Upload


@require_http_methods(["GET", "POST"])
@login_required
def report_import_upload(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.can_create_audits():
        raise PermissionDenied
    form = ReportUploadForm(
        posted(request), posted_files(request), regions=scope.audit_side_regions()
    )
    if request.method == "POST" and form.is_valid():
        report_import = report_import_start(
            region=form.cleaned_data["region"],
            upload=form.cleaned_data["file"],
            original_name=form.original_name,
            source=form.source,
            proposal=form.proposal,
            user=request.user,
        )
        messages.success(
            request, _("The report was read. Check the draft against the report, then save it.")
        )
        return redirect("report-import-review", report_import.pk)
    waiting = (
        scope.report_imports()
        .filter(audit__isnull=True)
        .select_related("region", "created_by")
        .defer("text")[:50]
    )
    return render(request, "audits/import_upload.html", {"form": form, "waiting": waiting})


# ---------------------------------------------------------------------------------------
# Review


def _scale(data: Any, proposal: dict[str, Any]) -> RatingScale | None:
    """The scale the ratings are offered on: the one chosen on the form, else the one the
    report's rating words belong to."""
    if data is not None:
        pk = parse_id(data.get("rating_scale"))
        return RatingScale.objects.filter(pk=pk).first() if pk is not None else None
    code = proposal.get("scale")
    return RatingScale.objects.filter(code=code).first() if code else None


def _flat_questions(proposal: dict[str, Any]) -> list[dict[str, Any]]:
    """Main questions each followed by their sub-questions, as the report numbers them."""
    rows = []
    for question in proposal.get("questions") or []:
        if not isinstance(question, dict):
            continue
        rows.append(question)
        rows += [sub for sub in question.get("sub_questions") or [] if isinstance(sub, dict)]
    return rows


def _level_for(label: Any, levels: list[RatingLevel]) -> str:
    """The id of the level written as `label` (any case), "" if none."""
    if not label:
        return ""
    for level in levels:
        if _fold(level.label) == _fold(label):
            return str(level.pk)
    return ""


def _body_for(addressee: Any, bodies: list[Body]) -> int | None:
    """The body a recommendation is addressed to, as the report writes it."""
    wanted = _fold(addressee)
    if not wanted:
        return None
    for body in bodies:
        if wanted in (_fold(body.name), _fold(body.short_name)):
            return body.pk
    # "till regionstyrelsen", "Regionstyrelsen i Region X": the name inside the phrase.
    for body in sorted(bodies, key=lambda b: -len(b.name)):
        if _fold(body.name) and _fold(body.name) in wanted:
            return body.pk
    return None


def _other_region(named: Any, region: Region) -> str:
    """The region the report names when it is not the chosen one, else ""."""
    named_folded, chosen = _fold(named), _fold(region.name)
    if not named_folded or named_folded in chosen or chosen in named_folded:
        return ""
    return str(named)


def _review_initial(proposal: dict[str, Any], scale: RatingScale | None) -> dict[str, Any]:
    dated = _date(proposal.get("date"))
    # The cover letter's date is when the report went out; without one, the report's.
    issued = _date(proposal.get("issued_date")) or dated
    deadline = _date(proposal.get("response_deadline"))
    year = proposal.get("year") or (dated.year if dated else None)
    consultants = [c for c in proposal.get("consultants") or [] if isinstance(c, dict)]
    team = "\n".join(
        ", ".join(part for part in (c.get("name") or "", c.get("title") or "") if part)
        for c in consultants
    )
    return {
        "title": proposal.get("title") or "",
        "year": year,
        "status": Audit.Status.ISSUED if issued and deadline else Audit.Status.ONGOING,
        "issued_date": issued,
        "response_deadline": deadline,
        "audit_firm": proposal.get("firm") or "",
        "team": team,
        "purpose": proposal.get("purpose") or "",
        "overall_assessment": proposal.get("overall_assessment") or "",
        "rating_scale": scale.pk if scale else None,
    }


def _question_initial(proposal: dict[str, Any], levels: list[RatingLevel]) -> list[dict]:
    return [
        {
            "include": True,
            "number": str(question.get("number") or ""),
            "text": question.get("text") or "",
            "rating": _level_for(question.get("rating"), levels),
        }
        for question in _flat_questions(proposal)
    ]


def _recommendation_initial(proposal: dict[str, Any], bodies: list[Body]) -> list[dict]:
    addressee = proposal.get("addressee")
    rows = []
    for index, recommendation in enumerate(proposal.get("recommendations") or [], start=1):
        if not isinstance(recommendation, dict):
            continue
        number = parse_id(recommendation.get("number"))
        rows.append(
            {
                "include": True,
                "number": number if number and number <= 999 else index,
                "text": recommendation.get("text") or "",
                "body": _body_for(recommendation.get("body") or addressee, bodies),
            }
        )
    return rows


def _question_rows(formset: QuestionFormSet, proposal: dict[str, Any]) -> list[FormRow]:
    proposed = _flat_questions(proposal)
    rows = []
    for index, form in enumerate(formset.forms):
        question = proposed[index] if index < len(proposed) else {}
        number = str(form["number"].value() or "").strip()
        legend = _("Question %(number)s") % {"number": number} if number else _("Another question")
        rows.append(
            FormRow(
                form=form,
                legend=legend,
                source=_passage(question.get("source")),
                written=str(question.get("rating") or ""),
                rating_source=_passage(question.get("rating_source")),
                is_sub="." in number,
            )
        )
    return rows


def _recommendation_rows(formset: RecommendationFormSet, proposal: dict[str, Any]) -> list[FormRow]:
    proposed = [r for r in proposal.get("recommendations") or [] if isinstance(r, dict)]
    rows = []
    for index, form in enumerate(formset.forms):
        recommendation = proposed[index] if index < len(proposed) else {}
        number = str(form["number"].value() or "").strip()
        legend = (
            _("Recommendation %(number)s") % {"number": number}
            if number
            else _("Another recommendation")
        )
        rows.append(
            FormRow(
                form=form,
                legend=legend,
                source=_passage(recommendation.get("source")),
                written=str(
                    (recommendation.get("body") or proposal.get("addressee") or "")
                    if recommendation
                    else ""
                ),
            )
        )
    return rows


def _sources(proposal: dict[str, Any]) -> dict[str, Any]:
    sources = proposal.get("sources")
    return sources if isinstance(sources, dict) else {}


def _detail_rows(form: ReportReviewForm, proposal: dict[str, Any]) -> list[Row]:
    sources = _sources(proposal)

    def source(name: str) -> Passage | None:
        return _passage(sources.get(name))

    return [
        Row(form["title"], source("title")),
        Row(form["year"], source("date")),
        Row(form["status"], None, from_report=False),
        Row(form["issued_date"], source("issued_date") or source("date")),
        Row(form["response_deadline"], source("response_deadline")),
        Row(form["audit_firm"], source("firm")),
        Row(form["team"], source("consultants")),
        Row(form["purpose"], source("purpose")),
        Row(form["overall_assessment"], source("overall_assessment")),
        # Inferred from the rating words rather than stated: no passage, no "not found".
        Row(form["rating_scale"], None, from_report=False),
    ]


def _reviewed(
    form: ReportReviewForm, questions: QuestionFormSet, recommendations: RecommendationFormSet
) -> ReviewedAudit:
    data = form.cleaned_data
    return ReviewedAudit(
        title=data["title"].strip(),
        year=data["year"],
        status=data["status"],
        rating_scale=data["rating_scale"],
        issued_date=data["issued_date"],
        response_deadline=data["response_deadline"],
        audit_firm=data["audit_firm"].strip(),
        purpose=data["purpose"].strip(),
        overall_assessment=data["overall_assessment"].strip(),
        team=data["team"],
        questions=questions.lines(),
        recommendations=recommendations.lines(),
    )


def _bodies(region: Region) -> QuerySet[Body]:
    return Body.objects.filter(region=region, is_active=True).order_by("name")


@require_http_methods(["GET", "POST"])
@login_required
def report_import_review(request: HttpRequest, pk: int) -> HttpResponse:
    report_import, _scope = _get_import(request, pk)
    if report_import.audit_id is not None:
        messages.info(request, _("This report has already been saved as an audit."))
        return redirect(reverse("audit-detail", args=[report_import.audit_id]))
    proposal = report_import.proposal if isinstance(report_import.proposal, dict) else {}
    data = posted(request)
    proposed_scale = _scale(None, proposal)
    scale = _scale(data, proposal) if data is not None else proposed_scale
    levels = offered_levels(scale)
    choices = level_choices(scale, levels)
    # The report's rating words are looked up on the scale they were written in.
    proposed_levels = levels if scale is not None and scale == proposed_scale else []
    bodies = list(_bodies(report_import.region))
    form = ReportReviewForm(data, initial=_review_initial(proposal, proposed_scale))
    questions = QuestionFormSet(
        data,
        prefix="questions",
        initial=_question_initial(proposal, proposed_levels),
        form_kwargs={
            "scale": scale,
            "choices": choices,
            "levels": {str(level.pk): level for level in levels},
        },
    )
    recommendations = RecommendationFormSet(
        data,
        prefix="recommendations",
        initial=_recommendation_initial(proposal, bodies),
        form_kwargs={"bodies": bodies},
    )
    if data is not None and all(
        [form.is_valid(), questions.is_valid(), recommendations.is_valid()]
    ):
        try:
            audit = report_import_save(
                report_import=report_import,
                reviewed=_reviewed(form, questions, recommendations),
                user=request.user,
            )
        except AlreadySaved as exc:
            messages.info(request, _("This report has already been saved as an audit."))
            if exc.audit_id is not None:
                return redirect(reverse("audit-detail", args=[exc.audit_id]))
            return redirect("report-import")
        except ValidationError as exc:
            # The forms check what the models do; this is the last guard, not a 500.
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request, _("The audit was created from the report. Add its observations below.")
            )
            return redirect(audit_url(audit))
    return render(
        request,
        "audits/import_review.html",
        {
            "report_import": report_import,
            "form": form,
            "details": _detail_rows(form, proposal),
            "questions": questions,
            "question_rows": _question_rows(questions, proposal),
            "recommendations": recommendations,
            "recommendation_rows": _recommendation_rows(recommendations, proposal),
            "other_region": _other_region(proposal.get("region"), report_import.region),
            "region_source": _passage(_sources(proposal).get("region")),
            "has_bodies": bool(bodies),
        },
    )


@require_POST
@login_required
def report_import_discard_view(request: HttpRequest, pk: int) -> HttpResponse:
    report_import, _scope = _get_import(request, pk)
    if report_import.audit_id is None and report_import_discard(report_import=report_import):
        messages.success(request, _("The import was discarded."))
        return redirect("report-import")
    # Saved as an audit (perhaps a moment ago, in another tab): the audit stays.
    messages.info(request, _("This report has already been saved as an audit."))
    saved = ReportImport.objects.filter(pk=report_import.pk).values_list("audit", flat=True)
    audit_id = saved.first()
    if audit_id is None:
        return redirect("report-import")
    return redirect(reverse("audit-detail", args=[audit_id]))
