"""Audits, their questions, findings and ratings, and shared question sets."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from regions.models import YEAR_VALIDATORS, Body, Indicator, Membership, Region
from tracker.versioning import Versioned


def reading_order(*leading: str) -> list[str | models.OrderBy]:
    """Questions as a report numbers them: 1, 1.1, 1.2, 2, ...

    Sorting on ``parent__position`` alone puts NULL parents first on SQLite and last on
    PostgreSQL, and never nests a sub-question under its main question on either.
    """
    return [
        *leading,
        Coalesce("parent__position", "position").asc(),
        F("parent").asc(nulls_first=True),
        "position",
    ]


colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as # followed by six hex digits, e.g. #1a7f37.")
)


class RatingScale(models.Model):
    """A rating scale used by an audit firm, e.g. Uppfylld / Delvis uppfylld / Ej uppfylld."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("rating scale")
        verbose_name_plural = _("rating scales")

    def __str__(self) -> str:
        return self.name


class RatingLevel(models.Model):
    """One level of a scale. Rank 1 is the best; colour is never shown without the label."""

    class Tone(models.TextChoices):
        # Lets dashboards compare audits rated on different scales.
        POSITIVE = "positive", _("positive")
        PARTIAL = "partial", _("partial")
        NEGATIVE = "negative", _("negative")

    scale = models.ForeignKey(
        RatingScale, on_delete=models.CASCADE, related_name="levels", verbose_name=_("scale")
    )
    label = models.CharField(_("label"), max_length=100)
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("1 is the best level."))
    colour = models.CharField(_("colour"), max_length=7, validators=[colour_validator])
    tone = models.CharField(_("tone"), max_length=10, choices=Tone)

    class Meta:
        ordering = ["scale", "rank"]
        verbose_name = _("rating level")
        verbose_name_plural = _("rating levels")
        constraints = [
            models.UniqueConstraint(
                fields=["scale", "rank"],
                name="audits_ratinglevel_unique_rank",
                violation_error_message=_("The scale already has a level with this rank."),
            ),
            models.UniqueConstraint(
                fields=["scale", "label"],
                name="audits_ratinglevel_unique_label",
                violation_error_message=_("The scale already has a level with this label."),
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1),
                name="audits_ratinglevel_rank_positive",
                violation_error_message=_("The rank must be 1 or more."),
            ),
        ]

    def __str__(self) -> str:
        return self.label


