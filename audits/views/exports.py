"""PDF downloads: an audit's documents, the follow-up report, and background exports."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from recommendations.models import Recommendation
from regions.access import Scope, scope_for
from regions.models import Body, Region
from tracker.forms import parse_id
from tracker.htmx import is_htmx

from ..exports import DocumentRequest, Kind, NotFound, Rendered, jobs
from ..exports import render as render_pdf
from ..exports.models import Export

AUDIT_KINDS = {Kind.REPORT, Kind.COVER_LETTER, Kind.RESPONSE, Kind.COMPARISON}


def pdf_response(rendered: Rendered) -> HttpResponse:
    response = HttpResponse(rendered.data, content_type="application/pdf")
    # Opened in the browser's viewer; the name is what "save" offers.
    response["Content-Disposition"] = f'inline; filename="{rendered.filename}"'
    return response


def _render(document: DocumentRequest, scope: Scope) -> HttpResponse:
    try:
        rendered = render_pdf(document, scope, language=get_language())
    except NotFound as missing:
        raise Http404(str(missing)) from missing
    return pdf_response(rendered)


@require_GET
@login_required
def audit_pdf(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The report, cover letter(s), response summary or comparison memo of an audit."""
    if kind not in AUDIT_KINDS:
        raise Http404
    body = request.GET.get("body")
    # "²".isdigit() is true and int("²") fails: only plain digits are an id.
    body_id = parse_id(body)
    if body is not None and body_id is None:
        raise Http404
    document = DocumentRequest(Kind(kind), audit=pk, body=body_id)
    return _render(document, scope_for(request.user))


class FollowUpReportForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), to_field_name="code"
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=1990,
        max_value=2100,
        help_text=_("The audits' year; empty for all years."),
    )
    body = forms.ModelChoiceField(
        label=_("Body"), queryset=Body.objects.none(), required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *Recommendation.Status.choices],
    )

    def __init__(self, *args, scope: Scope, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = scope.regions()
        self.fields["body"].queryset = scope.bodies().select_related("region")
        regions = list(self.fields["region"].queryset)
        if len(regions) == 1:
            self.fields["region"].initial = regions[0].code

    def clean(self) -> dict:
        data = super().clean()
        region, body = data.get("region"), data.get("body")
        if region and body and body.region_id != region.pk:
            raise ValidationError({"body": _("The body belongs to another region.")})
        return data

    def document(self) -> DocumentRequest:
        data = self.cleaned_data
        return DocumentRequest(
            Kind.FOLLOWUP,
            region=data["region"].code,
            year=data.get("year"),
            body=data["body"].pk if data.get("body") else None,
            status=data.get("status") or None,
        )


@require_GET
@login_required
def followup_report(request: HttpRequest) -> HttpResponse:
    """The form; once submitted, the PDF, or a background export when it is large."""
    scope = scope_for(request.user)
    submitted = "region" in request.GET
    form = FollowUpReportForm(request.GET if submitted else None, scope=scope)
    if submitted and form.is_valid():
        document = form.document()
        if jobs.is_large(document, scope):
            export = jobs.start(document, request.user, language=get_language())
            return redirect("export-status", pk=export.pk)
        return _render(document, scope)
    return render(request, "audits/followup_report.html", {"form": form})


def _own_export(request: HttpRequest, pk: uuid.UUID) -> Export:
    # Another user's export is a 404, like anything else outside the user's scope.
    return get_object_or_404(Export.objects.defer("data"), pk=pk, user=request.user)


@require_GET
@login_required
def export_status(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    export = _own_export(request, pk)
    template = "audits/_export_status.html" if is_htmx(request) else "audits/export_status.html"
    return render(request, template, {"export": export})


@require_GET
@login_required
def export_download(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    export = get_object_or_404(
        Export.objects.filter(status=Export.Status.DONE), pk=pk, user=request.user
    )
    return pdf_response(Rendered(bytes(export.data), export.filename, export.title))
