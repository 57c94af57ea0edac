"""Inline editing of an audit's questions, observations and assessments.

Each view answers htmx with the block that changed and plain requests with a page of
its own, so the audit page can be filled in by keyboard without leaving it.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from regions.access import scope_for
from tracker.forms import parse_id
from tracker.htmx import is_htmx
from tracker.pages import FormUI, posted, render_form, saved
from tracker.versioning import EditConflict

from ..forms import AssessmentForm, ObservationForm, QuestionForm
from ..models import Assessment, AuditQuestion
from ..services import (
    observation_add,
    observation_delete,
    question_add,
    question_delete,
    question_move,
)
from ..tree import question_node
from .audit import page_context
from .common import (
    audit_url,
    get_editable_audit,
    get_editable_observation,
    get_editable_question,
)


def _block_url(question: AuditQuestion) -> str:
    return reverse("question-block", args=[question.pk])


def _question_block(
    request: HttpRequest, question: AuditQuestion, *, announce: str = "", changed: str = ""
) -> HttpResponse:
    """The question's block after a save, replacing whatever form was open in it."""
    return saved(
        request,
        redirect_to=audit_url(question.audit, f"question-{question.pk}"),
        template="audits/_question.html",
        context={"node": question_node(question), "audit": question.audit, "can_edit": True},
        target=f"#question-{question.pk}",
        focus=f"#question-{question.pk}",
        announce=announce or _("Saved."),
        changed=changed or None,
    )


def _questions_section(
    request: HttpRequest, audit_pk: int, *, focus: str, announce: str, anchor: str
) -> HttpResponse:
    audit = get_editable_audit(request, audit_pk)
    return saved(
        request,
        redirect_to=audit_url(audit, anchor),
        template="audits/_questions.html",
        context=page_context(request, audit),
        target="#questions",
        focus=focus,
        announce=announce,
        changed="audit-changed",
    )


def _question_ui(question: AuditQuestion, form_id: str, url_name: str, heading: str) -> FormUI:
    """An inline form inside a question's block; Cancel puts the block back."""
    return FormUI(
        form_id=form_id,
        action=reverse(url_name, args=[question.pk]),
        heading=heading,
        cancel_url=audit_url(question.audit, f"question-{question.pk}"),
        cancel_hx=_block_url(question),
        cancel_target=f"#question-{question.pk}",
    )


def _question_form(
    request: HttpRequest,
    question: AuditQuestion,
    form: forms.BaseForm,
    ui: FormUI,
    conflict: object = None,
) -> HttpResponse:
    return render_form(
        request,
        context={"form": form, "ui": ui, "conflict": conflict},
        title=ui.heading,
        back_url=audit_url(question.audit, f"question-{question.pk}"),
        back_label=question.audit.title,
    )


