"""The project package is also an app: it owns what every other app shares (history)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = _("Audit findings tracker")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import sessions  # noqa: F401 - connects the sign-in stamp of the session limits
        from .history import context, orm

        context.install()
        orm.connect()
