from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import (
    Area,
    Body,
    ExternalIdentity,
    Indicator,
    Membership,
    Outcome,
    Region,
    Target,
    Unit,
    User,
)


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ("user", "region", "role", "bodies", "is_chair")

    def clean(self) -> dict:
        cleaned = super().clean()
        membership: Membership = self.instance
        membership.region = cleaned.get("region") or membership.region
        membership.role = cleaned.get("role") or membership.role
        if cleaned.get("region") and cleaned.get("role"):
            try:
                membership.clean_bodies(list(cleaned.get("bodies") or []))
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipForm
    extra = 0
    autocomplete_fields = ["region", "bodies"]
    fk_name = "user"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Preferences"), {"fields": ("language", "weekly_digest")}),
    )
    list_display = ("username", "first_name", "last_name", "email", "language", "is_active")
    list_filter = ("is_active", "is_staff", "language", "memberships__region")
    inlines = [MembershipInline]


class BodyInline(admin.TabularInline):
    model = Body
    extra = 0
    fields = ("name", "short_name", "kind", "email", "is_active")


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0
    show_change_link = True


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}
    inlines = [BodyInline, AreaInline]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "region", "kind", "is_active")
    list_filter = ("region", "kind", "is_active")
    search_fields = ("name", "short_name", "region__name")
    autocomplete_fields = ["region"]


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("name", "region")
    list_filter = ("region",)
    search_fields = ("name", "region__name")
    autocomplete_fields = ["region"]
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "area", "region")
    list_filter = ("area__region", "area")
    search_fields = ("name", "area__name")
    autocomplete_fields = ["area"]
    list_select_related = ("area__region",)

    @admin.display(description=_("region"), ordering="area__region__name")
    def region(self, unit: Unit) -> Region:
        return unit.area.region


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipForm
    list_display = ("user", "region", "role", "is_chair")
    list_filter = ("region", "role", "is_chair")
    search_fields = ("user__username", "user__first_name", "user__last_name", "region__name")
    autocomplete_fields = ["user", "region", "bodies"]
    list_select_related = ("user", "region")


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "direction", "region")
    list_filter = ("region", "direction")
    search_fields = ("name", "region__name")
    autocomplete_fields = ["region"]
    inlines = [TargetInline, OutcomeInline]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("indicator", "year", "comparator", "value", "set_by")
    list_filter = ("indicator__region", "year")
    search_fields = ("indicator__name", "set_by")
    autocomplete_fields = ["indicator"]
    list_select_related = ("indicator",)


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ("indicator", "period_start", "period_end", "value")
    list_filter = ("indicator__region",)
    search_fields = ("indicator__name",)
    autocomplete_fields = ["indicator"]
    date_hierarchy = "period_start"
    list_select_related = ("indicator",)


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    """Who signs in through the identity provider. Deleting a row unlinks the account:
    the next sign-in with that subject makes a new account without roles."""

    list_display = ("user", "issuer", "subject", "last_login")
    list_select_related = ("user",)
    search_fields = ("user__username", "user__first_name", "user__last_name", "subject")
    readonly_fields = ("issuer", "subject", "created_at", "last_login")
    autocomplete_fields = ("user",)

    def has_add_permission(self, request, obj=None) -> bool:
        # Made by the first sign-in only: a subject typed by hand could be anyone's.
        return False
