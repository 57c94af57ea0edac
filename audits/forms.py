"""Forms of the audit side: the audit, its questions, observations and assessments."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from regions.models import Body, Membership, Region, User
from tracker.forms import (
    DocumentInput,
    IdMultipleChoiceField,
    IsoDateField,
    VersionedForm,
    parse_id,
)
from tracker.uploads import ChecksDocuments

from .models import (
    Assessment,
    Audit,
    AuditQuestion,
    AuditTeamMember,
    Observation,
    QuestionSet,
    RatingLevel,
    RatingScale,
)

TEXTAREA_SHORT = forms.Textarea(attrs={"rows": 3})
TEXTAREA_LONG = forms.Textarea(attrs={"rows": 6})


class AuditForm(ChecksDocuments, VersionedForm):
    """The audit's own details; findings are edited block by block on the audit page."""

    document_fields = ("report_file", "cover_letter_file")

    criteria_text = forms.CharField(
        label=_("Audit criteria"),
        required=False,
        widget=TEXTAREA_SHORT,
        help_text=_("One criterion per line, e.g. Kommunallagen (2017:725)."),
        max_length=10000,
    )

    class Meta:
        model = Audit
        fields = [
            "region",
            "title",
            "reference_number",
            "year",
            "kind",
            "rating_scale",
            "audit_firm",
            "responsible_auditor",
            "audited_bodies",
            "follows_up",
            "background",
            "purpose",
            "scope",
            "method",
            "report_file",
            "cover_letter_file",
        ]
        help_texts = {
            "report_file": _("The published report as issued: PDF or Word (.docx)."),
            "cover_letter_file": _("The signed cover letter (missiv): PDF or Word (.docx)."),
        }
        widgets = {
            "audited_bodies": forms.CheckboxSelectMultiple,
            "background": TEXTAREA_LONG,
            "purpose": TEXTAREA_SHORT,
            "scope": TEXTAREA_SHORT,
            "method": TEXTAREA_SHORT,
            "report_file": DocumentInput,
            "cover_letter_file": DocumentInput,
        }
        field_classes = {"audited_bodies": IdMultipleChoiceField}

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["region"].empty_label = None
        region = self._region(regions)
        self.fields["audited_bodies"].queryset = Body.objects.filter(
            region=region, is_active=True
        ).order_by("name")
        self.fields["audited_bodies"].required = False
        self.fields["responsible_auditor"].queryset = (
            User.objects.filter(
                memberships__region=region, memberships__role__in=Membership.AUDIT_SIDE_ROLES
            )
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        follows_up = Audit.objects.filter(region=region).order_by("-year", "title")
        if self.instance.pk is not None:
            follows_up = follows_up.exclude(pk=self.instance.pk)
            # Moving an audit between regions would strand its bodies and recommendations.
            self.fields["region"].disabled = True
            self.fields["criteria_text"].initial = "\n".join(
                criterion.text for criterion in self.instance.criteria.all()
            )
            if self.instance.questions.filter(assessment__isnull=False).exists():
                self.fields["rating_scale"].disabled = True
                self.fields["rating_scale"].help_text = _(
                    "Questions are already rated on this scale; remove the ratings to change it."
                )
        self.fields["follows_up"].queryset = follows_up
        if len(regions) == 1 and self.instance.pk is None:
            self.fields["region"].initial = regions[0].pk
        if self.instance.pk is None:
            self.fields["year"].initial = datetime.date.today().year

    def _region(self, regions: QuerySet[Region]) -> Region | None:
        if self.instance.pk is not None:
            return self.instance.region
        raw = self.data.get(self.add_prefix("region")) if self.is_bound else None
        if (region_id := parse_id(raw)) is not None:
            chosen = regions.filter(pk=region_id).first()
            if chosen is not None:
                return chosen
        return regions.first()

    def clean_criteria_text(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["criteria_text"].splitlines()]
        criteria = [line for line in lines if line]
        too_long = [line for line in criteria if len(line) > 500]
        if too_long:
            raise ValidationError(_("Each criterion can have at most 500 characters."))
        return criteria

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        region = cleaned.get("region") or (self.instance.region if self.instance.pk else None)
        bodies = cleaned.get("audited_bodies") or []
        if region is not None and any(body.region_id != region.pk for body in bodies):
            self.add_error("audited_bodies", _("Choose bodies of the audit's region."))
        follows_up = cleaned.get("follows_up")
        if region is not None and follows_up is not None and follows_up.region_id != region.pk:
            self.add_error("follows_up", _("The earlier audit belongs to another region."))
        return cleaned


class AuditFromSetForm(forms.Form):
    """Start a region's audit from a coordinated question set."""

    question_set = forms.ModelChoiceField(
        queryset=QuestionSet.objects.none(), label=_("Coordinated question set"), empty_label=None
    )
    region = forms.ModelChoiceField(queryset=Region.objects.none(), label=_("Region"))
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to use the question set's title."),
    )
    reference_number = forms.CharField(label=_("Reference number"), max_length=60, required=False)
    rating_scale = forms.ModelChoiceField(
        queryset=RatingScale.objects.all(), label=_("Rating scale"), empty_label=None
    )
    audit_firm = forms.CharField(label=_("Audit firm"), max_length=200, required=False)

    def __init__(
        self,
        *args: Any,
        regions: QuerySet[Region],
        question_sets: QuerySet[QuestionSet],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["region"].empty_label = None
        self.fields["question_set"].queryset = question_sets

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        question_set, region = cleaned.get("question_set"), cleaned.get("region")
        if question_set and region and question_set.audits.filter(region=region).exists():
            self.add_error(
                "question_set", _("The region already has an audit from this question set.")
            )
        reference = cleaned.get("reference_number")
        if (
            region
            and reference
            and Audit.objects.filter(region=region, reference_number=reference).exists()
        ):
            self.add_error(
                "reference_number", _("The region already has an audit with this reference.")
            )
        return cleaned


class TeamMemberForm(forms.ModelForm):
    class Meta:
        model = AuditTeamMember
        fields = ["name", "title", "role"]


class BaseTeamFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        reviewers = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("role") == AuditTeamMember.Role.QUALITY_REVIEWER
        ]
        if len(reviewers) > 1:
            raise ValidationError(_("The audit already has a quality reviewer."))


