from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from regions import oidc, two_factor

from . import health, views

admin.site.site_header = _("Audit findings – administration")
admin.site.site_title = _("Audit findings")
admin.site.index_title = _("Housekeeping for the audit office")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.health, name="health"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Single sign-on (OIDC); both answer 404 unless a provider is configured.
    path("login/code/", two_factor.verify, name="two-factor-verify"),
    path("login/sso/", oidc.start, name="oidc_authentication_init"),
    path("login/sso/callback/", oidc.callback, name="oidc_authentication_callback"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    # The REST API (tracker/api/urls.py): /api/v1/..., its schema at /api/v1/schema/.
    path("api/", include("tracker.api.urls")),
    path("", include("audits.urls")),
    path("", include("recommendations.urls")),
    path("", include("regions.urls")),
]
