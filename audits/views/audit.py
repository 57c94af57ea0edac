"""The audit page and the audit's own details, lifecycle and issue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from regions.access import scope_for
from tracker import uploads
from tracker.pages import FormUI, posted, posted_files, render_form, saved
from tracker.versioning import EditConflict

from ..forms import (
    AuditForm,
    AuditFromSetForm,
    IssueForm,
    OverallAssessmentForm,
    QuestionForm,
    TeamFormSet,
)
from ..models import Audit
from ..services import audit_create_from_question_set, audit_criteria_set, audit_issue, audit_move
from ..tree import question_tree
from .common import (
    audit_url,
    get_audit,
    get_editable_audit,
    recommendations_of,
    responses_of,
)

# Lifecycle moves offered as buttons; issuing has its own form (bodies and deadline).
MOVE_LABELS = {
    Audit.Status.ONGOING: gettext_lazy("Start the audit"),
    Audit.Status.FACT_CHECK: gettext_lazy("Send for fact check"),
    Audit.Status.PLANNED: gettext_lazy("Back to planned"),
    Audit.Status.ANSWERED: gettext_lazy("Mark as answered"),
    Audit.Status.FOLLOWED_UP: gettext_lazy("Mark as followed up"),
    Audit.Status.CLOSED: gettext_lazy("Close the audit"),
}


def _moves(audit: Audit) -> list[tuple[str, str]]:
    moves = []
    for status in Audit.TRANSITIONS[audit.status]:
        if status == Audit.Status.ISSUED:
            continue
        if status == Audit.Status.ONGOING and audit.status == Audit.Status.FACT_CHECK:
            moves.append((status, _("Back to ongoing")))
        else:
            moves.append((status, str(MOVE_LABELS[status])))
    return moves


def page_context(request: HttpRequest, audit: Audit) -> dict[str, object]:
    scope = scope_for(request.user)
    can_edit = scope.can_edit_audit(audit)
    can_manage = scope.can_manage_audit(audit)
    tree = question_tree(audit)
    recommendations = recommendations_of(audit)
    bodies = list(audit.audited_bodies.order_by("name"))
    # A cover letter goes to each body the report is sent to or that a recommendation
    # is addressed to (a draft may not have its bodies chosen yet).
    letter_bodies = {body.pk: body for body in bodies} | {
        r.body_id: r.body for r in recommendations
    }
    return {
        "audit": audit,
        "questions": tree,
        "summary_rows": tree,
        "recommendations": recommendations,
        "responses": [] if audit.is_draft else responses_of(audit, scope),
        "team": list(audit.team.all()),
        "criteria": list(audit.criteria.all()),
        "indicators": list(audit.indicators.all()),
        "bodies": bodies,
        "letter_bodies": sorted(letter_bodies.values(), key=lambda body: body.name),
        "can_edit": can_edit,
        "can_manage": can_manage,
        "moves": _moves(audit) if can_manage else [],
        "can_issue": can_manage and audit.status == Audit.Status.FACT_CHECK,
        "add_question_form": QuestionForm(prefix="new") if can_edit else None,
    }


@require_GET
@login_required
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    audit, _scope = get_audit(request, pk)
    return render(request, "audits/audit_detail.html", page_context(request, audit))


SECTIONS = {
    "questions": "audits/_questions.html",
    "overall": "audits/_overall.html",
    "summary": "audits/_summary.html",
    "recommendations": "audits/_recommendations.html",
}


@require_GET
@login_required
def audit_section(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """One section of the audit page, refreshed after an edit elsewhere on it."""
    if name not in SECTIONS:
        raise Http404
    audit, _scope = get_audit(request, pk)
    return render(request, SECTIONS[name], {**page_context(request, audit), "inline": True})


def _save_audit(form: AuditForm, team: TeamFormSet) -> Audit:
    with transaction.atomic():
        audit = form.save_versioned() if form.instance.pk else form.save()
        audit_criteria_set(audit=audit, criteria=form.cleaned_data["criteria_text"])
        team.instance = audit
        team.save()
        # Positions follow the order on the form.
        for position, member in enumerate(audit.team.order_by("position", "pk"), start=1):
            if member.position != position:
                member.position = position
                member.save(update_fields=["position"])
    return audit


@require_http_methods(["GET", "POST"])
@login_required
def audit_create(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.can_create_audits():
        raise PermissionDenied
    regions = scope.audit_side_regions()
    # Whoever starts the audit is its responsible auditor until someone else is chosen.
    form = AuditForm(
        posted(request),
        posted_files(request),
        regions=regions,
        initial={"responsible_auditor": request.user.pk},
    )
    team = TeamFormSet(posted(request), instance=Audit(), prefix="team")
    if request.method == "POST" and form.is_valid() and team.is_valid():
        audit = _save_audit(form, team)
        messages.success(request, _("The audit was created. Add its questions below."))
        return redirect(audit_url(audit, "questions"))
    return render(
        request,
        "audits/audit_form.html",
        {"form": form, "team": team, "title": _("New audit"), "back_url": reverse("home")},
    )


@require_http_methods(["GET", "POST"])
@login_required
def audit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    audit = get_editable_audit(request, pk)
    scope = scope_for(request.user)
    form = AuditForm(
        posted(request), posted_files(request), instance=audit, regions=scope.audit_side_regions()
    )
    team = TeamFormSet(posted(request), instance=audit, prefix="team")
    conflict = None
    if request.method == "POST" and form.is_valid() and team.is_valid():
        try:
            _save_audit(form, team)
        except EditConflict as exc:
            conflict = form.take_conflict(exc.current)
        else:
            messages.success(request, _("The audit's details were saved."))
            return redirect(audit_url(audit))
    return render(
        request,
        "audits/audit_form.html",
        {
            "form": form,
            "team": team,
            "audit": audit,
            "conflict": conflict,
            "title": _("Edit the audit's details"),
            "back_url": audit_url(audit),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def audit_create_from_set(request: HttpRequest) -> HttpResponse:
    """Start an audit from a coordinated question set (samordnad granskning)."""
    scope = scope_for(request.user)
    if not scope.can_create_audits():
        raise PermissionDenied
    form = AuditFromSetForm(
        posted(request),
        regions=scope.audit_side_regions(),
        question_sets=scope.question_sets(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            audit = audit_create_from_question_set(
                question_set=data["question_set"],
                region=data["region"],
                rating_scale=data["rating_scale"],
                title=data["title"],
                reference_number=data["reference_number"],
                audit_firm=data["audit_firm"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        except IntegrityError:
            # A double click: the first request created the audit a moment ago.
            form.add_error(None, _("The region already has an audit from this question set."))
        else:
            messages.success(request, _("The audit was created with the coordinated questions."))
            return redirect(audit_url(audit, "questions"))
    return render(
        request,
        "audits/audit_from_set.html",
        {"form": form, "question_sets": scope.question_sets().prefetch_related("questions")},
    )


@require_POST
@login_required
def audit_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    audit, scope = get_audit(request, pk)
    if not scope.can_manage_audit(audit):
        raise PermissionDenied
    status = request.POST.get("status", "")
    if status not in Audit.Status.values or status == Audit.Status.ISSUED:
        messages.error(request, _("Choose one of the offered steps."))
        return redirect(audit_url(audit))
    try:
        audit_move(audit=audit, status=status)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The audit's status is now: %(status)s.") % {"status": audit.get_status_display()},
        )
    return redirect(audit_url(audit))


@require_http_methods(["GET", "POST"])
@login_required
def audit_issue_view(request: HttpRequest, pk: int) -> HttpResponse:
    audit, scope = get_audit(request, pk)
    if not scope.can_manage_audit(audit):
        raise PermissionDenied
    if audit.status != Audit.Status.FACT_CHECK:
        messages.error(request, _("Only an audit in fact check can be issued."))
        return redirect(audit_url(audit))
    form = IssueForm(posted(request), audit=audit, initial={"issued_date": timezone.localdate()})
    unrated = [node.question for node in question_tree(audit) if node.assessment is None]
    if request.method == "POST" and form.is_valid():
        try:
            audit_issue(
                audit=audit,
                bodies=list(form.cleaned_data["bodies"]),
                issued_date=form.cleaned_data["issued_date"],
                response_deadline=form.cleaned_data["response_deadline"],
                expected_version=form.cleaned_data["version"] or audit.version,
            )
        except EditConflict:
            messages.error(
                request,
                _("Someone changed the audit while you were issuing it. Check it, then issue."),
            )
            return redirect(audit_url(audit))
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                _("The report was issued. The bodies' secretaries now see it in their inbox."),
            )
            return redirect(audit_url(audit))
    return render(
        request,
        "audits/audit_issue.html",
        {
            "audit": audit,
            "form": form,
            "unrated": unrated,
            "recommendation_count": audit.recommendations.count(),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def overall_edit(request: HttpRequest, pk: int) -> HttpResponse:
    audit = get_editable_audit(request, pk)
    form = OverallAssessmentForm(posted(request), instance=audit)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            form.save_versioned()
        except EditConflict as exc:
            conflict = form.take_conflict(exc.current)
        else:
            return saved(
                request,
                redirect_to=audit_url(audit, "overall"),
                template="audits/_overall.html",
                context={"audit": audit, "can_edit": True},
                target="#overall",
                focus="#overall",
                announce=_("Saved."),
            )
    ui = FormUI(
        form_id="overall-form",
        action=reverse("overall-edit", args=[audit.pk]),
        heading=_("Overall assessment"),
        cancel_url=audit_url(audit, "overall"),
        cancel_hx=reverse("audit-section", args=[audit.pk, "overall"]),
        cancel_target="#overall",
    )
    return render_form(
        request,
        context={"form": form, "conflict": conflict, "ui": ui},
        title=_("Overall assessment"),
        back_url=audit_url(audit, "overall"),
        back_label=audit.title,
    )


AUDIT_FILES = {"report": "report_file", "cover-letter": "cover_letter_file"}


@require_GET
@login_required
def audit_file(request: HttpRequest, pk: int, name: str) -> FileResponse:
    """The uploaded report or cover letter, to whoever may see the audit."""
    audit, _scope = get_audit(request, pk)
    if name not in AUDIT_FILES:
        raise Http404
    return uploads.serve(getattr(audit, AUDIT_FILES[name]))
