"""The board secretaries' side: inbox, the body's response, and the measures promised."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from audits.models import Audit
from regions.access import scope_for
from regions.models import Body
from tracker import uploads
from tracker.pages import FormUI, posted, posted_files, render_form
from tracker.versioning import EditConflict

from ..forms import (
    AnswerForm,
    MeasureCompleteForm,
    MeasureForm,
    MeasureReviseForm,
    ResponseForm,
    ResponseImportForm,
)
from ..models import Answer, Measure, Recommendation, Response
from ..services import AnswerInput, measure_complete, measure_revise, response_record
from .common import get_editable_measure, get_response

if TYPE_CHECKING:
    from .response_import import Proposal


@require_GET
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """What the secretary's bodies must answer, and the measures they promised."""
    scope = scope_for(request.user)
    if not scope.is_secretary:
        raise PermissionDenied
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=settings.TRACKER["DUE_SOON_DAYS"])
    awaiting = list(
        scope.recommendations()
        .awaiting_response()
        .filter(body__in=scope.secretary_bodies)
        .select_related("audit__region", "body")
        .order_by("audit__response_deadline", "audit__title", "number")
    )
    measures = list(
        scope.measures()
        .open()
        .filter(response__body__in=scope.secretary_bodies, due_date__lte=soon)
        .select_related("response__audit", "response__body")
        .order_by("due_date", "pk")
    )
    return render(
        request,
        "recommendations/inbox.html",
        {"awaiting": awaiting, "measures": measures, "today": today},
    )


@dataclass
class ResponsePage:
    """The response form page of one audit and body: the editing page and the import
    view (which fills the same forms from a document, unsaved) both show it."""

    audit: Audit
    body: Body
    response: Response
    recommendations: list[Recommendation]

    @classmethod
    def load(cls, request: HttpRequest, audit_pk: int, body_pk: int) -> ResponsePage:
        """404 unless the user sees the audit; 403 unless they may record this response."""
        scope = scope_for(request.user)
        audit = get_object_or_404(scope.audits().select_related("region"), pk=audit_pk)
        body = get_object_or_404(Body, pk=body_pk, region=audit.region_id)
        if (
            not scope.can_respond(audit, body)
            or not audit.audited_bodies.filter(pk=body.pk).exists()
        ):
            raise PermissionDenied
        response = Response.objects.filter(audit=audit, body=body).first() or Response(
            audit=audit, body=body
        )
        recommendations = list(audit.recommendations.filter(body=body).order_by("number"))
        return cls(audit, body, response, recommendations)

    def forms(
        self,
        data: Any = None,
        files: Any = None,
        *,
        initial: dict[str, Any] | None = None,
        answers: dict[int, dict[str, Any]] | None = None,
    ) -> tuple[ResponseForm, list[AnswerForm]]:
        """The response form and one answer form per recommendation; `initial` and
        `answers` (recommendation pk -> initial values) are proposals over what is
        stored."""
        form = ResponseForm(
            data,
            files,
            instance=self.response,
            initial=initial,
            audit=self.audit,
            body=self.body,
        )
        existing = {}
        if self.response.pk:
            existing = {a.recommendation_id: a for a in self.response.answers.all()}
        answer_forms = []
        for recommendation in self.recommendations:
            answer = existing.get(recommendation.pk)
            stored = {"stance": answer.stance, "text": answer.text} if answer else {}
            answer_forms.append(
                AnswerForm(
                    data,
                    initial={**stored, **(answers or {}).get(recommendation.pk, {})},
                    recommendation=recommendation,
                    prefix=f"answer-{recommendation.pk}",
                )
            )
        return form, answer_forms

    def render(
        self,
        request: HttpRequest,
        form: ResponseForm,
        answer_forms: list[AnswerForm],
        *,
        conflict: object = None,
        import_form: ResponseImportForm | None = None,
        imported: Proposal | None = None,
    ) -> HttpResponse:
        return render(
            request,
            "recommendations/response_form.html",
            {
                "audit": self.audit,
                "body": self.body,
                "form": form,
                "answer_forms": answer_forms,
                "conflict": conflict,
                "response": self.response if self.response.pk else None,
                "import_form": import_form or ResponseImportForm(),
                # What the form was filled in from, for review (None: not imported).
                "imported": imported,
            },
        )


@require_http_methods(["GET", "POST"])
@login_required
def response_edit(request: HttpRequest, audit_pk: int, body_pk: int) -> HttpResponse:
    """Record or correct a body's response: per recommendation or one narrative."""
    page = ResponsePage.load(request, audit_pk, body_pk)
    form, answer_forms = page.forms(posted(request), posted_files(request))
    conflict = None
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in answer_forms):
        per_recommendation = form.cleaned_data["kind"] == Response.Kind.PER_RECOMMENDATION
        answers = [
            AnswerInput(f.recommendation, f.cleaned_data["stance"], f.cleaned_data["text"])
            for f in answer_forms
            if f.answered
        ]
        if per_recommendation and page.recommendations and not answers:
            form.add_error(
                "kind",
                _("Answer at least one recommendation, or choose one narrative response."),
            )
        else:
            try:
                with transaction.atomic():
                    saved = form.save(commit=False)
                    response_record(
                        response=saved,
                        answers=answers if per_recommendation else [],
                        expected_version=form.expected_version(),
                    )
            except EditConflict as exc:
                conflict = form.take_conflict(exc.current)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("The response was saved."))
                return redirect("response-detail", saved.pk)
    return page.render(request, form, answer_forms, conflict=conflict)


