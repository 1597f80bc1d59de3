"""Read-only JSON of the schedule, for systems such as the Journal (fields: docs/api.md).

In the language of the URL (`/fr/api/meetings.json`) or of `?lang=` (which wins): titles,
agendas, reasons and rooms in that language, English where a translation is missing; links
to that language's pages. Ids, numbers, statuses and times are the same in every language.
"""

import datetime as dt

from django.conf import settings
from django.urls import reverse

from common.api import (
    API_QUERY,
    API_UNCACHED_QUERY,
    ApiQueryForm,
    api_error,
    api_list,
    in_requested_language,
    ny_midnight,
)
from common.cache import public_cache
from common.timezones import NEW_YORK

from .models import Meeting


def meeting_json(meeting):
    url = settings.SITE_URL + meeting.get_absolute_url()
    return {
        "id": meeting.pk,
        "session": meeting.session.number,
        "number": meeting.number,
        "title": meeting.title,
        "kind": meeting.kind,
        "kind_label": str(meeting.get_kind_display()),
        "closed": meeting.closed,
        "status": meeting.effective_status,
        "status_label": str(meeting.get_effective_status_display()),
        "status_reason": meeting.status_reason,
        "starts_at": meeting.starts_at.astimezone(NEW_YORK).isoformat(),
        "ends_at": meeting.ends_at.astimezone(NEW_YORK).isoformat(),
        "starts_at_utc": meeting.starts_at.astimezone(dt.UTC).isoformat(),
        "ends_at_utc": meeting.ends_at.astimezone(dt.UTC).isoformat(),
        "timezone": "America/New_York",
        "room": meeting.room.name,
        "overflow_room": meeting.overflow_room.name if meeting.overflow_room_id else None,
        "clusters": [c.slug for c in meeting.clusters.all()],
        "agenda": meeting.agenda,
        "revision": meeting.revision,
        "updated_at": meeting.updated_at.astimezone(dt.UTC).isoformat(),
        "url": url,
        "calendar_url": settings.SITE_URL + reverse(
            "sessions:meeting-calendar", kwargs={"pk": meeting.pk}),
    }


# Unknown parameters are the form's 400, as documented. A meeting's status turns to "held"
# when its end passes: the list depends on the clock.
@public_cache(query=API_QUERY, uncached_query=API_UNCACHED_QUERY, unknown_query="uncached",
              clock=True, language_query="lang")
@in_requested_language
def meetings_json(request):
    form = ApiQueryForm(request.GET)
    if not form.is_valid():
        return api_error(form)
    meetings = Meeting.objects.with_related().order_by("starts_at", "pk")
    if form.cleaned_data["session"]:
        meetings = meetings.filter(session__number=form.cleaned_data["session"])
    if form.cleaned_data["start"]:
        meetings = meetings.filter(starts_at__gte=ny_midnight(form.cleaned_data["start"]))
    if form.cleaned_data["end"]:
        meetings = meetings.filter(
            starts_at__lt=ny_midnight(form.cleaned_data["end"] + dt.timedelta(days=1)))
    offset, limit = form.window()
    return api_list([meeting_json(m) for m in meetings[offset:offset + limit]], form)
