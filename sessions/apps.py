"""The GA session, its people, Member States, missions, rooms and IGN meetings."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessionsConfig(AppConfig):
    # django.contrib.sessions owns the label "sessions".
    name = "sessions"
    label = "ign_sessions"
    verbose_name = _("Sessions and meetings")