@require_GET
@login_required
def response_detail(request: HttpRequest, pk: int) -> HttpResponse:
    response, scope = get_response(request, pk)
    answers = {a.recommendation_id: a for a in Answer.objects.filter(response=response)}
    recommendations = [
        {"recommendation": r, "answer": answers.get(r.pk)}
        for r in response.audit.recommendations.filter(body=response.body).order_by("number")
    ]
    measures = list(
        response.measures.select_related("responsible_user")
        .prefetch_related("recommendations")
        .order_by("due_date", "pk")
    )
    return render(
        request,
        "recommendations/response_detail.html",
        {
            "response": response,
            "audit": response.audit,
            "recommendations": recommendations,
            "decision_items": list(response.decision_items.all()),
            "measures": measures,
            "can_edit": scope.can_edit_response(response),
            "today": timezone.localdate(),
        },
    )


@require_GET
@login_required
def response_document(request: HttpRequest, pk: int) -> FileResponse:
    """The signed response, only to those who may read the response."""
    response, _scope = get_response(request, pk)
    return uploads.serve(response.document)


def _response_url(measure_or_response: Measure | Response) -> str:
    response = getattr(measure_or_response, "response", measure_or_response)
    return reverse("response-detail", args=[response.pk])


@require_http_methods(["GET", "POST"])
@login_required
def measure_add(request: HttpRequest, pk: int) -> HttpResponse:
    response, scope = get_response(request, pk)
    if not scope.can_edit_response(response):
        raise PermissionDenied
    form = MeasureForm(posted(request), response=response)
    back = _response_url(response)
    if request.method == "POST" and form.is_valid():
        measure = form.save()
        messages.success(request, _("The measure was added."))
        return redirect(f"{back}#measure-{measure.pk}")
    ui = FormUI(
        form_id="measure-new-form",
        action=reverse("measure-add", args=[pk]),
        heading=_("Add a measure"),
        cancel_url=back,
        submit_label=_("Add measure"),
    )
    return render_form(
        request,
        context={"form": form, "ui": ui},
        title=_("Add a measure"),
        back_url=back,
        back_label=_("the response"),
    )


def _measure_form_page(
    request: HttpRequest,
    measure: Measure,
    form: MeasureForm | MeasureCompleteForm | MeasureReviseForm,
    *,
    url_name: str,
    title: str,
    submit_label: str = "",
    conflict: object = None,
) -> HttpResponse:
    back = f"{_response_url(measure)}#measure-{measure.pk}"
    ui = FormUI(
        form_id=f"measure-{measure.pk}-{url_name}",
        action=reverse(url_name, args=[measure.pk]),
        heading=title,
        cancel_url=back,
        submit_label=submit_label,
    )
    return render_form(
        request,
        template="recommendations/measure_form.html",
        context={"form": form, "ui": ui, "measure": measure, "conflict": conflict},
        title=title,
        back_url=back,
        back_label=_("the response"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_editable_measure(request, pk)
    form = MeasureForm(posted(request), instance=measure, response=measure.response)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            form.save_versioned()
        except EditConflict as exc:
            conflict = form.take_conflict(exc.current)
        else:
            messages.success(request, _("The measure was saved."))
            return redirect(f"{_response_url(measure)}#measure-{measure.pk}")
    return _measure_form_page(
        request,
        measure,
        form,
        url_name="measure-edit",
        title=_("Edit the measure"),
        conflict=conflict,
    )


def _measure_step(
    request: HttpRequest,
    measure: Measure,
    form: MeasureCompleteForm | MeasureReviseForm,
    apply: Callable[[dict[str, Any], int | None], object],
    *,
    url_name: str,
    title: str,
    submit_label: str,
    done: str,
) -> HttpResponse:
    """Mark done or revise: validate, apply through the service, or show why not."""
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            apply(form.cleaned_data, form.expected_version())
        except EditConflict as exc:
            conflict = form.take_conflict(exc.current)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, done)
            return redirect(f"{_response_url(measure)}#measure-{measure.pk}")
    return _measure_form_page(
        request,
        measure,
        form,
        url_name=url_name,
        title=title,
        submit_label=submit_label,
        conflict=conflict,
    )


@require_http_methods(["GET", "POST"])
@login_required
def measure_complete_view(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_editable_measure(request, pk)
    if measure.status == Measure.Status.DONE:
        messages.info(request, _("The measure is already marked done."))
        return redirect(f"{_response_url(measure)}#measure-{measure.pk}")
    form = MeasureCompleteForm(
        posted(request), instance=measure, initial={"completed_date": timezone.localdate()}
    )
    return _measure_step(
        request,
        measure,
        form,
        lambda data, version: measure_complete(
            measure=measure, completed_date=data["completed_date"], expected_version=version
        ),
        url_name="measure-complete",
        title=_("Mark the measure done"),
        submit_label=_("Mark done"),
        done=_("The measure was marked done."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def measure_revise_view(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_editable_measure(request, pk)
    return _measure_step(
        request,
        measure,
        MeasureReviseForm(posted(request), instance=measure),
        lambda data, version: measure_revise(
            measure=measure,
            new_due_date=data["revised_due_date"],
            reason=data["revision_reason"],
            expected_version=version,
        ),
        url_name="measure-revise",
        title=_("Revise the due date"),
        submit_label=_("Save the new date"),
        done=_("The new due date was saved; the original stays."),
    )