TeamFormSet = forms.inlineformset_factory(
    Audit,
    AuditTeamMember,
    form=TeamMemberForm,
    formset=BaseTeamFormSet,
    extra=2,
    can_delete=True,
    max_num=30,
)


class IssueForm(forms.Form):
    bodies = IdMultipleChoiceField(
        queryset=Body.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Send the report to"),
        error_messages={"required": _("Choose at least one body to send the report to.")},
    )
    issued_date = IsoDateField(label=_("Issue date"))
    response_deadline = IsoDateField(
        label=_("Response deadline"), help_text=_("YYYY-MM-DD. The bodies answer by this date.")
    )
    # The audit as the page showed it: issuing what someone changed since is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, audit: Audit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.audit = audit
        self.fields["version"].initial = audit.version
        self.fields["bodies"].queryset = Body.objects.filter(region=audit.region).order_by("name")
        recommended = set(audit.recommendations.values_list("body_id", flat=True))
        chosen = set(audit.audited_bodies.values_list("pk", flat=True))
        self.fields["bodies"].initial = sorted(recommended | chosen)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        issued, deadline = cleaned.get("issued_date"), cleaned.get("response_deadline")
        if issued and deadline and deadline < issued:
            self.add_error(
                "response_deadline", _("The response deadline cannot be before the issue date.")
            )
        bodies = cleaned.get("bodies")
        if bodies is not None:
            chosen = {body.pk for body in bodies}
            missing = sorted(
                {
                    rec.body.name
                    for rec in self.audit.recommendations.select_related("body")
                    if rec.body_id not in chosen
                }
            )
            if missing:
                self.add_error(
                    "bodies",
                    _("Recommendations are addressed to %(bodies)s; send the report there too.")
                    % {"bodies": ", ".join(missing)},
                )
        return cleaned


class QuestionForm(VersionedForm):
    class Meta:
        model = AuditQuestion
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        labels = {"text": _("Question")}


class ObservationForm(VersionedForm):
    class Meta:
        model = Observation
        fields = ["heading", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}


class LevelSelect(forms.RadioSelect):
    option_template_name = "audits/widgets/level_option.html"


class AssessmentForm(VersionedForm):
    class Meta:
        model = Assessment
        fields = ["level", "comment", "reasoning"]
        widgets = {
            "level": LevelSelect,
            "comment": forms.Textarea(attrs={"rows": 2}),
            "reasoning": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, scale: RatingScale, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        levels = RatingLevel.objects.filter(scale=scale).order_by("rank")
        self.fields["level"].queryset = levels
        self.fields["level"].empty_label = None
        self.fields["level"].label = _("Rating (%(scale)s)") % {"scale": scale.name}
        self.fields["level"].error_messages["required"] = _("Choose a rating.")


class OverallAssessmentForm(VersionedForm):
    class Meta:
        model = Audit
        fields = ["overall_assessment"]
        widgets = {"overall_assessment": forms.Textarea(attrs={"rows": 5})}


class MoveForm(forms.Form):
    status = forms.ChoiceField(choices=Audit.Status.choices)
