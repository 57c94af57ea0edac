"""Forms for recommendations, the bodies' responses and measures, and follow-ups."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audits.import_forms import read_uploaded_document
from audits.importing import Source
from audits.models import Audit, AuditQuestion, reading_order
from regions.models import Body, Membership, User
from tracker.forms import (
    DocumentInput,
    IdMultipleChoiceField,
    IsoDateField,
    VersionedForm,
    iso_date_fields,
)
from tracker.uploads import ChecksDocuments

from .models import Answer, FollowUp, Measure, Recommendation, Response


class QuestionChoices(IdMultipleChoiceField):
    def label_from_instance(self, obj: AuditQuestion) -> str:
        text = obj.text if len(obj.text) <= 90 else f"{obj.text[:89]}…"
        return f"{obj.number}. {text}"


class RecommendationForm(VersionedForm):
    questions = QuestionChoices(
        queryset=AuditQuestion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Based on questions"),
    )

    class Meta:
        model = Recommendation
        fields = ["number", "body", "text", "questions", "is_priority"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        labels = {"body": _("Addressed to")}

    def __init__(self, *args: Any, audit: Audit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.audit = audit
        self.instance.audit = audit
        self.fields["body"].queryset = Body.objects.filter(region=audit.region_id).order_by("name")
        self.fields["questions"].queryset = (
            AuditQuestion.objects.filter(audit=audit)
            .select_related("parent")
            .order_by(*reading_order())
        )
        self.fields["number"].widget.attrs.update({"min": 1, "max": 999})
        if self.instance.pk is None:
            top = audit.recommendations.aggregate(top=Max("number"))["top"] or 0
            self.fields["number"].initial = top + 1
            bodies = list(audit.audited_bodies.values_list("pk", flat=True))
            if len(bodies) == 1:
                self.fields["body"].initial = bodies[0]

    def clean_number(self) -> int:
        number = self.cleaned_data["number"]
        if number is not None and number < 1:
            raise ValidationError(_("The number must be 1 or more."))
        taken = Recommendation.objects.filter(audit=self.audit, number=number)
        if self.instance.pk is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(_("The audit already has a recommendation with this number."))
        return number


class ResponseForm(ChecksDocuments, VersionedForm):
    document_fields = ("document",)

    class Meta:
        model = Response
        fields = [
            "kind",
            "received_date",
            "decision_date",
            "decision_reference",
            "reference_number",
            "narrative",
            "document",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "narrative": forms.Textarea(attrs={"rows": 8}),
            "document": DocumentInput,
        }
        help_texts = {
            "narrative": _(
                "The response in full when it does not answer recommendation by "
                "recommendation; otherwise an optional introduction."
            ),
            "document": _("The signed response or protocol extract: PDF or Word (.docx)."),
        }

    def __init__(self, *args: Any, audit: Audit, body: Body, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.audit = audit
        self.instance.body = body
        if self.instance.pk is None and not self.initial.get("received_date"):
            # The instance's empty date would win over a field initial.
            self.initial["received_date"] = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == Response.Kind.NARRATIVE and not (cleaned.get("narrative") or "").strip():
            self.add_error("narrative", _("A narrative response needs its text."))
        if (
            kind == Response.Kind.NARRATIVE
            and self.instance.pk is not None
            and self.instance.answers.exists()
        ):
            self.add_error(
                "kind",
                _("The response already answers recommendation by recommendation."),
            )
        return cleaned


iso_date_fields(ResponseForm)


class ResponseImportForm(forms.Form):
    """A body's response document, read to fill in the response form for review.

    Only read, never stored: the signed document is attached in the response form's
    own document field, which checks it as every stored upload is checked."""

    prefix = "import"

    document = forms.FileField(
        label=_("Response document"),
        help_text=_(
            "A PDF with text or a text file (.txt). The form below is filled in from it for "
            "you to check; the file itself is not stored: attach the signed response in the "
            "form's own document field."
        ),
        widget=forms.FileInput(attrs={"accept": ".pdf,.txt,application/pdf,text/plain"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.file_name = ""

    def clean_document(self) -> Source:
        upload = self.cleaned_data["document"]
        source, _kind = read_uploaded_document(upload)
        self.file_name = upload.name or ""
        return source


class AnswerForm(forms.Form):
    """The body's answer to one recommendation; both stance and text, or neither."""

    stance = forms.ChoiceField(
        choices=Answer.Stance.choices, widget=forms.RadioSelect, required=False, label=_("Stance")
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label=_("Answer")
    )
    # The passage ({"text", "page"}) of an imported response document that the proposed
    # answer came from, shown next to it for review.
    proposed_from: dict[str, Any] | None = None

    def __init__(self, *args: Any, recommendation: Recommendation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.recommendation = recommendation

    @property
    def answered(self) -> bool:
        return bool(self.cleaned_data.get("stance") and self.cleaned_data.get("text"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        stance, text = cleaned.get("stance"), (cleaned.get("text") or "").strip()
        if stance and not text:
            self.add_error("text", _("Write the answer, or clear the stance."))
        if text and not stance:
            self.add_error("stance", _("Choose whether the body accepts the recommendation."))
        cleaned["text"] = text
        return cleaned


def _responsible_users(response: Response) -> Any:
    region = response.audit.region_id
    return (
        User.objects.filter(
            is_active=True,
            memberships__region=region,
            memberships__role=Membership.Role.SECRETARY,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


class MeasureForm(VersionedForm):
    status = forms.ChoiceField(
        choices=[
            (Measure.Status.PLANNED, Measure.Status.PLANNED.label),
            (Measure.Status.IN_PROGRESS, Measure.Status.IN_PROGRESS.label),
            (Measure.Status.CANCELLED, Measure.Status.CANCELLED.label),
        ],
        label=_("Status"),
        help_text=_("To record that a measure is done, use “Mark done” on the response page."),
    )

    class Meta:
        model = Measure
        fields = [
            "description",
            "recommendations",
            "responsible",
            "responsible_user",
            "due_as_written",
            "original_due_date",
            "status",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "recommendations": forms.CheckboxSelectMultiple,
        }
        field_classes = {"recommendations": IdMultipleChoiceField}
        labels = {"original_due_date": _("Due date")}

    def __init__(self, *args: Any, response: Response, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.response = response
        self.fields["recommendations"].queryset = Recommendation.objects.filter(
            audit=response.audit_id, body=response.body_id
        ).order_by("number")
        self.fields["responsible_user"].queryset = _responsible_users(response)
        if self.instance.pk is not None:
            # The promised date stays as promised; moving it is a revision with a reason.
            del self.fields["original_due_date"]
            if self.instance.status == Measure.Status.DONE:
                del self.fields["status"]


iso_date_fields(MeasureForm)


class MeasureCompleteForm(VersionedForm):
    completed_date = IsoDateField(label=_("Done on"))

    class Meta:
        model = Measure
        fields = ["completed_date"]

    def clean_completed_date(self) -> Any:
        done = self.cleaned_data["completed_date"]
        if done > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return done


class MeasureReviseForm(VersionedForm):
    revised_due_date = IsoDateField(label=_("New due date"))

    class Meta:
        model = Measure
        fields = ["revised_due_date", "revision_reason"]
        widgets = {"revision_reason": forms.Textarea(attrs={"rows": 3})}
        labels = {"revision_reason": _("Reason for the new date")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["revision_reason"].required = True
        self.fields["revision_reason"].error_messages["required"] = _(
            "A revised due date needs a reason."
        )

    def clean_revised_due_date(self) -> Any:
        new = self.cleaned_data["revised_due_date"]
        if new == self.instance.original_due_date:
            raise ValidationError(_("The revised date is the same as the original."))
        return new


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["date", "assessment", "comment"]
        widgets = {
            "assessment": forms.RadioSelect,
            "comment": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, recommendation: Recommendation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.recommendation = recommendation
        if not self.initial.get("date"):
            self.initial["date"] = timezone.localdate()
        self.fields["assessment"].choices = FollowUp.Assessment.choices

    def clean_date(self) -> Any:
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise ValidationError(_("A follow-up cannot be dated in the future."))
        return date


iso_date_fields(FollowUpForm)
