"""API: recommendations, the bodies' responses and measures, and follow-ups.

Reading goes through `scope_for(user)`. Writing is what a body's secretary does in the
registry: record or correct the body's response, add and change measures, revise a
due date with a reason, mark a measure done. Each write runs the page's own form and
service, with the same permission checks; updates carry the `version` they were read
at, and an out-of-date one is a 409 with the saved version.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response as ApiResponse

from audits.models import Audit
from regions.access import scope_for
from regions.models import Body
from tracker.api.errors import Conflict
from tracker.api.writes import MAX_ID, bound_form, id_field, not_found, required_version, valid
from tracker.filtering import status_rank
from tracker.versioning import EditConflict

from .filters import MeasureFilter, RecommendationFilter
from .forms import AnswerForm, MeasureCompleteForm, MeasureForm, MeasureReviseForm, ResponseForm
from .models import Answer, DecisionItem, FollowUp, Measure, Recommendation, Response
from .services import AnswerInput, measure_complete, measure_revise, response_record

# ---------------------------------------------------------------------------------------
# Representations


class RecommendationSerializer(serializers.ModelSerializer):
    questions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "audit",
            "body",
            "number",
            "text",
            "questions",
            "is_priority",
            "status",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class AnswerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Answer
        fields = ["id", "recommendation", "stance", "text", "version"]
        read_only_fields = fields


class DecisionItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = DecisionItem
        fields = ["id", "number", "text"]
        read_only_fields = fields


class ResponseSerializer(serializers.ModelSerializer):
    answers = AnswerSerializer(many=True, read_only=True)
    decision_items = DecisionItemSerializer(many=True, read_only=True)
    measures = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    has_document = serializers.SerializerMethodField()

    class Meta:
        model = Response
        fields = [
            "id",
            "audit",
            "body",
            "kind",
            "received_date",
            "decision_date",
            "decision_reference",
            "reference_number",
            "narrative",
            "has_document",
            "answers",
            "decision_items",
            "measures",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_has_document(self, response: Response) -> bool:
        return bool(response.document)


class MeasureSerializer(serializers.ModelSerializer):
    audit = serializers.IntegerField(source="response.audit_id", read_only=True)
    body = serializers.IntegerField(source="response.body_id", read_only=True)
    recommendations = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    due_date = serializers.DateField(read_only=True)

    class Meta:
        model = Measure
        fields = [
            "id",
            "response",
            "audit",
            "body",
            "recommendations",
            "description",
            "responsible",
            "responsible_user",
            "due_as_written",
            "original_due_date",
            "revised_due_date",
            "revision_reason",
            "due_date",
            "status",
            "completed_date",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = ["id", "recommendation", "date", "assessment", "comment", "recorded_at"]
        read_only_fields = fields


# ---------------------------------------------------------------------------------------
# What a write sends (types only: the forms check the rules)


class AnswerInputSerializer(serializers.Serializer):
    recommendation = id_field()
    stance = serializers.ChoiceField(choices=Answer.Stance.choices)
    text = serializers.CharField(max_length=20_000)


class ResponseFieldsSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Response.Kind.choices)
    received_date = serializers.DateField()
    decision_date = serializers.DateField(required=False, allow_null=True)
    decision_reference = serializers.CharField(
        required=False, allow_blank=True, max_length=100, trim_whitespace=False
    )
    reference_number = serializers.CharField(
        required=False, allow_blank=True, max_length=60, trim_whitespace=False
    )
    narrative = serializers.CharField(
        required=False, allow_blank=True, max_length=100_000, trim_whitespace=False
    )
    answers = AnswerInputSerializer(
        many=True,
        required=False,
        max_length=999,
        help_text="Per-recommendation answers; given ones are recorded or corrected.",
    )


class ResponseCreateSerializer(ResponseFieldsSerializer):
    audit = id_field()
    body = id_field()


class ResponseUpdateSerializer(ResponseFieldsSerializer):
    kind = serializers.ChoiceField(choices=Response.Kind.choices, required=False)
    received_date = serializers.DateField(required=False)
    version = serializers.IntegerField(min_value=0, max_value=2**31 - 1)


MEASURE_STATUSES = [
    (Measure.Status.PLANNED, Measure.Status.PLANNED.label),
    (Measure.Status.IN_PROGRESS, Measure.Status.IN_PROGRESS.label),
    (Measure.Status.CANCELLED, Measure.Status.CANCELLED.label),
]


class MeasureFieldsSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=20_000)
    recommendations = serializers.ListField(child=id_field(), required=False, max_length=999)
    responsible = serializers.CharField(max_length=200)
    responsible_user = id_field(required=False, allow_null=True)
    due_as_written = serializers.CharField(required=False, allow_blank=True, max_length=100)
    status = serializers.ChoiceField(
        choices=MEASURE_STATUSES,
        required=False,
        help_text="Marking a measure done is its own step: POST .../complete/.",
    )


class MeasureCreateSerializer(MeasureFieldsSerializer):
    response = id_field()
    original_due_date = serializers.DateField()


class MeasureUpdateSerializer(MeasureFieldsSerializer):
    description = serializers.CharField(max_length=20_000, required=False)
    responsible = serializers.CharField(max_length=200, required=False)
    version = serializers.IntegerField(min_value=0, max_value=2**31 - 1)


class MeasureReviseSerializer(serializers.Serializer):
    revised_due_date = serializers.DateField()
    revision_reason = serializers.CharField(max_length=20_000)
    version = serializers.IntegerField(min_value=0, max_value=2**31 - 1)


class MeasureCompleteSerializer(serializers.Serializer):
    completed_date = serializers.DateField()
    version = serializers.IntegerField(min_value=0, max_value=2**31 - 1)


def _validated(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    """The request's fields, type-checked. A field the operation does not take (a saved
    measure's promised date, an id) is refused rather than silently ignored."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    unknown = sorted(set(data) - set(serializer.fields)) if isinstance(data, dict) else []
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed.")] for name in unknown})
    return dict(serializer.validated_data)


