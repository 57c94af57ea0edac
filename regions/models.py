"""Organisations that have their own auditors, their audited bodies, parts and people."""

from __future__ import annotations

import re
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

code_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9-]*$",
    _("Use lower-case letters a-z, digits and hyphens only."),
)


class User(AbstractUser):
    """A person who signs in: auditor, audit-office staff, board secretary or reader."""

    class Language(models.TextChoices):
        SWEDISH = "sv", _("Swedish")
        ENGLISH = "en", _("English")

    language = models.CharField(
        _("language"),
        max_length=2,
        choices=Language,
        default=Language.SWEDISH,
        help_text=_("Language of the user interface and of the e-mails the user receives."),
    )
    weekly_digest = models.BooleanField(
        _("weekly digest"),
        default=True,
        help_text=_(
            "Auditors: a weekly e-mail of everything overdue in the region. "
            "Deadline reminders are always sent."
        ),
    )
    # The secret in the personal calendar feed's address; empty when the feed is off.
    calendar_token = models.CharField(
        _("calendar token"), max_length=64, unique=True, null=True, blank=True, editable=False
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class ExternalIdentity(models.Model):
    """A sign-in through a region's identity provider (OIDC), keyed on issuer and subject.

    Never on e-mail: an address can be reused or changed at the provider, a subject
    cannot, so a new person with an old address does not inherit an account.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="identities", verbose_name=_("user")
    )
    issuer = models.URLField(_("issuer"), max_length=300)
    subject = models.CharField(_("subject"), max_length=255)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_login = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        verbose_name = _("single sign-on identity")
        verbose_name_plural = _("single sign-on identities")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="regions_externalidentity_unique_subject"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} @ {self.issuer}"


day_list_validator = RegexValidator(
    r"^\s*\d{1,3}(\s*,\s*\d{1,3})*\s*$",
    _("Enter whole numbers of days separated by commas, e.g. 14,3,0."),
)


def parse_day_list(value: str) -> list[int]:
    """'14, 3,0' -> [14, 3, 0]: distinct, largest first."""
    return sorted({int(part) for part in value.replace(" ", "").split(",") if part}, reverse=True)


class Region(models.Model):
    """An organisation with its own elected auditors: a region or a municipality."""

    class Kind(models.TextChoices):
        REGION = "region", _("region")
        MUNICIPALITY = "municipality", _("municipality")

    name = models.CharField(_("name"), max_length=200, unique=True)
    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        validators=[code_validator],
        help_text=_("Short identifier used in addresses and commands, e.g. norrbotten."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.REGION)
    response_reminder_days = models.CharField(
        _("response reminders (days before)"),
        max_length=40,
        default="14,3,0",
        validators=[day_list_validator],
        help_text=_(
            "Days before the response deadline when the body's secretaries are reminded; "
            "0 is the deadline itself. Overdue responses are reminded weekly."
        ),
    )
    measure_reminder_days = models.CharField(
        _("measure reminders (days before)"),
        max_length=40,
        default="14,0",
        validators=[day_list_validator],
        help_text=_(
            "Days before a measure's due date when its responsible person is reminded. "
            "Overdue measures are reminded weekly."
        ),
    )
    public_page = models.BooleanField(
        _("public page"),
        default=False,
        help_text=_(
            "Publish a page without sign-in listing the issued audits, their reports and "
            "the status of each recommendation. Drafts and names of people never appear."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # Stored normalised, so regions with the same schedule share one sweep query.
        for field in ("response_reminder_days", "measure_reminder_days"):
            value = getattr(self, field)
            if re.fullmatch(day_list_validator.regex, value):
                setattr(self, field, ",".join(str(day) for day in parse_day_list(value)))


class Body(models.Model):
    """An audited body (granskningsobjekt): the regional board or a committee."""

    class Kind(models.TextChoices):
        BOARD = "board", _("board")
        COMMITTEE = "committee", _("committee")
        COUNCIL = "council", _("council")
        COMPANY = "company", _("company")
        OTHER = "other", _("other")

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="bodies", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(
        _("abbreviation"), max_length=20, blank=True, help_text=_("E.g. RS or HSN.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.COMMITTEE)
    email = models.EmailField(
        _("registry e-mail"), blank=True, help_text=_("The body's registry (registratur).")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["region__name", "name"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="regions_body_unique_name_per_region",
                violation_error_message=_("This region already has a body with that name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    """A geographic part of a region, e.g. "Luleå/Boden" or "Övriga länet"."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="areas", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["region__name", "name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="regions_area_unique_name_per_region",
                violation_error_message=_("This region already has an area with that name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A unit in an area, e.g. a health centre (hälsocentral)."""

    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="units", verbose_name=_("area")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind of unit"), max_length=100, blank=True, help_text=_("E.g. health centre.")
    )

    class Meta:
        ordering = ["area__name", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "name"],
                name="regions_unit_unique_name_per_area",
                violation_error_message=_("This area already has a unit with that name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """Gives a user a role in a region; secretaries act for the bodies named here."""

    class Role(models.TextChoices):
        AUDITOR = "auditor", _("auditor")
        AUDIT_OFFICE = "audit_office", _("audit office")
        SECRETARY = "secretary", _("body secretary")
        READER = "reader", _("reader")

    # Auditors and the audit office: they see drafts and write findings.
    AUDIT_SIDE_ROLES: ClassVar[tuple[str, ...]] = (Role.AUDITOR, Role.AUDIT_OFFICE)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("region")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)
    bodies = models.ManyToManyField(
        Body,
        blank=True,
        related_name="memberships",
        verbose_name=_("bodies"),
        help_text=_("For body secretaries: the bodies whose responses they record."),
    )
    is_chair = models.BooleanField(
        _("chair"), default=False, help_text=_("The auditors' chair, who signs cover letters.")
    )

    class Meta:
        ordering = ["region__name", "role", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "region", "role"],
                name="regions_membership_unique_role",
                violation_error_message=_("The user already has this role in this region."),
            ),
            models.CheckConstraint(
                condition=Q(is_chair=False) | Q(role="auditor"),
                name="regions_membership_chair_is_auditor",
                violation_error_message=_("Only an auditor can be the auditors' chair."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.region}"

    def clean_bodies(self, bodies: list[Body]) -> None:
        """Check the bodies a membership would act for; M2M rows are not seen by clean()."""
        if self.role == self.Role.SECRETARY and not bodies:
            raise ValidationError(
                {"bodies": _("A body secretary must be given at least one body.")}
            )
        if self.role != self.Role.SECRETARY and bodies:
            raise ValidationError({"bodies": _("Only body secretaries act for bodies.")})
        foreign = [body.name for body in bodies if body.region_id != self.region_id]
        if foreign:
            raise ValidationError(
                {
                    "bodies": _("%(bodies)s do not belong to this region.")
                    % {"bodies": ", ".join(foreign)}
                }
            )


class Indicator(models.Model):
    """A measure a region is followed on, e.g. share of 1177 calls answered."""

    class Direction(models.TextChoices):
        HIGHER_IS_BETTER = "higher", _("higher is better")
        LOWER_IS_BETTER = "lower", _("lower is better")

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="indicators", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=20, help_text=_("E.g. %, min, index."))
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction, default=Direction.HIGHER_IS_BETTER
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["region__name", "name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="regions_indicator_unique_name_per_region",
                violation_error_message=_("This region already has an indicator with that name."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]


class Target(models.Model):
    """A target value (målvärde) for an indicator from a given year."""

    class Comparator(models.TextChoices):
        AT_LEAST = "gte", _("at least")
        AT_MOST = "lte", _("at most")
        MORE_THAN = "gt", _("more than")
        LESS_THAN = "lt", _("less than")

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    comparator = models.CharField(
        _("comparison"), max_length=3, choices=Comparator, default=Comparator.AT_LEAST
    )
    value = models.DecimalField(_("target value"), max_digits=12, decimal_places=2)
    set_by = models.CharField(
        _("set by"), max_length=200, blank=True, help_text=_("The plan or decision.")
    )

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                name="regions_target_one_per_year",
                violation_error_message=_("The indicator already has a target for that year."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2100),
                name="regions_target_year_range",
                violation_error_message=_("The year must be between 1990 and 2100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.year}: {self.get_comparator_display()} {self.value}"


class Outcome(models.Model):
    """A measured value (utfall) of an indicator for a period."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("indicator")
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["indicator", "period_start"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start", "period_end"],
                name="regions_outcome_one_per_period",
                violation_error_message=_("The indicator already has an outcome for that period."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="regions_outcome_period_order",
                violation_error_message=_("The period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.period_start}–{self.period_end}: {self.value}"
