"""A recorded meeting change, in words: what moved, from what, to what, or what was announced."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from common.timezones import ny_date, ny_time

FIELD_LABELS = {
    "starts_at": _("Start"),
    "ends_at": _("End"),
    "room_id": _("Room"),
    "overflow_room_id": _("Overflow room"),
    "status": _("Status"),
}


def _readable(field, value):
    if not value:
        return _("none")
    if field in ("starts_at", "ends_at"):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return f"{ny_date(moment)}, {ny_time(moment)}"
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
        (FIELD_LABELS["starts_at"], f"{ny_date(change.starts_at)}, {ny_time(change.starts_at)}"),
        (FIELD_LABELS["ends_at"], f"{ny_date(change.ends_at)}, {ny_time(change.ends_at)}"),
        (FIELD_LABELS["room_id"], change.room),
    ]
    if change.overflow_room:
        facts.append((FIELD_LABELS["overflow_room_id"], change.overflow_room))
    return facts


def headline(change):
    """"IGN meeting 2, 7 February 2017: status changed", dated as the meeting was then."""
    if change.kind == change.Kind.SCHEDULED:
        return _("%(meeting)s: scheduled") % {"meeting": change.meeting_label}
    fields = ", ".join(str(label).lower() for label, _old, _new in describe(change))
    return _("%(meeting)s: %(fields)s changed") % {"meeting": change.meeting_label,
                                                   "fields": fields}
