"""New York time: the zone every meeting is announced in, and how the portal prints it.

Plain text in the active language (for feeds, calendars and change descriptions); the
template filters of ``common.templatetags.ign`` add the isolation of the digits for
right-to-left pages.
"""

import zoneinfo

from django.utils import formats, timezone
from django.utils.translation import gettext as _

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def ny_date(value):
    """“Monday, 6 February 2017”, the day in New York, as the active language writes it
    (``WEEKDAY_DATE_FORMAT``, common/formats)."""
    if not value:
        return ""
    return formats.date_format(timezone.localtime(value, NEW_YORK), "WEEKDAY_DATE_FORMAT")


def ny_clock(value, end=None):
    """“10:00”, or “10:00–13:00” with an end: the hours in New York (24-hour clock)."""
    clock = formats.time_format(timezone.localtime(value, NEW_YORK), "TIME_FORMAT")
    if end:
        clock += "\u2013" + formats.time_format(timezone.localtime(end, NEW_YORK), "TIME_FORMAT")
    return clock


def zone_label(value, clock):
    """“10:00 New York time (EST)”: `clock` (a time or a range) with the zone in force at
    `value`. `clock` is put in as it is, so it may be markup already escaped."""
    if timezone.localtime(value, NEW_YORK).dst():
        # Translators: a time (“10:00”) or a range of times (“10:00–13:00”) in New York in
        # summer; EDT is Eastern Daylight Time: write the zone as your language does.
        return _("%(time)s New York time (EDT)") % {"time": clock}
    # Translators: a time (“10:00”) or a range of times (“10:00–13:00”) in New York in
    # winter; EST is Eastern Standard Time: write the zone as your language does.
    return _("%(time)s New York time (EST)") % {"time": clock}


def ny_time(value, end=None, *, clock=None):
    """“10:00 New York time (EST)”, or “10:00–13:00 New York time (EST)” with an end.
    `clock` replaces the hours (the template filters put a placeholder there)."""
    if not value:
        return ""
    return zone_label(value, ny_clock(value, end) if clock is None else clock)


def ny_when(value, end=None, *, clock=None):
    """“Monday, 6 February 2017, 10:00 New York time (EST)”."""
    if not value:
        return ""
    # Translators: a day (“Monday, 6 February 2017”) and a time in New York (“10:00 New
    # York time (EST)”).
    return _("%(date)s, %(time)s") % {"date": ny_date(value),
                                      "time": ny_time(value, end, clock=clock)}


def ny_iso(value):
    return timezone.localtime(value, NEW_YORK).isoformat() if value else ""
