from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from recommendations.models import Recommendation
from tracker.admin import VersionedAdmin
from tracker.uploads import ChecksDocuments

from .models import (
    Assessment,
    Audit,
    AuditQuestion,
    AuditTeamMember,
    Criterion,
    Observation,
    QuestionSet,
    RatingLevel,
    RatingScale,
    SharedQuestion,
)
from .services import assessment_set


def rating_badge(level: RatingLevel | None) -> str:
    """A level's colour next to its word: colour alone never carries the meaning."""
    if level is None:
        return "–"
    # An SVG fill attribute, not a style attribute: the admin runs under the strict CSP too.
    return format_html(
        '<svg width="12" height="12" aria-hidden="true" focusable="false">'
        '<rect x=".5" y=".5" width="11" height="11" fill="{}" stroke="#000"/></svg> {}',
        level.colour,
        level.label,
    )


class RatingLevelInline(admin.TabularInline):
    model = RatingLevel
    extra = 0


@admin.register(RatingScale)
class RatingScaleAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}
    inlines = [RatingLevelInline]


@admin.register(RatingLevel)
class RatingLevelAdmin(admin.ModelAdmin):
    list_display = ("label", "scale", "rank", "tone", "badge")
    list_filter = ("scale", "tone")
    search_fields = ("label", "scale__name")
    list_select_related = ("scale",)

    @admin.display(description=_("appearance"))
    def badge(self, level: RatingLevel) -> str:
        return rating_badge(level)


class SharedQuestionInline(admin.TabularInline):
    model = SharedQuestion
    extra = 0
    fields = ("position", "parent", "text")


@admin.register(QuestionSet)
class QuestionSetAdmin(admin.ModelAdmin):
    list_display = ("title", "year", "coordinator", "audit_count")
    list_filter = ("year",)
    search_fields = ("title", "coordinator")
    inlines = [SharedQuestionInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[QuestionSet]:
        return super().get_queryset(request).annotate(n_audits=Count("audits"))

    @admin.display(description=_("audits"), ordering="n_audits")
    def audit_count(self, question_set: QuestionSet) -> int:
        return question_set.n_audits


@admin.register(SharedQuestion)
class SharedQuestionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "question_set")
    list_filter = ("question_set",)
    search_fields = ("text", "question_set__title")
    autocomplete_fields = ["question_set", "parent"]


class TeamInline(admin.TabularInline):
    model = AuditTeamMember
    extra = 0


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


class AuditQuestionInlineForm(forms.ModelForm):
    """A question row that also carries its rating, so a report can be entered on one page."""

    rating = forms.ModelChoiceField(
        queryset=RatingLevel.objects.none(), required=False, label=_("rating")
    )
    comment = forms.CharField(
        required=False, label=_("short comment"), widget=forms.Textarea(attrs={"rows": 2})
    )

    class Meta:
        model = AuditQuestion
        fields = ("position", "parent", "text", "rating", "comment")
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    audit: Audit | None = None  # set per page by AuditQuestionInline.get_formset

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        audit = self.audit
        if audit is not None:
            self.fields["rating"].queryset = RatingLevel.objects.filter(
                scale_id=audit.rating_scale_id
            )
            self.fields["parent"].queryset = AuditQuestion.objects.filter(audit=audit, parent=None)
        else:
            self.fields["parent"].queryset = AuditQuestion.objects.none()
        assessment = getattr(self.instance, "assessment", None) if self.instance.pk else None
        if assessment is not None:
            self.initial.setdefault("rating", assessment.level_id)
            self.initial.setdefault("comment", assessment.comment)


class AuditQuestionInline(admin.StackedInline):
    model = AuditQuestion
    form = AuditQuestionInlineForm
    extra = 0
    show_change_link = True
    fk_name = "audit"

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = type("AuditQuestionFormForAudit", (self.form,), {"audit": obj})
        return super().get_formset(request, obj, **kwargs)


class RecommendationInline(admin.StackedInline):
    model = Recommendation
    extra = 0
    fields = ("number", "body", "text", "questions", "is_priority", "status")
    autocomplete_fields = ["body", "questions"]
    show_change_link = True


