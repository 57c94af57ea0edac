import datetime

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracker.admin import VersionedAdmin
from tracker.uploads import ChecksDocuments

from .filters import RecommendationFilter
from .models import Answer, DecisionItem, FollowUp, Measure, Recommendation, Reminder, Response
from .services import followup_record


class RecommendationForm(forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = ("audit", "body", "number", "text", "questions", "is_priority", "status")

    def clean(self) -> dict:
        cleaned = super().clean()
        recommendation: Recommendation = self.instance
        if cleaned.get("audit") is not None:
            recommendation.audit = cleaned["audit"]
            try:
                recommendation.clean_questions(list(cleaned.get("questions") or []))
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


# What a measure shows and saves, on its own page and inside its response.
MEASURE_FIELDS = (
    "description",
    "recommendations",
    "responsible",
    "responsible_user",
    "due_as_written",
    "original_due_date",
    "revised_due_date",
    "revision_reason",
    "status",
    "completed_date",
    "targets",
)


class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = ("response", *MEASURE_FIELDS)

    def clean(self) -> dict:
        cleaned = super().clean()
        measure: Measure = self.instance
        if cleaned.get("response") is not None:
            measure.response = cleaned["response"]
        try:
            measure.clean_recommendations(list(cleaned.get("recommendations") or []))
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


class FollowUpInline(admin.TabularInline):
    """Earlier follow-ups are shown, never edited: a correction is a new follow-up."""

    model = FollowUp
    extra = 0
    fields = ("date", "assessment", "comment", "recorded_by", "recorded_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class AnswerInline(admin.StackedInline):
    model = Answer
    extra = 0
    autocomplete_fields = ["recommendation"]


class OverdueFilter(admin.SimpleListFilter):
    """Measures past their (revised) due date and not done, as on the measure list."""

    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset: QuerySet[Measure]) -> QuerySet[Measure]:
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.overdue(today)
        if self.value() == "no":
            return queryset.exclude(pk__in=Measure.objects.overdue(today).values("pk"))
        return queryset


class RecommendationOverdueFilter(OverdueFilter):
    """Late as the recommendation list means it: the response or a promised measure."""

    def queryset(self, request, queryset: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
        late = RecommendationFilter.late(timezone.localdate())
        if self.value() == "yes":
            return queryset.filter(late)
        if self.value() == "no":
            return queryset.exclude(late)
        return queryset


@admin.register(Recommendation)
class RecommendationAdmin(VersionedAdmin):
    form = RecommendationForm
    list_display = ("__str__", "audit", "body", "status", "is_priority", "response_deadline")
    list_filter = (
        "audit__region",
        "audit__year",
        "body",
        "status",
        "is_priority",
        RecommendationOverdueFilter,
    )
    search_fields = ("text", "audit__title", "audit__reference_number", "body__name")
    autocomplete_fields = ["audit", "body", "questions"]
    list_select_related = ("audit", "body")
    date_hierarchy = "created_at"
    inlines = [AnswerInline, FollowUpInline]

    @admin.display(description=_("response deadline"), ordering="audit__response_deadline")
    def response_deadline(self, recommendation: Recommendation) -> datetime.date | None:
        return recommendation.audit.response_deadline


class DecisionItemInline(admin.TabularInline):
    model = DecisionItem
    extra = 0


class MeasureInline(admin.StackedInline):
    model = Measure
    form = MeasureForm
    extra = 0
    fields = MEASURE_FIELDS
    autocomplete_fields = ["recommendations", "responsible_user", "targets"]


class ResponseAdminForm(ChecksDocuments, forms.ModelForm):
    # The admin takes the signed document too: the same checks as the response form.
    document_fields = ("document",)

    class Meta:
        model = Response
        # The admin shows every field of a response, as it did before this form.
        fields = "__all__"  # noqa: DJ007


@admin.register(Response)
class ResponseAdmin(VersionedAdmin):
    form = ResponseAdminForm
    list_display = ("audit", "body", "kind", "received_date", "decision_reference")
    list_filter = ("audit__region", "audit__year", "body", "kind")
    search_fields = (
        "audit__title",
        "body__name",
        "decision_reference",
        "reference_number",
        "narrative",
    )
    autocomplete_fields = ["audit", "body"]
    list_select_related = ("audit", "body")
    date_hierarchy = "received_date"
    inlines = [DecisionItemInline, AnswerInline, MeasureInline]


@admin.register(DecisionItem)
class DecisionItemAdmin(admin.ModelAdmin):
    list_display = ("__str__", "response")
    list_filter = ("response__audit__region",)
    search_fields = ("text", "response__decision_reference")
    autocomplete_fields = ["response"]
    list_select_related = ("response__audit", "response__body")


@admin.register(Answer)
class AnswerAdmin(VersionedAdmin):
    list_display = ("recommendation", "response", "stance")
    list_filter = ("response__audit__region", "stance", "response__body")
    search_fields = ("text", "recommendation__text", "response__audit__title")
    autocomplete_fields = ["response", "recommendation"]
    list_select_related = ("recommendation", "response__audit", "response__body")


@admin.register(Measure)
class MeasureAdmin(VersionedAdmin):
    form = MeasureForm
    list_display = (
        "__str__",
        "responsible",
        "original_due_date",
        "revised_due_date",
        "due_date",
        "status",
        "completed_date",
        "region",
    )
    list_filter = (
        "response__audit__region",
        "response__audit__year",
        "response__body",
        "status",
        OverdueFilter,
    )
    search_fields = ("description", "responsible", "response__audit__title")
    autocomplete_fields = ["response", "recommendations", "responsible_user", "targets"]
    list_select_related = ("response__audit__region",)
    date_hierarchy = "original_due_date"

    @admin.display(description=_("region"), ordering="response__audit__region__name")
    def region(self, measure: Measure):
        return measure.response.audit.region


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ("recommendation", "date", "assessment", "comment")


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    """Follow-ups are added, never changed or deleted, and added through the service."""

    form = FollowUpForm
    list_display = ("recommendation", "date", "assessment", "recorded_by", "recorded_at")
    list_filter = ("recommendation__audit__region", "recommendation__audit__year", "assessment")
    search_fields = ("comment", "recommendation__text", "recommendation__audit__title")
    autocomplete_fields = ["recommendation"]
    list_select_related = ("recommendation__audit", "recorded_by")
    date_hierarchy = "date"

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("date", datetime.date.isoformat(timezone.localdate()))
        return initial

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def save_model(self, request, obj: FollowUp, form, change) -> None:
        saved = followup_record(
            recommendation=obj.recommendation,
            date=obj.date,
            assessment=obj.assessment,
            comment=obj.comment,
            recorded_by=request.user,
        )
        form.instance = saved
        obj.pk = saved.pk


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """The reminder ledger, read-only: what was sent, what waits, what failed and why."""

    list_display = (
        "created_at",
        "kind",
        "due_date",
        "recipient_email",
        "status",
        "attempts",
        "sent_at",
        "error_summary",
    )
    list_filter = ("status", "kind", "region", "is_copy")
    search_fields = ("recipient_email", "item_key", "message_id", "last_error")
    date_hierarchy = "created_at"
    list_select_related = ("region",)
    actions = ["retry"]

    def get_readonly_fields(self, request: HttpRequest, obj: Reminder | None = None) -> list[str]:
        return [field.name for field in Reminder._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Reminder | None = None) -> bool:
        # The ledger is the record that a reminder went out; it is never pruned by hand.
        return False

    @admin.display(description=_("last error"))
    def error_summary(self, reminder: Reminder) -> str:
        return reminder.last_error[:120]

    @admin.action(description=_("Send the selected failed reminders again"))
    def retry(self, request: HttpRequest, queryset: QuerySet[Reminder]) -> None:
        count = queryset.filter(status=Reminder.Status.FAILED).update(
            status=Reminder.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        self.message_user(
            request, _("%(count)s reminder(s) will be sent again.") % {"count": count}
        )