# ---------------------------------------------------------------------------------------
# Filters of the lists without a page of their own


class ResponseFilter(django_filters.FilterSet):
    audit = django_filters.NumberFilter(field_name="audit", min_value=1, max_value=MAX_ID)
    body = django_filters.NumberFilter(field_name="body", min_value=1, max_value=MAX_ID)

    class Meta:
        model = Response
        fields = ["audit", "body"]


class FollowUpFilter(django_filters.FilterSet):
    recommendation = django_filters.NumberFilter(
        field_name="recommendation", min_value=1, max_value=MAX_ID
    )

    class Meta:
        model = FollowUp
        fields = ["recommendation"]


# ---------------------------------------------------------------------------------------
# Viewsets


class RecommendationViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RecommendationSerializer
    filterset_class = RecommendationFilter

    def get_queryset(self) -> QuerySet[Recommendation]:
        return (
            scope_for(self.request.user)
            .recommendations()
            .prefetch_related("questions")
            .annotate(status_rank=status_rank(Recommendation.Status.choices))
            .order_by("-audit__year", "audit__title", "number", "pk")
        )


class FollowUpViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = FollowUpSerializer
    filterset_class = FollowUpFilter

    def get_queryset(self) -> QuerySet[FollowUp]:
        return scope_for(self.request.user).follow_ups().order_by("recommendation", "date", "pk")


def _conflict(serializer_class: type[serializers.Serializer], current: Any) -> Conflict:
    return Conflict(serializer_class(current).data if current is not None else None)


class ResponseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """A body's response to an audit: per recommendation (answers) or one narrative."""

    serializer_class = ResponseSerializer
    filterset_class = ResponseFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Response]:
        return (
            scope_for(self.request.user)
            .responses()
            .select_related("audit", "body")
            .prefetch_related(
                Prefetch("answers", Answer.objects.order_by("recommendation__number", "pk")),
                "decision_items",
                Prefetch("measures", Measure.objects.order_by("due_date", "pk")),
            )
            .order_by("audit", "body__name", "pk")
        )

    def _show(self, response: Response, code: int = status.HTTP_200_OK) -> ApiResponse:
        fresh = self.get_queryset().get(pk=response.pk)
        return ApiResponse(ResponseSerializer(fresh).data, status=code)

    def _record(
        self, response: Response, changes: dict[str, Any], audit: Audit, body: Body
    ) -> Response:
        """Check as the response page does, then save through the service."""
        answers_in = changes.pop("answers", None) or []
        form = valid(bound_form(ResponseForm, changes, instance=response, audit=audit, body=body))
        recommendations = {
            r.pk: r for r in audit.recommendations.filter(body=body).order_by("number")
        }
        per_recommendation = form.cleaned_data["kind"] == Response.Kind.PER_RECOMMENDATION
        answers, errors, seen = [], [], set()
        for item in answers_in:
            recommendation = recommendations.get(item["recommendation"])
            answer_form = AnswerForm(
                {"stance": item["stance"], "text": item["text"]}, recommendation=recommendation
            )
            if recommendation is None:
                errors.append({"recommendation": not_found(item["recommendation"]).detail})
            elif recommendation.pk in seen:
                errors.append(
                    {"recommendation": [_("The response already answers this recommendation.")]}
                )
            elif not answer_form.is_valid():
                errors.append({k: list(v) for k, v in answer_form.errors.items()})
            else:
                errors.append({})
                answers.append(
                    AnswerInput(
                        recommendation,
                        answer_form.cleaned_data["stance"],
                        answer_form.cleaned_data["text"],
                    )
                )
            if recommendation is not None:
                seen.add(recommendation.pk)
        if any(errors):
            raise ValidationError({"answers": errors})
        if answers and not per_recommendation:
            raise ValidationError(
                {"answers": [_("A narrative response has no per-recommendation answers.")]}
            )
        answered_before = response.pk is not None and response.answers.exists()
        if per_recommendation and recommendations and not answers and not answered_before:
            raise ValidationError(
                {
                    "kind": [
                        _("Answer at least one recommendation, or choose one narrative response.")
                    ]
                }
            )
        try:
            with transaction.atomic():
                saved = form.save(commit=False)
                response_record(
                    response=saved,
                    answers=answers,
                    expected_version=form.expected_version(),
                )
        except EditConflict as exc:
            raise _conflict(ResponseSerializer, exc.current) from exc
        return saved

    @extend_schema(request=ResponseCreateSerializer, responses={201: ResponseSerializer})
    def create(self, request: Request) -> ApiResponse:
        """Record a body's response to an issued audit (the body's secretaries only)."""
        data = _validated(ResponseCreateSerializer, request.data)
        scope = scope_for(request.user)
        audit_id, body_id = data.pop("audit"), data.pop("body")
        audit = scope.audits().select_related("region").filter(pk=audit_id).first()
        if audit is None:
            raise ValidationError({"audit": not_found(audit_id).detail})
        body = scope.bodies().filter(pk=body_id).first()
        if body is None:
            raise ValidationError({"body": not_found(body_id).detail})
        if (
            not scope.can_respond(audit, body)
            or not audit.audited_bodies.filter(pk=body.pk).exists()
        ):
            raise PermissionDenied
        existing = Response.objects.filter(audit=audit, body=body).first()
        if existing is not None:
            # Someone recorded it first: update that one, with its version.
            raise _conflict(ResponseSerializer, existing)
        response = self._record(Response(audit=audit, body=body), data, audit, body)
        return self._show(response, status.HTTP_201_CREATED)

    @extend_schema(request=ResponseUpdateSerializer, responses={200: ResponseSerializer})
    def partial_update(self, request: Request, pk: str) -> ApiResponse:
        """Correct a response; `version` is the one read, other fields as needed."""
        response = self.get_object()
        scope = scope_for(request.user)
        if not scope.can_edit_response(response):
            raise PermissionDenied
        data = _validated(ResponseUpdateSerializer, request.data)
        required_version(data)
        saved = self._record(response, data, response.audit, response.body)
        return self._show(saved)


class MeasureViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Measures a body promised in its response, with who and by when."""

    serializer_class = MeasureSerializer
    filterset_class = MeasureFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Measure]:
        return (
            scope_for(self.request.user)
            .measures()
            .select_related("response")
            .prefetch_related("recommendations")
            .annotate(status_rank=status_rank(Measure.Status.choices))
            .order_by("due_date", "pk")
        )

    def _show(self, measure: Measure, code: int = status.HTTP_200_OK) -> ApiResponse:
        fresh = self.get_queryset().get(pk=measure.pk)
        return ApiResponse(MeasureSerializer(fresh).data, status=code)

    def _editable(self) -> Measure:
        measure = self.get_object()
        if not scope_for(self.request.user).can_edit_measure(measure):
            raise PermissionDenied
        return measure

    @extend_schema(request=MeasureCreateSerializer, responses={201: MeasureSerializer})
    def create(self, request: Request) -> ApiResponse:
        """Add a measure to a response the user may edit."""
        data = _validated(MeasureCreateSerializer, request.data)
        scope = scope_for(request.user)
        response_id = data.pop("response")
        response = scope.responses().select_related("audit", "body").filter(pk=response_id).first()
        if response is None:
            raise ValidationError({"response": not_found(response_id).detail})
        if not scope.can_edit_response(response):
            raise PermissionDenied
        data.setdefault("status", Measure.Status.PLANNED)
        form = valid(bound_form(MeasureForm, data, response=response))
        measure = form.save()
        return self._show(measure, status.HTTP_201_CREATED)

    @extend_schema(request=MeasureUpdateSerializer, responses={200: MeasureSerializer})
    def partial_update(self, request: Request, pk: str) -> ApiResponse:
        """Change a measure; the promised date is changed with revise, never here."""
        measure = self._editable()
        data = _validated(MeasureUpdateSerializer, request.data)
        required_version(data)
        form = valid(bound_form(MeasureForm, data, instance=measure, response=measure.response))
        try:
            with transaction.atomic():
                form.save_versioned()
        except EditConflict as exc:
            raise _conflict(MeasureSerializer, exc.current) from exc
        return self._show(measure)

    @extend_schema(request=MeasureReviseSerializer, responses={200: MeasureSerializer})
    @action(detail=True, methods=["post"])
    def revise(self, request: Request, pk: str) -> ApiResponse:
        """Move the due date, with a reason; the original date stays."""
        measure = self._editable()
        data = _validated(MeasureReviseSerializer, request.data)
        form = valid(bound_form(MeasureReviseForm, data, instance=measure))
        try:
            measure_revise(
                measure=measure,
                new_due_date=form.cleaned_data["revised_due_date"],
                reason=form.cleaned_data["revision_reason"],
                expected_version=form.expected_version(),
            )
        except EditConflict as exc:
            raise _conflict(MeasureSerializer, exc.current) from exc
        return self._show(measure)

    @extend_schema(request=MeasureCompleteSerializer, responses={200: MeasureSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> ApiResponse:
        """Mark the measure done on a date (not in the future)."""
        measure = self._editable()
        data = _validated(MeasureCompleteSerializer, request.data)
        if measure.status == Measure.Status.DONE:
            raise ValidationError({"non_field_errors": [_("The measure is already marked done.")]})
        form = valid(bound_form(MeasureCompleteForm, data, instance=measure))
        try:
            measure_complete(
                measure=measure,
                completed_date=form.cleaned_data["completed_date"],
                expected_version=form.expected_version(),
            )
        except EditConflict as exc:
            raise _conflict(MeasureSerializer, exc.current) from exc
        return self._show(measure)