class QuestionSet(models.Model):
    """Questions shared by a coordinated audit (samordnad granskning) in several regions."""

    title = models.CharField(_("title"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    coordinator = models.CharField(
        _("coordinator"), max_length=200, blank=True, help_text=_("E.g. the audit firm.")
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("question set")
        verbose_name_plural = _("question sets")
        constraints = [
            models.UniqueConstraint(
                fields=["title", "year"],
                name="audits_questionset_unique_title_year",
                violation_error_message=_("A question set with this title and year exists."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class SharedQuestion(models.Model):
    """A question of a question set; each audit rates its own copy (AuditQuestion)."""

    question_set = models.ForeignKey(
        QuestionSet,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("question set"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sub_questions",
        verbose_name=_("main question"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("question"))

    class Meta:
        ordering = reading_order("question_set")
        verbose_name = _("shared question")
        verbose_name_plural = _("shared questions")
        constraints = [
            models.UniqueConstraint(
                fields=["question_set", "position"],
                condition=Q(parent__isnull=True),
                name="audits_sharedquestion_unique_position",
                violation_error_message=_("The set already has a question at this position."),
            ),
            models.UniqueConstraint(
                fields=["parent", "position"],
                condition=Q(parent__isnull=False),
                name="audits_sharedquestion_unique_sub_position",
                violation_error_message=_("The question already has a sub-question here."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"

    @property
    def number(self) -> str:
        if self.parent_id is None:
            return str(self.position)
        return f"{self.parent.position}.{self.position}"

    def clean(self) -> None:
        if self.parent_id is not None:
            if self.parent.parent_id is not None:
                raise ValidationError(
                    {"parent": _("Sub-questions cannot have sub-questions of their own.")}
                )
            if self.parent.question_set_id != self.question_set_id:
                raise ValidationError(
                    {"parent": _("The main question belongs to another question set.")}
                )


class AuditQuerySet(models.QuerySet["Audit"]):
    def drafts(self) -> AuditQuerySet:
        return self.filter(status__in=Audit.DRAFT_STATUSES)

    def issued(self) -> AuditQuerySet:
        return self.exclude(status__in=Audit.DRAFT_STATUSES)


class Audit(Versioned):
    """An audit (granskning) of one region, from planning to closing."""

    class Kind(models.TextChoices):
        IN_DEPTH = "in_depth", _("in-depth audit")
        BASIC = "basic", _("basic audit")
        FOLLOW_UP = "follow_up", _("follow-up audit")
        PRE_STUDY = "pre_study", _("pre-study")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        ONGOING = "ongoing", _("ongoing")
        FACT_CHECK = "fact_check", _("fact check")
        ISSUED = "issued", _("issued")
        ANSWERED = "answered", _("answered")
        FOLLOWED_UP = "followed_up", _("followed up")
        CLOSED = "closed", _("closed")

    DRAFT_STATUSES: ClassVar[tuple[str, ...]] = (
        Status.PLANNED,
        Status.ONGOING,
        Status.FACT_CHECK,
    )
    # Issued and not yet closed: responses, measures and follow-ups are still being made.
    OPEN_STATUSES: ClassVar[tuple[str, ...]] = (
        Status.ISSUED,
        Status.ANSWERED,
        Status.FOLLOWED_UP,
    )
    # Moves allowed by the lifecycle; back-steps only before the report is issued.
    TRANSITIONS: ClassVar[dict[str, tuple[str, ...]]] = {
        Status.PLANNED: (Status.ONGOING, Status.CLOSED),
        Status.ONGOING: (Status.FACT_CHECK, Status.PLANNED),
        Status.FACT_CHECK: (Status.ISSUED, Status.ONGOING),
        Status.ISSUED: (Status.ANSWERED, Status.FOLLOWED_UP),
        Status.ANSWERED: (Status.FOLLOWED_UP, Status.CLOSED),
        Status.FOLLOWED_UP: (Status.CLOSED,),
        Status.CLOSED: (),
    }

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="audits", verbose_name=_("region")
    )
    title = models.CharField(_("title"), max_length=300)
    reference_number = models.CharField(
        _("reference number"),
        max_length=60,
        blank=True,
        help_text=_("Diarienummer, e.g. Dnr 678-2021 or Nr 11/2021."),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.IN_DEPTH)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PLANNED)
    question_set = models.ForeignKey(
        QuestionSet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audits",
        verbose_name=_("coordinated question set"),
    )
    follows_up = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_up_audits",
        verbose_name=_("follows up audit"),
    )
    audited_bodies = models.ManyToManyField(
        Body, blank=True, related_name="audits", verbose_name=_("audited bodies")
    )
    rating_scale = models.ForeignKey(
        RatingScale, on_delete=models.PROTECT, related_name="audits", verbose_name=_("rating scale")
    )
    background = models.TextField(_("background"), blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    scope = models.TextField(_("scope"), blank=True)
    method = models.TextField(_("method"), blank=True)
    overall_assessment = models.TextField(_("overall assessment"), blank=True)
    audit_firm = models.CharField(_("audit firm"), max_length=200, blank=True)
    responsible_auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="responsible_for_audits",
        verbose_name=_("responsible auditor"),
        help_text=_("Gets a copy of the response reminders sent to the audited bodies."),
    )
    issued_date = models.DateField(_("issued"), null=True, blank=True)
    response_deadline = models.DateField(_("response deadline"), null=True, blank=True)
    indicators = models.ManyToManyField(
        Indicator, blank=True, related_name="audits", verbose_name=_("indicators cited")
    )
    report_file = models.FileField(_("report"), upload_to="audits/reports/%Y/", blank=True)
    cover_letter_file = models.FileField(
        _("cover letter"), upload_to="audits/cover-letters/%Y/", blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("audit")
        verbose_name_plural = _("audits")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "reference_number"],
                condition=~Q(reference_number=""),
                name="audits_audit_unique_reference",
                violation_error_message=_("The region already has an audit with this reference."),
            ),
            models.UniqueConstraint(
                fields=["region", "question_set"],
                condition=Q(question_set__isnull=False),
                name="audits_audit_one_per_question_set",
                violation_error_message=_(
                    "The region already has an audit from this question set."
                ),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2100),
                name="audits_audit_year_range",
                violation_error_message=_("The year must be between 1990 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(response_deadline__isnull=True)
                | Q(issued_date__isnull=True)
                | Q(response_deadline__gte=F("issued_date")),
                name="audits_audit_deadline_after_issue",
                violation_error_message=_("The response deadline cannot be before the issue date."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "ongoing", "fact_check"])
                | (Q(issued_date__isnull=False) & Q(response_deadline__isnull=False)),
                name="audits_audit_issued_has_dates",
                violation_error_message=_(
                    "An issued audit needs an issue date and a response deadline."
                ),
            ),
        ]
        indexes = [
            # Start pages and reminder sweeps: a region's audits by status and deadline.
            models.Index(
                fields=["region", "status", "response_deadline"],
                name="audits_audit_region_status_idx",
            ),
            # The recommendation list of a region sorted by deadline: the audits come in
            # deadline order, so the list needs no sort of all its rows.
            models.Index(fields=["region", "response_deadline"], name="audit_region_deadline_idx"),
        ]

    def __str__(self) -> str:
        if self.reference_number:
            return f"{self.title} ({self.reference_number})"
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status in self.DRAFT_STATUSES

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]

    def clean_related(self, *, bodies: list[Body], indicators: list[Indicator]) -> None:
        """Check the M2M choices, which clean() cannot see, against the audit's region."""
        errors: dict[str, str] = {}
        if any(body.region_id != self.region_id for body in bodies):
            errors["audited_bodies"] = _("Choose bodies of the audit's region.")
        if any(indicator.region_id != self.region_id for indicator in indicators):
            errors["indicators"] = _("Choose indicators of the audit's region.")
        if errors:
            raise ValidationError(errors)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.follows_up_id is not None:
            if self.pk is not None and self.follows_up_id == self.pk:
                errors["follows_up"] = _("An audit cannot follow up itself.")
            elif self.region_id is not None and self.follows_up.region_id != self.region_id:
                errors["follows_up"] = _("The earlier audit belongs to another region.")
        if (
            self.responsible_auditor_id is not None
            and self.region_id is not None
            and not Membership.objects.filter(
                user=self.responsible_auditor_id,
                region=self.region_id,
                role__in=Membership.AUDIT_SIDE_ROLES,
            ).exists()
        ):
            errors["responsible_auditor"] = _(
                "Choose an auditor or audit-office member of the audit's region."
            )
        if errors:
            raise ValidationError(errors)


class AuditTeamMember(models.Model):
    """A consultant or reviewer who carried out or quality-assured the audit."""

    class Role(models.TextChoices):
        PROJECT_LEAD = "project_lead", _("project lead")
        CONSULTANT = "consultant", _("consultant")
        QUALITY_REVIEWER = "quality_reviewer", _("quality reviewer")

    audit = models.ForeignKey(
        Audit, on_delete=models.CASCADE, related_name="team", verbose_name=_("audit")
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(
        _("title"), max_length=200, blank=True, help_text=_("E.g. certifierad kommunal revisor.")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.CONSULTANT)
    position = models.PositiveSmallIntegerField(_("position"), default=1)

    class Meta:
        ordering = ["audit", "position", "name"]
        verbose_name = _("team member")
        verbose_name_plural = _("audit team")
        constraints = [
            models.UniqueConstraint(
                fields=["audit"],
                condition=Q(role="quality_reviewer"),
                name="audits_auditteammember_one_quality_reviewer",
                violation_error_message=_("The audit already has a quality reviewer."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """An audit criterion (revisionskriterium): a law, plan or policy the audit measures by."""

    audit = models.ForeignKey(
        Audit, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("audit")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("criterion"), max_length=500)

    class Meta:
        ordering = ["audit", "position"]
        verbose_name = _("audit criterion")
        verbose_name_plural = _("audit criteria")
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "position"],
                name="audits_criterion_unique_position",
                violation_error_message=_("The audit already has a criterion at this position."),
            ),
        ]

    def __str__(self) -> str:
        return self.text


class AuditQuestion(Versioned):
    """An audit question (revisionsfråga) or sub-question (delfråga) of one audit."""

    audit = models.ForeignKey(
        Audit, on_delete=models.CASCADE, related_name="questions", verbose_name=_("audit")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sub_questions",
        verbose_name=_("main question"),
    )
    shared_question = models.ForeignKey(
        SharedQuestion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_questions",
        verbose_name=_("shared question"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("question"))

    class Meta:
        ordering = reading_order("audit")
        verbose_name = _("audit question")
        verbose_name_plural = _("audit questions")
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "position"],
                condition=Q(parent__isnull=True),
                name="audits_auditquestion_unique_position",
                violation_error_message=_("The audit already has a question at this position."),
            ),
            models.UniqueConstraint(
                fields=["parent", "position"],
                condition=Q(parent__isnull=False),
                name="audits_auditquestion_unique_sub_position",
                violation_error_message=_("The question already has a sub-question here."),
            ),
            models.UniqueConstraint(
                fields=["audit", "shared_question"],
                condition=Q(shared_question__isnull=False),
                name="audits_auditquestion_unique_shared",
                violation_error_message=_("The audit already has a copy of that shared question."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"

    @property
    def number(self) -> str:
        if self.parent_id is None:
            return str(self.position)
        return f"{self.parent.position}.{self.position}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.parent_id is not None:
            if self.parent.parent_id is not None:
                errors["parent"] = _("Sub-questions cannot have sub-questions of their own.")
            elif self.parent.audit_id != self.audit_id:
                errors["parent"] = _("The main question belongs to another audit.")
        if (
            self.shared_question_id is not None
            and self.audit_id is not None
            and self.shared_question.question_set_id != self.audit.question_set_id
        ):
            errors["shared_question"] = _(
                "The shared question is not from the audit's question set."
            )
        if errors:
            raise ValidationError(errors)


class Observation(Versioned):
    """A finding (iakttagelse) under an audit question, in the order the report gives it."""

    question = models.ForeignKey(
        AuditQuestion,
        on_delete=models.CASCADE,
        related_name="observations",
        verbose_name=_("audit question"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    heading = models.CharField(_("heading"), max_length=300, blank=True)
    text = models.TextField(_("observation"))

    class Meta:
        ordering = ["question", "position"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "position"],
                name="audits_observation_unique_position",
                violation_error_message=_("The question already has an observation here."),
            ),
        ]

    def __str__(self) -> str:
        return self.heading or self.text[:80]


class Assessment(Versioned):
    """The assessment (bedömning) of one audit question: a level and its reasoning."""

    question = models.OneToOneField(
        AuditQuestion,
        on_delete=models.CASCADE,
        related_name="assessment",
        verbose_name=_("audit question"),
    )
    level = models.ForeignKey(
        RatingLevel, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("rating")
    )
    reasoning = models.TextField(_("reasoning"), blank=True)
    comment = models.TextField(
        _("short comment"),
        blank=True,
        help_text=_("Shown in the summary table Bedömningar utifrån revisionsfrågor."),
    )

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.question.number}: {self.level.label}"

    def clean(self) -> None:
        if self.question_id is None or self.level_id is None:
            return
        if self.level.scale_id != self.question.audit.rating_scale_id:
            raise ValidationError(
                {
                    "level": _("Choose a level from the audit's rating scale (%(scale)s).")
                    % {"scale": self.question.audit.rating_scale}
                }
            )


class ReportImport(models.Model):
    """A published report uploaded for import, with the draft audit the reader proposed.

    Kept until the auditor has reviewed the draft and saved it as an audit (then `audit`
    is set), so a review can be left and resumed; nothing becomes an audit without it.
    """

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="report_imports", verbose_name=_("region")
    )
    file = models.FileField(_("report"), upload_to="imports/%Y/")
    file_name = models.CharField(_("file name"), max_length=255)
    text = models.TextField(_("text of the report"))
    proposal = models.JSONField(_("proposal"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="report_imports",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    audit = models.ForeignKey(
        Audit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_imports",
        verbose_name=_("audit"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report import")
        verbose_name_plural = _("report imports")

    def __str__(self) -> str:
        return self.file_name

    @property
    def proposed_title(self) -> str:
        return str(self.proposal.get("title") or "")


# Export jobs live with the export code; importing them here registers the model.
from .exports.models import Export  # noqa: E402, F401
