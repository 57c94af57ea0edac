"""API: the audits the user may see, with their questions, assessments and findings."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from regions.access import scope_for
from tracker.filtering import status_rank

from .filters import AuditFilter
from .models import Assessment, Audit, AuditQuestion, Observation


class AuditSerializer(serializers.ModelSerializer):
    rating_scale = serializers.SlugRelatedField(slug_field="code", read_only=True)
    audited_bodies = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Audit
        fields = [
            "id",
            "region",
            "title",
            "reference_number",
            "year",
            "kind",
            "status",
            "question_set",
            "follows_up",
            "audited_bodies",
            "rating_scale",
            "audit_firm",
            "issued_date",
            "response_deadline",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class AssessmentSerializer(serializers.ModelSerializer):
    level = serializers.CharField(source="level.label", read_only=True)
    rank = serializers.IntegerField(source="level.rank", read_only=True)
    tone = serializers.CharField(source="level.tone", read_only=True)

    class Meta:
        model = Assessment
        fields = ["level", "rank", "tone", "reasoning", "comment"]
        read_only_fields = fields


class ObservationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Observation
        fields = ["id", "position", "heading", "text"]
        read_only_fields = fields


class QuestionSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    assessment = serializers.SerializerMethodField()
    observations = ObservationSerializer(many=True, read_only=True)

    class Meta:
        model = AuditQuestion
        fields = ["id", "number", "parent", "position", "text", "assessment", "observations"]
        read_only_fields = fields

    @extend_schema_field(AssessmentSerializer(allow_null=True))
    def get_assessment(self, question: AuditQuestion) -> dict | None:
        try:
            assessment = question.assessment
        except Assessment.DoesNotExist:
            return None
        return AssessmentSerializer(assessment).data


class AuditDetailSerializer(AuditSerializer):
    questions = QuestionSerializer(many=True, read_only=True)

    class Meta(AuditSerializer.Meta):
        fields = [
            *AuditSerializer.Meta.fields,
            "background",
            "purpose",
            "scope",
            "method",
            "overall_assessment",
            "questions",
        ]
        read_only_fields = fields


class AuditViewSet(viewsets.ReadOnlyModelViewSet):
    """Audits: drafts only for the audit side of their own region."""

    filterset_class = AuditFilter

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return AuditDetailSerializer if self.action == "retrieve" else AuditSerializer

    def get_queryset(self) -> QuerySet[Audit]:
        audits = (
            scope_for(self.request.user)
            .audits()
            .select_related("rating_scale")
            .prefetch_related("audited_bodies")
            .annotate(status_rank=status_rank(Audit.Status.choices))
            .order_by("-year", "title", "pk")
        )
        if self.action == "retrieve":
            questions = AuditQuestion.objects.select_related(
                "parent", "assessment__level"
            ).prefetch_related(Prefetch("observations", Observation.objects.order_by("position")))
            audits = audits.prefetch_related(Prefetch("questions", questions))
        return audits
