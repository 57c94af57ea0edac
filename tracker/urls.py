from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import health, views

admin.site.site_header = _("Audit findings – administration")
admin.site.site_title = _("Audit findings")
admin.site.index_title = _("Housekeeping for the audit office")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.health, name="health"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("", include("audits.urls")),
    path("", include("recommendations.urls")),
    path("", include("regions.urls")),
]
