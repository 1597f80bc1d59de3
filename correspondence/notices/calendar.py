"""The iCalendar parts of a notice: iTIP (RFC 5546) objects a calendar client applies itself.

One METHOD per iCalendar object, as iTIP requires: a notice that updates some meetings and
calls off others carries two objects, `METHOD:REQUEST` (new, moved, room changed, back on the
schedule) and `METHOD:CANCEL` (postponed, cancelled, with STATUS:CANCELLED). Each event is
the public calendar's (`sessions.calendar.meeting_event`: same UID, the meeting's revision as
SEQUENCE), built from the line's frozen `after`, not from the meeting as it is when the
message leaves, with the ORGANIZER (the sender's address) and the DTSTAMP of the notice.
"""

import datetime as dt
import email.message
from copy import copy

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, vCalAddress

from common.timezones import NEW_YORK
from sessions.calendar import meeting_event
from sessions.models import Meeting, Room

from ..models import NoticeLine

PRODID = "-//IGN Portal//Schedule notices//EN"


def frozen_meeting(line):
    """The line's meeting as the line announces it (an unsaved copy: times, rooms, status,
    reason and revision from the line)."""
    after = line.after
    meeting = copy(line.meeting)
    meeting.starts_at = dt.datetime.fromisoformat(after["starts_at"])
    meeting.ends_at = dt.datetime.fromisoformat(after["ends_at"])
    meeting.status = after["status"]
    meeting.revision = line.revision
    meeting.room = Room(pk=after["room_id"], **{f"name_{k}": v for k, v in after["room"].items()})
    meeting.overflow_room = (Room(pk=after["overflow_room_id"], **{
        f"name_{k}": v for k, v in after["overflow_room"].items()})
        if after.get("overflow_room_id") else None)
    for key, value in after.get("title", {}).items():
        setattr(meeting, f"title_{key}", value)
    reasons = after.get("reason") or {}
    for field in Meeting._meta.get_fields():
        if field.name.startswith("status_reason_"):
            setattr(meeting, field.name, reasons.get(field.name.removeprefix("status_reason_"),
                                                     ""))
    return meeting


def itip_calendar(lines, method, *, stamp):
    """The VCALENDAR of `lines` (all of `method`), with METHOD, ORGANIZER and DTSTAMP."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    # Translators: the organiser's name in a calendar invitation of a schedule notice.
    organizer.params["CN"] = _("IGN Portal")
    meetings = [frozen_meeting(line) for line in lines]
    for meeting in meetings:
        event = meeting_event(meeting)
        event.pop("DTSTAMP")
        event.add("dtstamp", stamp.astimezone(dt.UTC))
        event.add("organizer", organizer)
        if method == NoticeLine.Method.CANCEL:
            event.pop("STATUS")
            event.add("status", "CANCELLED")
        calendar.add_component(event)
    if meetings:
        first = min(m.starts_at for m in meetings).astimezone(NEW_YORK).date()
        last = max(m.ends_at for m in meetings).astimezone(NEW_YORK).date()
        calendar.add_missing_timezones(first_date=first.replace(month=1, day=1),
                                       last_date=last.replace(month=12, day=31))
    return calendar


def itip_parts(lines, *, stamp, number):
    """[MIME part] of the notice: a text/calendar part per method its lines use (REQUEST
    first), `Content-Type: text/calendar; method=...; charset=utf-8`."""
    parts = []
    for method in (NoticeLine.Method.REQUEST, NoticeLine.Method.CANCEL):
        chosen = [line for line in lines if line.method == method]
        if not chosen:
            continue
        part = email.message.MIMEPart()
        part.set_content(itip_calendar(chosen, method, stamp=stamp).to_ical(),
                         maintype="text", subtype="calendar", cte="base64",
                         params={"method": str(method), "charset": "utf-8"},
                         filename=f"notice-{number}-{str(method).lower()}.ics")
        parts.append(part)
    return parts


def publish_calendar(lines, *, stamp, name):
    """One METHOD:PUBLISH calendar of every line (a download): cancels as STATUS:CANCELLED."""
    calendar = itip_calendar(lines, "PUBLISH", stamp=stamp)
    calendar.add("x-wr-calname", name)
    for event, line in zip(calendar.walk("VEVENT"), lines, strict=True):
        event.pop("ORGANIZER")
        if line.method == NoticeLine.Method.CANCEL:
            event.pop("STATUS")
            event.add("status", "CANCELLED")
    return calendar