class AuditForm(ChecksDocuments, forms.ModelForm):
    # The admin takes uploads too: the same content and size checks as the audit form.
    document_fields = ("report_file", "cover_letter_file")

    class Meta:
        model = Audit
        # AuditAdmin.fieldsets decide the form's fields; these are the ones clean() reads.
        fields = ("region", "audited_bodies", "indicators")

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("region") is not None:
            self.instance.region = cleaned["region"]
            try:
                self.instance.clean_related(
                    bodies=list(cleaned.get("audited_bodies") or []),
                    indicators=list(cleaned.get("indicators") or []),
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(Audit)
class AuditAdmin(VersionedAdmin):
    form = AuditForm
    list_display = (
        "title",
        "reference_number",
        "region",
        "year",
        "kind",
        "status",
        "issued_date",
        "response_deadline",
    )
    list_filter = (
        "region",
        "year",
        "status",
        "kind",
        "audited_bodies",
        "question_set",
        "rating_scale",
        "questions__assessment__level",
    )
    search_fields = ("title", "reference_number", "purpose", "audit_firm", "region__name")
    date_hierarchy = "issued_date"
    autocomplete_fields = [
        "region",
        "question_set",
        "follows_up",
        "audited_bodies",
        "rating_scale",
        "indicators",
        "responsible_auditor",
    ]
    list_select_related = ("region",)
    readonly_fields = ("summary_table", "created_at", "updated_at")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "region",
                    "title",
                    "reference_number",
                    "year",
                    "kind",
                    "status",
                    "question_set",
                    "follows_up",
                    "rating_scale",
                    "audited_bodies",
                )
            },
        ),
        (_("Content"), {"fields": ("background", "purpose", "scope", "method")}),
        (_("Assessment"), {"fields": ("overall_assessment", "summary_table")}),
        (
            _("Issue and response"),
            {
                "fields": (
                    "audit_firm",
                    "responsible_auditor",
                    "issued_date",
                    "response_deadline",
                    "indicators",
                )
            },
        ),
        (_("Files"), {"fields": ("report_file", "cover_letter_file")}),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )
    inlines = [TeamInline, CriterionInline, AuditQuestionInline, RecommendationInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Audit]:
        return super().get_queryset(request).distinct()

    @admin.display(description=_("Assessments by audit question"))
    def summary_table(self, audit: Audit) -> str:
        if audit.pk is None:
            return "–"
        questions = (
            audit.questions.filter(parent=None)
            .select_related("assessment__level")
            .order_by("position")
        )
        rows = format_html_join(
            "",
            "<tr><td>{}. {}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    question.position,
                    question.text,
                    rating_badge(getattr(getattr(question, "assessment", None), "level", None)),
                    getattr(getattr(question, "assessment", None), "comment", ""),
                )
                for question in questions
            ),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            _("Audit question"),
            _("Rating"),
            _("Comment"),
            rows,
        )

    def save_formset(self, request, form, formset, change) -> None:
        super().save_formset(request, form, formset, change)
        if formset.model is not AuditQuestion:
            return
        for question_form in formset.forms:
            question = question_form.instance
            if question.pk is None or question_form in formset.deleted_forms:
                continue
            level = question_form.cleaned_data.get("rating")
            if level is None:
                continue
            try:
                assessment_set(
                    question=question,
                    level=level,
                    comment=question_form.cleaned_data.get("comment", ""),
                )
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), level="error")


class ObservationInline(admin.StackedInline):
    model = Observation
    extra = 0


class AssessmentInline(admin.StackedInline):
    model = Assessment
    extra = 0
    max_num = 1

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if obj is not None:
            # Offer only the levels of the audit's own scale.
            formset.form.base_fields["level"].queryset = RatingLevel.objects.filter(
                scale_id=obj.audit.rating_scale_id
            )
        return formset


@admin.register(AuditQuestion)
class AuditQuestionAdmin(VersionedAdmin):
    list_display = ("number", "short_text", "audit", "rating")
    list_filter = ("audit__region", "audit__year", "assessment__level")
    search_fields = ("text", "audit__title", "audit__reference_number")
    autocomplete_fields = ["audit", "parent", "shared_question"]
    list_select_related = ("audit", "parent", "assessment__level")
    inlines = [ObservationInline, AssessmentInline]

    @admin.display(description=_("question"))
    def short_text(self, question: AuditQuestion) -> str:
        return question.text[:100]

    @admin.display(description=_("rating"), ordering="assessment__level__rank")
    def rating(self, question: AuditQuestion) -> str:
        return rating_badge(getattr(getattr(question, "assessment", None), "level", None))


@admin.register(Observation)
class ObservationAdmin(VersionedAdmin):
    list_display = ("__str__", "question", "position")
    list_filter = ("question__audit__region", "question__audit__year")
    search_fields = ("heading", "text", "question__audit__title")
    autocomplete_fields = ["question"]
    list_select_related = ("question__audit",)


@admin.register(Assessment)
class AssessmentAdmin(VersionedAdmin):
    list_display = ("question", "rating", "audit")
    list_filter = ("question__audit__region", "question__audit__year", "level__scale", "level")
    search_fields = ("reasoning", "comment", "question__text", "question__audit__title")
    autocomplete_fields = ["question"]
    list_select_related = ("question__audit", "question__parent", "level")

    @admin.display(description=_("rating"), ordering="level__rank")
    def rating(self, assessment: Assessment) -> str:
        return rating_badge(assessment.level)

    @admin.display(description=_("audit"), ordering="question__audit__title")
    def audit(self, assessment: Assessment) -> Audit:
        return assessment.question.audit


@admin.register(AuditTeamMember)
class AuditTeamMemberAdmin(admin.ModelAdmin):
    list_display = ("name", "title", "role", "audit")
    list_filter = ("role", "audit__region")
    search_fields = ("name", "title", "audit__title")
    autocomplete_fields = ["audit"]
    list_select_related = ("audit",)


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ("text", "audit", "position")
    list_filter = ("audit__region",)
    search_fields = ("text", "audit__title")
    autocomplete_fields = ["audit"]
    list_select_related = ("audit",)
