"""Page-number paging without a count: a page is read with one row more than it shows,
which tells whether there is a next page. Counting every row a filter matches would
cost more than the page itself on the big tables (measures, recommendations)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_PAGE = 100_000


class _PageParameters(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, max_value=MAX_PAGE, required=False, default=1)
    page_size = serializers.IntegerField(
        min_value=1, max_value=MAX_PAGE_SIZE, required=False, default=DEFAULT_PAGE_SIZE
    )


def stable_order(queryset: QuerySet) -> QuerySet:
    """The list's order with the primary key last, so pages never overlap or skip rows."""
    order = list(queryset.query.order_by or queryset.model._meta.ordering or [])
    if "pk" not in order and "-pk" not in order and "id" not in order:
        order.append("pk")
    return queryset.order_by(*order)


class PageWithoutCount(BasePagination):
    page_query_param = "page"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset: QuerySet, request: Request, view: Any = None) -> list:
        params = _PageParameters(
            data={
                key: request.query_params[key]
                for key in ("page", "page_size")
                if key in request.query_params
            }
        )
        params.is_valid(raise_exception=True)
        self.page = params.validated_data["page"]
        self.page_size = params.validated_data["page_size"]
        self.request = request
        start = (self.page - 1) * self.page_size
        rows = list(stable_order(queryset)[start : start + self.page_size + 1])
        self.has_next = len(rows) > self.page_size
        return rows[: self.page_size]

    def _url(self, page: int) -> str:
        url = self.request.build_absolute_uri()
        if page == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, page)

    def get_paginated_response(self, data: list) -> Response:
        return Response(
            {
                "next": self._url(self.page + 1) if self.has_next else None,
                "previous": self._url(self.page - 1) if self.page > 1 else None,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "Page number, from 1.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows a page (default {DEFAULT_PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]
