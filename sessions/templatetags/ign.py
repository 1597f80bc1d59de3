"""Template filters that always show New York time with its zone."""

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sessions.models import NEW_YORK

register = template.Library()


@register.filter
def ny_date(value):
    """“Monday, 6 February 2017”, the day in New York."""
    if not value:
        return ""
    return formats.date_format(timezone.localtime(value, NEW_YORK), "l, j F Y")


@register.filter
def ny_time(value):
    """“10:00 New York time (EST)”."""
    if not value:
        return ""
    local = timezone.localtime(value, NEW_YORK)
    return _("%(time)s New York time (%(zone)s)") % {
        "time": local.strftime("%H:%M"), "zone": local.tzname()}


@register.filter
def ny_iso(value):
    return timezone.localtime(value, NEW_YORK).isoformat() if value else ""
