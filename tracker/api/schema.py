"""The OpenAPI schema (drf-spectacular): every operation lists the errors it can answer
with, in the shapes tracker/api/errors.py gives them, and updates require `version`."""

from __future__ import annotations

from typing import Any

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


# Invalid input: each field (or non_field_errors) with its messages; nested input (a
# response's answers) has its errors nested the same way.
FIELD_ERRORS = {
    "type": "object",
    "additionalProperties": {},
    "description": 'Field name (or "non_field_errors") to a list of messages.',
}


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current = serializers.DictField(
        allow_null=True, help_text="The saved version, as the endpoint represents it."
    )


class ApiAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        errors: dict[str, Any] = {"401": ErrorSerializer}
        writes = self.method not in ("GET", "HEAD", "OPTIONS")
        if writes or self._is_list_view():
            errors["400"] = FIELD_ERRORS
        if writes:
            errors["403"] = ErrorSerializer
            errors["409"] = ConflictSerializer
        if "{" in self.path or writes:
            errors["404"] = ErrorSerializer
        for code, serializer in errors.items():
            responses.setdefault(code, self._get_response_for_code(serializer, code))
        return responses


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "tracker.api.authentication.BearerTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal token, created on the account page (Mitt konto).",
        }


class ReadOnlySessionScheme(SessionScheme):
    target_class = "tracker.api.authentication.ReadOnlySessionAuthentication"


def require_version_on_updates(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular makes every field of a PATCH body optional; `version` is not."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if name.startswith("Patched") and "version" in component.get("properties", {}):
            component["required"] = sorted({*component.get("required", []), "version"})
    return result
