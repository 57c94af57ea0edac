"""Django REST framework and drf-spectacular settings (imported by tracker/settings.py)."""

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First: its scheme is what a 401 names.
        "tracker.api.authentication.BearerTokenAuthentication",
        "tracker.api.authentication.ReadOnlySessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: no browsable API (its pages load no CDN, but they are one more UI).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "tracker.api.pagination.PageWithoutCount",
    "DEFAULT_FILTER_BACKENDS": ["tracker.api.filtering.ScopedFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "tracker.api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "tracker.api.errors.handler",
    "DATE_FORMAT": "iso-8601",
    "DATE_INPUT_FORMATS": ["iso-8601"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Audit findings tracker API",
    "DESCRIPTION": (
        "Audits, recommendations, the bodies' responses and measures, as the signed-in "
        "user may see them. Authenticate with a personal token from the account page: "
        "`Authorization: Bearer <token>`."
    ),
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Request bodies without the read-only fields, so generated requests are realistic.
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "AuditKindEnum": "audits.models.Audit.Kind",
        "AuditStatusEnum": "audits.models.Audit.Status",
        "ResponseKindEnum": "recommendations.models.Response.Kind",
        "MeasureStatusEnum": "recommendations.models.Measure.Status",
        "MeasureWritableStatusEnum": "recommendations.api.MEASURE_STATUSES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "tracker.api.schema.require_version_on_updates",
    ],
}