@require_GET
@login_required
def question_block(request: HttpRequest, pk: int) -> HttpResponse:
    """A question's block as shown on the audit page (what Cancel returns to)."""
    scope = scope_for(request.user)
    question = get_object_or_404(scope.questions().select_related("audit"), pk=pk)
    if not is_htmx(request):
        return HttpResponseRedirect(audit_url(question.audit, f"question-{question.pk}"))
    return render(
        request,
        "audits/_question.html",
        {
            "node": question_node(question),
            "audit": question.audit,
            "can_edit": scope.can_edit_audit(question.audit),
            "inline": True,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def question_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    audit = get_editable_audit(request, pk)
    parent = None
    parent_pk = request.GET.get("parent") or request.POST.get("parent")
    if parent_pk:
        if (parent_id := parse_id(parent_pk)) is None:
            return HttpResponse(status=400)
        parent = get_object_or_404(
            AuditQuestion.objects.filter(audit=audit, parent__isnull=True), pk=parent_id
        )
    form = QuestionForm(posted(request), prefix="new-sub" if parent else "new")
    if request.method == "POST" and form.is_valid():
        try:
            question = question_add(audit=audit, text=form.cleaned_data["text"], parent=parent)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            announce = _("Question %(number)s added.") % {"number": question.number}
            if parent is None:
                # Quick entry: focus returns to the empty add form for the next question.
                return _questions_section(
                    request,
                    audit.pk,
                    focus="#id_new-text",
                    announce=announce,
                    anchor="add-question",
                )
            return _questions_section(
                request,
                audit.pk,
                focus=f"#question-{question.pk}",
                announce=announce,
                anchor=f"question-{question.pk}",
            )
    return render_form(
        request,
        template="audits/_question_add_form.html",
        context={"audit": audit, "form": form, "parent": parent},
        title=_("Add a sub-question") if parent else _("Add a question"),
        back_url=audit_url(audit, "questions"),
        back_label=audit.title,
    )


@require_http_methods(["GET", "POST"])
@login_required
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_editable_question(request, pk)
    form = QuestionForm(posted(request), instance=question)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            form.save_versioned()
        except EditConflict as exc:
            conflict = form.take_conflict(exc.current)
        else:
            return _question_block(request, question, changed="audit-changed")
    title = _("Edit question %(number)s") % {"number": question.number}
    ui = _question_ui(question, f"question-{question.pk}-form", "question-edit", title)
    return _question_form(request, question, form, ui, conflict)


@require_POST
@login_required
def question_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_editable_question(request, pk)
    up = request.POST.get("direction") != "down"
    moved = question_move(question=question, up=up)
    question.refresh_from_db()
    if moved:
        announce = _("Question moved; it is now number %(number)s.")
    elif up:
        announce = _("Question %(number)s is already first.")
    else:
        announce = _("Question %(number)s is already last.")
    return _questions_section(
        request,
        question.audit_id,
        focus=f"#move-{'up' if up else 'down'}-{question.pk}",
        announce=announce % {"number": question.number},
        anchor=f"question-{question.pk}",
    )


@require_http_methods(["GET", "POST"])
@login_required
def question_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_editable_question(request, pk)
    audit = question.audit
    if request.method == "POST":
        try:
            question_delete(question=question)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The question was deleted."))
        return redirect(audit_url(audit, "questions"))
    return render(
        request,
        "audits/question_confirm_delete.html",
        {
            "question": question,
            "audit": audit,
            "sub_count": question.sub_questions.count(),
            "observation_count": question.observations.count(),
            "rated": Assessment.objects.filter(question=question).exists(),
            "recommendations": list(question.recommendations.order_by("number")),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def observation_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_editable_question(request, pk)
    form = ObservationForm(posted(request), prefix=f"obs-new-{question.pk}")
    if request.method == "POST" and form.is_valid():
        observation_add(
            question=question,
            heading=form.cleaned_data["heading"],
            text=form.cleaned_data["text"],
        )
        return _question_block(request, question, announce=_("Observation added."))
    title = _("Add an observation to question %(number)s") % {"number": question.number}
    ui = _question_ui(question, f"observation-new-{question.pk}", "observation-add", title)
    ui.submit_label = _("Add observation")
    return _question_form(request, question, form, ui)


@require_http_methods(["GET", "POST"])
@login_required
def observation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    observation = get_editable_observation(request, pk)
    question = observation.question
    form = ObservationForm(posted(request), instance=observation, prefix=f"obs-{observation.pk}")
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            form.save_versioned()
        except EditConflict as exc:
            conflict = form.take_conflict(exc.current)
        else:
            return _question_block(request, question)
    title = _("Edit an observation of question %(number)s") % {"number": question.number}
    ui = _question_ui(question, f"observation-{observation.pk}-form", "observation-edit", title)
    ui.action = reverse("observation-edit", args=[observation.pk])
    return _question_form(request, question, form, ui, conflict)


@require_http_methods(["GET", "POST"])
@login_required
def observation_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    observation = get_editable_observation(request, pk)
    question = observation.question
    if request.method == "POST":
        observation_delete(observation=observation)
        messages.success(request, _("The observation was deleted."))
        return redirect(audit_url(question.audit, f"question-{question.pk}"))
    return render(
        request,
        "audits/confirm_delete.html",
        {
            "audit": question.audit,
            "title": _("Delete the observation?"),
            "what": observation.heading or observation.text,
            "back_url": audit_url(question.audit, f"question-{question.pk}"),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def assessment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_editable_question(request, pk)
    assessment = Assessment.objects.filter(question=question).first() or Assessment(
        question=question
    )
    form = AssessmentForm(
        posted(request),
        instance=assessment,
        scale=question.audit.rating_scale,
        prefix=f"rating-{question.pk}",
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            form.save_versioned()
        except EditConflict as exc:
            conflict = form.take_conflict(exc.current)
        else:
            return _question_block(
                request,
                question,
                announce=_("Question %(number)s rated %(level)s.")
                % {"number": question.number, "level": form.cleaned_data["level"].label},
                changed="audit-changed",
            )
    title = _("Rate question %(number)s") % {"number": question.number}
    ui = _question_ui(question, f"assessment-{question.pk}-form", "assessment-edit", title)
    return _question_form(request, question, form, ui, conflict)


@require_http_methods(["GET", "POST"])
@login_required
def assessment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_editable_question(request, pk)
    assessment = get_object_or_404(Assessment, question=question)
    back = audit_url(question.audit, f"question-{question.pk}")
    if request.method == "POST":
        assessment.delete()
        messages.success(request, _("The rating was removed."))
        return redirect(back)
    return render(
        request,
        "audits/confirm_delete.html",
        {
            "audit": question.audit,
            "title": _("Remove the rating of question %(number)s?") % {"number": question.number},
            "what": f"{assessment.level.label}: {assessment.comment}",
            "back_url": back,
        },
    )
