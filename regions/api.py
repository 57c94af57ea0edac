"""API: the regions and bodies the user may see."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from regions.access import scope_for

from .models import Body, Region


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "name", "code", "kind"]


class BodySerializer(serializers.ModelSerializer):
    class Meta:
        model = Body
        fields = ["id", "region", "name", "short_name", "kind", "email", "is_active"]


class BodyFilter(django_filters.FilterSet):
    region = django_filters.NumberFilter(field_name="region", min_value=1, max_value=2**63 - 1)

    class Meta:
        model = Body
        fields = ["region", "is_active"]


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RegionSerializer

    def get_queryset(self) -> QuerySet[Region]:
        return scope_for(self.request.user).regions().order_by("name", "pk")


class BodyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BodySerializer
    filterset_class = BodyFilter

    def get_queryset(self) -> QuerySet[Body]:
        return scope_for(self.request.user).bodies().order_by("region__name", "name", "pk")
