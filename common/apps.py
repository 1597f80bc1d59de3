"""The ground floor: the page cache, admin mixins, API helpers, time zones, template tags."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = _("Common")

    def ready(self):
        from django.conf import settings

        from . import unaccent
        from .cache import connect_signals

        connect_signals()
        unaccent.register()
        if any("postgresql" in database["ENGINE"] for database in settings.DATABASES.values()):
            from . import dbwait

            dbwait.install(getattr(settings, "DATABASE_QUERY_DEADLINE", None))
