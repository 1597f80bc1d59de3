"""New York time: the zone every meeting is announced in, and how the portal prints it."""

import zoneinfo

from django.utils import formats, timezone
from django.utils.translation import gettext as _

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def ny_date(value):
    """“Monday, 6 February 2017”, the day in New York."""
    if not value:
        return ""
    return formats.date_format(timezone.localtime(value, NEW_YORK), "l, j F Y")


def ny_time(value):
    """“10:00 New York time (EST)”."""
    if not value:
        return ""
    local = timezone.localtime(value, NEW_YORK)
    return _("%(time)s New York time (%(zone)s)") % {
        "time": local.strftime("%H:%M"), "zone": local.tzname()}


def ny_iso(value):
    return timezone.localtime(value, NEW_YORK).isoformat() if value else ""
