"""iCalendar feeds of the meetings, built with the icalendar library.

Every meeting keeps one UID for life (``meeting-<pk>@<host>``) and its SEQUENCE is the
meeting's revision, raised by the services (``sessions/services.py``) on every change of
time, room or status, so calendar clients replace the entry they hold. A cancelled meeting
stays in the feed with STATUS:CANCELLED. A postponed meeting is published as CANCELLED too
(its summary says "Postponed"): it will not take place at the time the entry shows, and when
it is rescheduled the new time arrives with a higher SEQUENCE and STATUS:CONFIRMED. A
meeting held (its end has passed) stays CONFIRMED, so the bytes do not depend on the clock.

Each calendar is served in the language of its URL (`/fr/meetings/calendar.ics`): names,
summaries, descriptions, rooms and clusters in that language (English where a translation is
missing), links to that language's pages. The UID does not depend on the language: one
meeting, one UID, in every language's calendar. Every text property carries the RFC 5545
LANGUAGE parameter of what it holds, and none when its parts are in several languages (a
French label before an English title that has no French translation).
"""

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from clusters.models import Cluster
from common.cache import public_cache
from common.content_language import common_language, field_language
from common.timezones import NEW_YORK

from .models import Meeting

ICAL_STATUS = {
    Meeting.Status.SCHEDULED: "CONFIRMED",
    Meeting.Status.HELD: "CONFIRMED",
    Meeting.Status.POSTPONED: "CANCELLED",
    Meeting.Status.CANCELLED: "CANCELLED",
}


def meeting_uid(meeting):
    return f"meeting-{meeting.pk}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}"


def _add_text(component, name, value, *languages):
    """A text property, with the LANGUAGE of its parts when they are all in one."""
    language = common_language(*languages)
    component.add(name, value, parameters={"LANGUAGE": language} if language else None)


def meeting_location(meeting):
    """(the room, and its overflow room if any, as one text; the languages of its parts)"""
    if meeting.overflow_room_id:
        # Translators: a calendar entry's place: the room, then the room that takes the
        # delegates it cannot seat.
        return _("%(room)s (overflow: %(overflow)s)") % {
            "room": meeting.room.name, "overflow": meeting.overflow_room.name}, (
            get_language(), field_language(meeting.room, "name"),
            field_language(meeting.overflow_room, "name"))
    return meeting.room.name, (field_language(meeting.room, "name"),)


def meeting_event(meeting):
    """One VEVENT: times in New York with their TZID, the revision as SEQUENCE."""
    language = get_language()
    url = settings.SITE_URL + meeting.get_absolute_url()
    # Translators: a calendar entry's summary: "IGN meeting 2: Informal meeting of the plenary".
    summary = _("IGN meeting %(number)s: %(kind)s") % {
        "number": meeting.number, "kind": meeting.get_kind_display()}
    if meeting.is_called_off:
        # Translators: a calendar entry's summary for a meeting called off, the status in
        # capitals: "POSTPONED: IGN meeting 2: Informal meeting of the plenary".
        summary = _("%(status)s: %(summary)s") % {
            "status": meeting.get_status_display().upper(), "summary": summary}
    description, languages = [meeting.title], [field_language(meeting, "title")]
    if meeting.status_reason:
        # Translators: a calendar entry's description: the status and why ("Postponed: ...").
        description.append(_("%(status)s: %(reason)s") % {
            "status": meeting.get_status_display(), "reason": meeting.status_reason})
        languages += [language, field_language(meeting, "status_reason")]
    if meeting.agenda:
        description.append(meeting.agenda)
        languages.append(field_language(meeting, "agenda"))
    description.append(url)
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.revision)
    event.add("status", ICAL_STATUS[meeting.effective_status])
    _add_text(event, "summary", summary, language)
    _add_text(event, "description", "\n\n".join(description), *languages)
    event.add("dtstart", meeting.starts_at.astimezone(NEW_YORK))
    event.add("dtend", meeting.ends_at.astimezone(NEW_YORK))
    location, location_languages = meeting_location(meeting)
    _add_text(event, "location", location, *location_languages)
    event.add("url", url)
    # The last change, not the time of the request: the same data gives the same bytes.
    event.add("dtstamp", meeting.updated_at.astimezone(dt.UTC))
    event.add("last-modified", meeting.updated_at.astimezone(dt.UTC))
    event.add("created", meeting.created_at.astimezone(dt.UTC))
    event.add("transp", "TRANSPARENT" if meeting.is_called_off else "OPAQUE")
    clusters = list(meeting.clusters.all())
    if clusters:
        _add_text(event, "categories", [cluster.title for cluster in clusters],
                  *(field_language(cluster, "title") for cluster in clusters))
    return event


def build_calendar(meetings, *, name, name_languages=()):
    """The VCALENDAR of these meetings, with the VTIMEZONE of New York their times need.

    `name_languages`: the languages of the content in the name, beside the active one."""
    meetings = list(meetings)
    calendar = Calendar()
    calendar.add("prodid", "-//IGN Portal//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    _add_text(calendar, "x-wr-calname", name, get_language(), *name_languages)
    calendar.add("x-wr-timezone", "America/New_York")
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting))
    if meetings:
        first = min(m.starts_at for m in meetings).astimezone(NEW_YORK).date()
        last = max(m.ends_at for m in meetings).astimezone(NEW_YORK).date()
        calendar.add_missing_timezones(
            first_date=first.replace(month=1, day=1), last_date=last.replace(month=12, day=31)
        )
    return calendar


def calendar_response(meetings, *, name, filename, name_languages=()):
    meetings = list(meetings.with_related().order_by("starts_at", "pk"))
    response = HttpResponse(
        build_calendar(meetings, name=name, name_languages=name_languages).to_ical(),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    latest = max((m.updated_at for m in meetings), default=None)
    if latest:
        response["Last-Modified"] = http_date(latest.timestamp())
    return response


@public_cache
def all_meetings(request):
    return calendar_response(
        # Translators: the name of the calendar of every IGN meeting.
        Meeting.objects.all(), name=_("IGN meetings"), filename="ign-meetings.ics"
    )


@public_cache
def cluster_meetings(request, slug):
    cluster = get_object_or_404(Cluster, slug=slug)
    return calendar_response(
        # Translators: the name of a cluster's calendar: "IGN meetings: the question of the veto".
        cluster.meetings.all(), name=_("IGN meetings: %(cluster)s") % {"cluster": cluster.title},
        filename=f"ign-{cluster.slug}.ics", name_languages=[field_language(cluster, "title")],
    )


@public_cache
def one_meeting(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    return calendar_response(
        Meeting.objects.filter(pk=meeting.pk), name=str(meeting),
        filename=f"ign-meeting-{meeting.pk}.ics",
    )
