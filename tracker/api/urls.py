"""/api/v1/: the endpoints, and the OpenAPI schema at /api/v1/schema/.

No documentation page: drf-spectacular's Swagger UI loads from a CDN, and nothing the
server sends may make the browser fetch from elsewhere. The schema is the reference.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import SimpleRouter

from audits.api import AuditViewSet
from recommendations.api import (
    FollowUpViewSet,
    MeasureViewSet,
    RecommendationViewSet,
    ResponseViewSet,
)
from regions.api import BodyViewSet, RegionViewSet

from .errors import not_found

router = SimpleRouter()
router.register("regions", RegionViewSet, basename="api-region")
router.register("bodies", BodyViewSet, basename="api-body")
router.register("audits", AuditViewSet, basename="api-audit")
router.register("recommendations", RecommendationViewSet, basename="api-recommendation")
router.register("responses", ResponseViewSet, basename="api-response")
router.register("measures", MeasureViewSet, basename="api-measure")
router.register("follow-ups", FollowUpViewSet, basename="api-follow-up")

urlpatterns = [
    path("v1/schema/", SpectacularJSONAPIView.as_view(), name="api-schema"),
    path("v1/", include(router.urls)),
    # Anything else under /api/ is a 404 in JSON too.
    re_path(r"", not_found, name="api-not-found"),
]
