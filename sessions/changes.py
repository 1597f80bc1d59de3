"""A recorded meeting change, in words: what moved, from what, to what, or what was announced."""

import datetime as dt

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from common.timezones import ny_when

FIELD_LABELS = {
    "starts_at": _("Start"),
    "ends_at": _("End"),
    "room_id": _("Room"),
    "overflow_room_id": _("Overflow room"),
    "status": _("Status"),
}


def _readable(field, value):
    if not value:
        # Translators: the value of a room or a time that was not set (“Overflow room: none”).
        return _("none")
    if field in ("starts_at", "ends_at"):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return ny_when(moment)
    return value


def describe(change):
    """[(label, old, new)] in the order delegations read them."""
    return [
        (FIELD_LABELS[field], _readable(field, old), _readable(field, new))
        for field in FIELD_LABELS
        if field in change.changes
        for old, new in [change.changes[field]]
    ]


def announced(change):
    """[(label, value)]: what a "scheduled" entry announced; nothing for any other change."""
    if change.kind != change.Kind.SCHEDULED:
        return []
    facts = [
        (FIELD_LABELS["starts_at"], ny_when(change.starts_at)),
        (FIELD_LABELS["ends_at"], ny_when(change.ends_at)),
        (FIELD_LABELS["room_id"], change.room),
    ]
    if change.overflow_room:
        facts.append((FIELD_LABELS["overflow_room_id"], change.overflow_room))
    return facts


def headline(change):
    """"IGN meeting 2, 7 February 2017: status changed", dated as the meeting was then."""
    if change.kind == change.Kind.SCHEDULED:
        # Translators: “IGN meeting 2, 7 February 2017: scheduled”.
        return _("%(meeting)s: scheduled") % {"meeting": change.meeting_label}
    # Translators: separates the names of the things that changed (“start, end, room”).
    fields = pgettext("list separator", ", ").join(
        str(label).lower() for label, _old, _new in describe(change))
    # Translators: “IGN meeting 2, 7 February 2017: start, room changed”.
    return _("%(meeting)s: %(fields)s changed") % {"meeting": change.meeting_label,
                                                   "fields": fields}
