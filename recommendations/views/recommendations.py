"""Recommendations on the audit page, their history page, and the auditors' follow-ups."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from audits.views.audit import page_context
from audits.views.common import audit_url, get_editable_audit
from tracker.htmx import is_htmx
from tracker.pages import FormUI, posted, render_form, saved
from tracker.versioning import EditConflict

from ..forms import FollowUpForm, RecommendationForm
from ..models import Answer, FollowUp, Measure, Recommendation, Response
from ..services import followup_record
from .common import get_editable_recommendation, get_recommendation


def _block_context(request: HttpRequest, recommendation: Recommendation) -> dict[str, object]:
    recommendation = (
        Recommendation.objects.select_related("body", "audit")
        .prefetch_related("questions__parent")
        .get(pk=recommendation.pk)
    )
    return {"recommendation": recommendation, "audit": recommendation.audit, "can_edit": True}


@require_GET
@login_required
def recommendation_block(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation, scope = get_recommendation(request, pk)
    if not is_htmx(request):
        return HttpResponseRedirect(
            audit_url(recommendation.audit, f"recommendation-{recommendation.pk}")
        )
    context = _block_context(request, recommendation)
    context["can_edit"] = scope.can_edit_audit(recommendation.audit)
    return render(request, "recommendations/_recommendation.html", {**context, "inline": True})


@require_http_methods(["GET", "POST"])
@login_required
def recommendation_add(request: HttpRequest, pk: int) -> HttpResponse:
    audit = get_editable_audit(request, pk)
    form = RecommendationForm(posted(request), audit=audit, prefix="new-recommendation")
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                recommendation = form.save()
        except IntegrityError:
            # Another editor took the number between the check and the save.
            form.add_error("number", _("The audit already has a recommendation with this number."))
        else:
            return saved(
                request,
                redirect_to=audit_url(audit, f"recommendation-{recommendation.pk}"),
                template="audits/_recommendations.html",
                context=page_context(request, audit),
                target="#recommendations",
                focus="#recommendation-add-button",
                announce=_("Recommendation %(number)s added.") % {"number": recommendation.number},
            )
    ui = FormUI(
        form_id="recommendation-new-form",
        action=reverse("recommendation-add", args=[audit.pk]),
        heading=_("Add a recommendation"),
        cancel_url=audit_url(audit, "recommendations"),
        cancel_hx=reverse("audit-section", args=[audit.pk, "recommendations"]),
        cancel_target="#recommendations",
        submit_label=_("Add recommendation"),
    )
    return render_form(
        request,
        context={"form": form, "ui": ui},
        title=_("Add a recommendation"),
        back_url=audit_url(audit, "recommendations"),
        back_label=audit.title,
    )


@require_http_methods(["GET", "POST"])
@login_required
def recommendation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = get_editable_recommendation(request, pk)
    audit = recommendation.audit
    form = RecommendationForm(
        posted(request), instance=recommendation, audit=audit, prefix=f"rec-{pk}"
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.save_versioned()
        except EditConflict as exc:
            conflict = form.take_conflict(exc.current)
        except IntegrityError:
            form.add_error("number", _("The audit already has a recommendation with this number."))
        else:
            return saved(
                request,
                redirect_to=audit_url(audit, f"recommendation-{pk}"),
                template="recommendations/_recommendation.html",
                context=_block_context(request, recommendation),
                target=f"#recommendation-{pk}",
                focus=f"#recommendation-{pk}",
                announce=_("Saved."),
            )
    title = _("Edit recommendation %(number)s") % {"number": recommendation.number}
    ui = FormUI(
        form_id=f"recommendation-{pk}-form",
        action=reverse("recommendation-edit", args=[pk]),
        heading=title,
        cancel_url=audit_url(audit, f"recommendation-{pk}"),
        cancel_hx=reverse("recommendation-block", args=[pk]),
        cancel_target=f"#recommendation-{pk}",
    )
    return render_form(
        request,
        context={"form": form, "ui": ui, "conflict": conflict},
        title=title,
        back_url=audit_url(audit, f"recommendation-{pk}"),
        back_label=audit.title,
    )


@require_http_methods(["GET", "POST"])
@login_required
def recommendation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = get_editable_recommendation(request, pk)
    audit = recommendation.audit
    back = audit_url(audit, "recommendations")
    if request.method == "POST":
        # Drafts have no answers or follow-ups; the check guards against a race with issuing.
        if recommendation.answers.exists() or recommendation.follow_ups.exists():
            messages.error(
                request, _("The recommendation has been answered and can no longer be deleted.")
            )
        else:
            recommendation.delete()
            messages.success(request, _("The recommendation was deleted."))
        return redirect(back)
    return render(
        request,
        "audits/confirm_delete.html",
        {
            "audit": audit,
            "title": _("Delete recommendation %(number)s?") % {"number": recommendation.number},
            "what": recommendation.text,
            "back_url": back,
        },
    )


@dataclass
class Event:
    date: datetime.date
    kind: str
    text: str
    detail: str = ""
    url: str = ""


def _history(
    recommendation: Recommendation,
    answers: list[Answer],
    narratives: list[Response],
    measures: list[Measure],
    follow_ups: list[FollowUp],
) -> list[Event]:
    """Everything that happened to the recommendation, oldest first."""
    audit = recommendation.audit
    events: list[Event] = []
    if audit.issued_date:
        events.append(
            Event(
                audit.issued_date,
                "issued",
                _("Report issued to %(body)s; response due %(deadline)s.")
                % {"body": recommendation.body, "deadline": audit.response_deadline},
            )
        )
    for answer in answers:
        events.append(
            Event(
                answer.response.received_date,
                "answer",
                _("Response from %(body)s: %(stance)s.")
                % {"body": answer.response.body, "stance": answer.get_stance_display()},
                answer.text,
                reverse("response-detail", args=[answer.response_id]),
            )
        )
    for response in narratives:
        events.append(
            Event(
                response.received_date,
                "answer",
                _("Narrative response from %(body)s.") % {"body": response.body},
                response.narrative,
                reverse("response-detail", args=[response.pk]),
            )
        )
    for measure in measures:
        if measure.completed_date:
            events.append(
                Event(
                    measure.completed_date,
                    "measure",
                    _("Measure done: %(measure)s") % {"measure": measure.description},
                )
            )
    for follow_up in follow_ups:
        events.append(
            Event(
                follow_up.date,
                "follow_up",
                _("Follow-up: %(assessment)s.")
                % {"assessment": follow_up.get_assessment_display()},
                follow_up.comment,
            )
        )
    order = {"issued": 0, "answer": 1, "measure": 2, "follow_up": 3}
    return sorted(events, key=lambda event: (event.date, order[event.kind]))


@require_GET
@login_required
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation, scope = get_recommendation(request, pk)
    responses = scope.responses().filter(audit=recommendation.audit_id, body=recommendation.body_id)
    answers = list(
        Answer.objects.filter(recommendation=recommendation, response__in=responses).select_related(
            "response__body"
        )
    )
    narratives = list(responses.filter(kind=Response.Kind.NARRATIVE).select_related("body"))
    measures = list(
        scope.measures()
        .filter(recommendations=recommendation)
        .select_related("response", "responsible_user")
        .order_by("due_date", "pk")
    )
    follow_ups = list(
        recommendation.follow_ups.select_related("recorded_by").order_by("date", "recorded_at")
    )
    can_follow_up = scope.can_follow_up(recommendation)
    return render(
        request,
        "recommendations/recommendation_detail.html",
        {
            "recommendation": recommendation,
            "audit": recommendation.audit,
            "questions": list(
                recommendation.questions.select_related("parent", "assessment__level")
            ),
            "answers": answers,
            "narratives": narratives,
            "measures": measures,
            "follow_ups": follow_ups,
            "history": _history(recommendation, answers, narratives, measures, follow_ups),
            "can_follow_up": can_follow_up,
            "follow_up_form": FollowUpForm(recommendation=recommendation)
            if can_follow_up
            else None,
            "responses": list(responses),
            "can_respond": scope.can_respond(recommendation.audit, recommendation.body),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def follow_up_add(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation, scope = get_recommendation(request, pk)
    if not scope.can_follow_up(recommendation):
        raise PermissionDenied
    form = FollowUpForm(posted(request), recommendation=recommendation)
    detail = reverse("recommendation-detail", args=[pk])
    if request.method == "POST" and form.is_valid():
        try:
            followup_record(
                recommendation=recommendation,
                date=form.cleaned_data["date"],
                assessment=form.cleaned_data["assessment"],
                comment=form.cleaned_data["comment"],
                recorded_by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The follow-up was recorded."))
            return redirect(f"{detail}#history")
    ui = FormUI(
        form_id="follow-up-form",
        action=reverse("follow-up-add", args=[pk]),
        heading=_("Record a follow-up"),
        cancel_url=detail,
        submit_label=_("Record the follow-up"),
    )
    return render_form(
        request,
        context={"form": form, "ui": ui},
        title=_("Follow up recommendation %(number)s") % {"number": recommendation.number},
        back_url=detail,
        back_label=_("recommendation %(number)s") % {"number": recommendation.number},
    )
