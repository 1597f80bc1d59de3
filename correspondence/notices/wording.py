"""A notice line in words, in the active language: what changed, from what, to what, and why.

Read from the line's frozen `before` and `after` (`gathering.meeting_snapshot`), so that a sent
notice reads the same for ever, whatever the meeting became since. The same wording serves
the admin's review, the message, the public pages and the feed.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from common.timezones import ny_when
from sessions.models import Meeting
from sessions.models.meetings import meeting_label

from .gathering import Kind, differs

KIND_LABELS = {
    Kind.SCHEDULED: _("New meeting"),
    Kind.MOVED: _("Moved"),
    Kind.ROOM: _("Room changed"),
    Kind.POSTPONED: _("Postponed"),
    Kind.CANCELLED: _("Cancelled"),
    Kind.RESCHEDULED: _("Back on the schedule"),
}


def in_language(texts, language=None):
    """The text of {language suffix: text} in `language` (default the active one), else the
    English; (text, the language it is in)."""
    suffix = build_localized_fieldname("", language or get_language() or "en")[1:]
    if texts.get(suffix):
        return texts[suffix], suffix.replace("_", "-")
    return texts.get("en", ""), settings.LANGUAGE_CODE


def _when(snapshot):
    return ny_when(dt.datetime.fromisoformat(snapshot["starts_at"]),
                   dt.datetime.fromisoformat(snapshot["ends_at"]))


def _room(snapshot, key="room"):
    return in_language(snapshot.get(key) or {})[0] if snapshot.get(f"{key}_id") else ""


def _status(snapshot):
    return str(Meeting.Status(snapshot["status"]).label)


@dataclass
class LineWords:
    """What a line says: its heading, the meeting's title, the changes or the facts, why."""

    heading: str
    kind: str
    title: str
    title_language: str
    # [(label, old, new)] for a meeting announced before; [(label, value)] for a new one.
    changes: list
    facts: list
    reason: str


def line_words(kind, before, after):
    """The words of one line (a `NoticeLine` or a pending one), in the active language."""
    title, title_language = in_language(after.get("title") or {})
    heading = meeting_label(after["number"], dt.datetime.fromisoformat(after["starts_at"]))
    changes, facts = [], []
    if before:
        changed = differs(before, after)
        if "starts_at" in changed or "ends_at" in changed:
            changes.append((_("When"), _when(before), _when(after)))
        if "room_id" in changed:
            changes.append((_("Room"), _room(before), _room(after)))
        if "overflow_room_id" in changed:
            none = _("none")
            changes.append((_("Overflow room"), _room(before, "overflow_room") or none,
                            _room(after, "overflow_room") or none))
        if "status" in changed:
            changes.append((_("Status"), _status(before), _status(after)))
    else:
        facts = [(_("When"), _when(after)), (_("Room"), _room(after))]
        if after.get("overflow_room_id"):
            facts.append((_("Overflow room"), _room(after, "overflow_room")))
        if after["status"] != Meeting.Status.SCHEDULED:
            facts.append((_("Status"), _status(after)))
    reason = in_language(after.get("reason") or {})[0]
    return LineWords(heading=heading, kind=str(KIND_LABELS.get(kind, kind)), title=title,
                     title_language=title_language, changes=changes, facts=facts, reason=reason)
