"""Forms of the report import: the upload, and the review of the proposed draft audit."""

from __future__ import annotations

import logging
import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from regions.models import YEAR_VALIDATORS, Body, Region
from tracker.forms import IsoDateField
from tracker.uploads import storage_name

from .importing import Source, UnreadableDocument, propose_report, read_document
from .importing_save import QuestionLine, RecommendationLine, TeamLine
from .models import Audit, AuditTeamMember, RatingLevel, RatingScale

logger = logging.getLogger(__name__)

QUESTION_NUMBER = re.compile(r"^([1-9]\d{0,2})(?:\.([1-9]\d{0,2}))?$")
MAX_TEAM = 30


def read_uploaded_document(upload: UploadedFile) -> tuple[Source, str]:
    """The text of an uploaded report or response and what the file is ("pdf" or "txt",
    judged by its bytes, not its name); a form error for anything else. Both import
    screens read their uploads here."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is too large (at most %(limit)s)."),
            params={"limit": filesizeformat(limit)},
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    # Text has no NUL bytes; images, Word files and other binaries all do.
    kind = "pdf" if data.startswith(b"%PDF-") else "txt" if b"\x00" not in data else None
    if kind is None:
        raise ValidationError(_("Upload a PDF or a text file (.txt)."))
    try:
        return read_document(data), kind
    except UnreadableDocument as exc:
        raise ValidationError(
            _(
                "The document has no text that can be read. Upload a PDF with text (not "
                "a scanned image) or a text file (.txt)."
            )
        ) from exc


class ReportUploadForm(forms.Form):
    region = forms.ModelChoiceField(queryset=Region.objects.none(), label=_("Region"))
    file = forms.FileField(
        label=_("Report"),
        help_text=_(
            "The published report: a PDF with text (not a scanned image) or a text file (.txt)."
        ),
        widget=forms.FileInput(attrs={"accept": ".pdf,.txt,application/pdf,text/plain"}),
    )

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        choices = list(regions)
        if len(choices) == 1:
            self.fields["region"].initial = choices[0].pk
            self.fields["region"].empty_label = None
        self.source: Source | None = None
        self.proposal: dict[str, Any] = {}
        self.original_name = ""

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        self.source, kind = read_uploaded_document(upload)
        try:
            self.proposal = propose_report(self.source)
        except Exception as exc:
            # The reader meets documents nobody has seen before: a slip there is logged
            # and told as a form error, never a server error.
            logger.exception("proposing a draft audit from %r failed", upload.name)
            raise ValidationError(
                _("The report could not be read into a draft. Create the audit by hand.")
            ) from exc
        self.original_name = (upload.name or "")[:255]
        upload.name = storage_name(upload.name, kind, fallback="report")
        return upload


class ReportReviewForm(forms.Form):
    """The audit's own details as proposed from the report, for the auditor to correct."""

    title = forms.CharField(label=_("Title"), max_length=300)
    year = forms.IntegerField(label=_("Year"), validators=YEAR_VALIDATORS)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=Audit.Status.choices,
        help_text=_("A published report has normally been issued, or has come further."),
    )
    issued_date = IsoDateField(label=_("Issue date"), required=False)
    response_deadline = IsoDateField(label=_("Response deadline"), required=False)
    audit_firm = forms.CharField(label=_("Audit firm"), max_length=200, required=False)
    team = forms.CharField(
        label=_("Audit team"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One person per line: name, title. E.g. Anna Berg, revisionskonsult."),
    )
    purpose = forms.CharField(
        label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    overall_assessment = forms.CharField(
        label=_("Overall assessment"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    rating_scale = forms.ModelChoiceField(
        queryset=RatingScale.objects.order_by("name"), label=_("Rating scale")
    )

    def clean_team(self) -> list[TeamLine]:
        lines = [line.strip() for line in self.cleaned_data["team"].splitlines()]
        people = [line for line in lines if line]
        if len(people) > MAX_TEAM:
            raise ValidationError(
                _("List at most %(count)s people.") % {"count": MAX_TEAM}, code="too_many"
            )
        team: list[TeamLine] = []
        reviewer_found = False
        for line in people:
            name, _comma, title = (part.strip() for part in line.partition(","))
            if not name or len(name) > 200 or len(title) > 200:
                raise ValidationError(
                    _("Write each person as: name, title (at most 200 characters each).")
                )
            # The certified municipal auditor is the one who quality-assures the report.
            role = AuditTeamMember.Role.CONSULTANT
            if not reviewer_found and "certifierad" in title.casefold():
                role = AuditTeamMember.Role.QUALITY_REVIEWER
                reviewer_found = True
            team.append(TeamLine(name=name, title=title, role=role))
        return team

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        issued, deadline = cleaned.get("issued_date"), cleaned.get("response_deadline")
        status = cleaned.get("status")
        if status and status not in Audit.DRAFT_STATUSES:
            message = _("An issued audit needs an issue date and a response deadline.")
            if issued is None and "issued_date" not in self.errors:
                self.add_error("issued_date", message)
            if deadline is None and "response_deadline" not in self.errors:
                self.add_error("response_deadline", message)
        if issued and deadline and deadline < issued:
            self.add_error(
                "response_deadline", _("The response deadline cannot be before the issue date.")
            )
        return cleaned


def offered_levels(scale: RatingScale | None) -> list[RatingLevel]:
    """The levels a rating may take: the scale's, or every scale's while the scale is not
    known yet (then the form shows them grouped by scale)."""
    if scale is not None:
        return list(RatingLevel.objects.filter(scale=scale).order_by("rank"))
    return list(RatingLevel.objects.select_related("scale").order_by("scale__name", "rank"))


def level_choices(scale: RatingScale | None, levels: list[RatingLevel]) -> list[Any]:
    empty = ("", _("Not rated"))
    if scale is not None:
        return [empty, *((str(level.pk), level.label) for level in levels)]
    groups: dict[str, list[tuple[str, str]]] = {}
    for level in levels:
        groups.setdefault(level.scale.name, []).append((str(level.pk), level.label))
    return [empty, *groups.items()]


class QuestionRowForm(forms.Form):
    include = forms.BooleanField(label=_("Include in the audit"), required=False, initial=True)
    number = forms.CharField(
        label=pgettext_lazy("numbered item", "Number"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"size": "5"}),
        help_text=_("E.g. 2, or 2.1 for a sub-question of question 2."),
    )
    text = forms.CharField(
        label=_("Question"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    rating = forms.ChoiceField(label=_("Rating"), required=False)

    def __init__(
        self,
        *args: Any,
        scale: RatingScale | None,
        choices: list[Any],
        levels: dict[str, RatingLevel],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.scale = scale
        self.levels = levels
        rating = self.fields["rating"]
        rating.choices = choices
        # Said next to the rating when it is not a level of the chosen scale ("%" doubled:
        # the message is formatted once more with the value).
        scale_name = scale.name.replace("%", "%%") if scale else "–"
        rating.error_messages["invalid_choice"] = _("Choose a rating of the scale %(scale)s.") % {
            "scale": scale_name
        }

    def clean_rating(self) -> RatingLevel | None:
        return self.levels.get(self.cleaned_data["rating"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("include"):
            return cleaned
        number = cleaned.get("number", "")
        if "number" not in self.errors and not QUESTION_NUMBER.match(number or ""):
            self.add_error("number", _("Enter a number like 2, or 2.1 for a sub-question."))
        if "text" not in self.errors and not cleaned.get("text", "").strip():
            self.add_error("text", self.fields["text"].error_messages["required"])
        return cleaned

    def line(self) -> QuestionLine | None:
        """The question to save, or None for a row left out."""
        data = self.cleaned_data
        if not data.get("include") or not data.get("text", "").strip():
            return None
        main, sub = QUESTION_NUMBER.match(data["number"]).groups()
        return QuestionLine(
            main=int(main),
            sub=int(sub) if sub else None,
            text=data["text"].strip(),
            level=data.get("rating"),
        )


class BaseQuestionFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[str] = set()
        mains = {
            form.cleaned_data["number"]
            for form in self.forms
            if form.cleaned_data.get("include") and "." not in form.cleaned_data["number"]
        }
        for form in self.forms:
            data = form.cleaned_data
            if not data.get("include"):
                continue
            number = data["number"]
            if number in seen:
                form.add_error("number", _("Another question has this number."))
            seen.add(number)
            main = number.split(".", 1)[0]
            if "." in number and main not in mains:
                form.add_error(
                    "number",
                    _("Include main question %(main)s too, or give this one a number of its own.")
                    % {"main": main},
                )

    def lines(self) -> list[QuestionLine]:
        lines = [form.line() for form in self.forms if form.cleaned_data]
        return sorted((line for line in lines if line), key=lambda q: (q.main, q.sub or 0))


QuestionFormSet = forms.formset_factory(
    QuestionRowForm, formset=BaseQuestionFormSet, extra=1, max_num=200, validate_max=True
)


class RecommendationRowForm(forms.Form):
    include = forms.BooleanField(label=_("Include in the audit"), required=False, initial=True)
    number = forms.IntegerField(
        label=pgettext_lazy("numbered item", "Number"),
        required=False,
        min_value=1,
        max_value=999,
        widget=forms.NumberInput(attrs={"size": "4"}),
    )
    text = forms.CharField(
        label=_("Recommendation"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    body = forms.ChoiceField(label=_("Addressed to"), required=False)

    def __init__(self, *args: Any, bodies: list[Body], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Choices from a list read once: a model choice field would query per row.
        self.bodies = {str(body.pk): body for body in bodies}
        self.fields["body"].choices = [
            ("", "---------"),
            *((str(body.pk), body.name) for body in bodies),
        ]

    def clean_body(self) -> Body | None:
        return self.bodies.get(self.cleaned_data["body"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("include"):
            return cleaned
        if "number" not in self.errors and cleaned.get("number") is None:
            self.add_error("number", self.fields["number"].error_messages["required"])
        if "text" not in self.errors and not cleaned.get("text", "").strip():
            self.add_error("text", self.fields["text"].error_messages["required"])
        if "body" not in self.errors and cleaned.get("body") is None:
            self.add_error("body", _("Choose the body the recommendation is addressed to."))
        return cleaned

    def line(self) -> RecommendationLine | None:
        data = self.cleaned_data
        if not data.get("include") or not data.get("text", "").strip():
            return None
        return RecommendationLine(
            number=data["number"], text=data["text"].strip(), body=data["body"]
        )


class BaseRecommendationFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[int] = set()
        for form in self.forms:
            data = form.cleaned_data
            if not data.get("include"):
                continue
            if data["number"] in seen:
                form.add_error(
                    "number", _("The audit already has a recommendation with this number.")
                )
            seen.add(data["number"])

    def lines(self) -> list[RecommendationLine]:
        lines = [form.line() for form in self.forms if form.cleaned_data]
        return sorted((line for line in lines if line), key=lambda r: r.number)


RecommendationFormSet = forms.formset_factory(
    RecommendationRowForm,
    formset=BaseRecommendationFormSet,
    extra=1,
    max_num=100,
    validate_max=True,
)
