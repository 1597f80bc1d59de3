"""Read-only JSON of the schedule, for systems such as the Journal (fields: docs/api.md)."""

import datetime as dt

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ign_portal.cache import public_cache

from .models import NEW_YORK, Meeting

DEFAULT_LIMIT = 100
MAX_LIMIT = 500


# The United Nations began in 1945; a bound well inside the calendar keeps date arithmetic safe.
DATE_RANGE = [MinValueValidator(dt.date(1945, 1, 1)), MaxValueValidator(dt.date(2999, 12, 31))]


class ApiQueryForm(forms.Form):
    """The query parameters every list accepts; anything malformed is a 400 with reasons."""

    session = forms.IntegerField(required=False, min_value=1, max_value=32767)
    start = forms.DateField(required=False, input_formats=["%Y-%m-%d"], validators=DATE_RANGE,
                            help_text=_("From this day (New York), YYYY-MM-DD."))
    end = forms.DateField(required=False, input_formats=["%Y-%m-%d"], validators=DATE_RANGE,
                          help_text=_("Up to and including this day (New York), YYYY-MM-DD."))
    limit = forms.IntegerField(required=False, min_value=1, max_value=MAX_LIMIT)
    offset = forms.IntegerField(required=False, min_value=0, max_value=10**6)

    def __init__(self, data, *args, **kwargs):
        unknown = sorted(set(data) - set(self.base_fields))
        super().__init__(data, *args, **kwargs)
        self.unknown = unknown

    def clean(self):
        cleaned = super().clean()
        if self.unknown:
            raise forms.ValidationError(
                _("Unknown parameter(s): %(names)s.") % {"names": ", ".join(self.unknown)[:200]}
            )
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("“end” must not be before “start”."))
        return cleaned

    def window(self):
        limit = self.cleaned_data["limit"] or DEFAULT_LIMIT
        offset = self.cleaned_data["offset"] or 0
        return offset, limit


def ny_midnight(day):
    return dt.datetime.combine(day, dt.time(), tzinfo=NEW_YORK)


def api_error(form):
    return JsonResponse({"error": "invalid query", "details": form.errors.get_json_data()},
                        status=400)


def api_list(results, form):
    offset, limit = form.window()
    return JsonResponse({"offset": offset, "limit": limit, "count": len(results),
                         "results": results}, json_dumps_params={"ensure_ascii": False})


def meeting_json(meeting):
    url = settings.SITE_URL + meeting.get_absolute_url()
    return {
        "id": meeting.pk,
        "session": meeting.session.number,
        "number": meeting.number,
        "title": meeting.title,
        "kind": meeting.kind,
        "closed": meeting.closed,
        "status": meeting.status,
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


@public_cache
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
