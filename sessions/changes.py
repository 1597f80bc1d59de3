"""A recorded meeting change, in words: what moved, from what, to what."""

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
