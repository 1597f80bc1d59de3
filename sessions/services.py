"""Scheduling IGN meetings and changing their time, room or status: the one way it is done.

The admin, the seed, management commands and tests all call these functions; ``Meeting.save()``
is plain, so nothing here can be skipped by a path that saves a meeting directly. Each change
is one transaction that locks the meeting's row, so two editors at once get two revisions,
never one lost.

Every function's side effects, in short:

- the meeting's ``revision`` (the iCalendar SEQUENCE, ``sessions/calendar.py``) starts at 0
  and is raised by one on every change of time, room or status;
- one ``MeetingChange`` is written per revision, holding what changed ({field: [old, new]},
  in English), why, and what the meeting was once the change was made (number, title, times,
  rooms, status), for ``/meetings/changes/``, its Atom feed and the meeting's page; the
  title, rooms and reason are recorded in each of the six languages;
- the page cache is invalidated by the save signals of both rows
  (``common.content_version``), so every page, calendar and feed shows the change at once.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from modeltranslation.utils import build_localized_fieldname

from common.timezones import NEW_YORK

from .models import DEFAULT_TITLES, Meeting, MeetingChange

# The suffixes of the translated columns: en, ar, zh_hans, fr, ru, es.
LANGUAGES = [build_localized_fieldname("", code)[1:] for code, _name in settings.LANGUAGES]

# The default of an argument that leaves that part of the meeting as it is (None is a value:
# no overflow room).
UNCHANGED = object()

# What a delegation's calendar must learn of, in the order the change log lists it.
TRACKED = ("starts_at", "ends_at", "room", "overflow_room", "status")
# The keys of MeetingChange.changes (sessions/changes.py reads them).
CHANGE_KEYS = {"starts_at": "starts_at", "ends_at": "ends_at", "room": "room_id",
               "overflow_room": "overflow_room_id", "status": "status"}
TRANSLATED_DETAILS = ("title", "agenda")
# What meeting_schedule accepts besides time and place: `title` (English) or `title_fr`...
DETAILS = ("title", "kind", "closed", "agenda", *(
    f"{name}_{language}" for name in TRANSLATED_DETAILS for language in LANGUAGES))
CALLED_OFF = (Meeting.Status.POSTPONED, Meeting.Status.CANCELLED)


def meeting_schedule(*, session, number, starts_at, ends_at, room, overflow_room=None,
                     clusters=(), **details):
    """Put a new meeting on the schedule and return it.

    ``details`` may give the meeting's ``title``, ``kind``, ``closed`` and ``agenda``
    (otherwise the model's defaults); ``title`` and ``agenda`` are the English text, and
    ``title_fr``, ``agenda_zh_hans``... give the other languages. A meeting given no title in
    any language has the Journal's title in all six (``DEFAULT_TITLES``). Side effects: the
    meeting is saved as scheduled, at revision 0; a MeetingChange of kind "scheduled"
    (revision 0, no field changes) records
    what was announced, so a new meeting appears on /meetings/changes/ and in the changes feed
    like any other change; the save signals invalidate the page cache.
    """
    unknown = set(details) - set(DETAILS)
    if unknown:
        raise TypeError(f"meeting_schedule() got unexpected arguments: {sorted(unknown)}")
    for name in TRANSLATED_DETAILS:
        if name in details:
            details.setdefault(f"{name}_en", details[name])
            del details[name]  # else it would fill the language active now, not English
    if not any(details.get(f"title_{language}") for language in LANGUAGES):
        details.update({f"title_{language}": DEFAULT_TITLES[language] for language in LANGUAGES})
    with transaction.atomic():
        meeting = Meeting.objects.create(
            session=session, number=number, starts_at=starts_at, ends_at=ends_at, room=room,
            overflow_room=overflow_room, status=Meeting.Status.SCHEDULED, revision=0, **details,
        )
        if clusters:
            meeting.clusters.set(clusters)
        _record(meeting, kind=MeetingChange.Kind.SCHEDULED, changes={}, reasons={})
    return meeting


def meeting_reschedule(*, meeting, starts_at=UNCHANGED, ends_at=UNCHANGED, room=UNCHANGED,
                       overflow_room=UNCHANGED, reason=""):
    """Give the meeting a new time or place; a postponed or cancelled one is back on the schedule.

    Only the arguments given change (``overflow_room=None`` removes the overflow room). A
    meeting that was postponed or cancelled becomes scheduled again and loses the reason it
    was called off. Side effects: as ``meeting_change`` (revision raised, a MeetingChange of
    kind "moved", or "rescheduled" for a meeting called off until now, cache invalidated);
    nothing at all if the meeting already is so.
    """
    return meeting_change(
        meeting=meeting, starts_at=starts_at, ends_at=ends_at, room=room,
        overflow_room=overflow_room, status=Meeting.Status.SCHEDULED, reason=reason,
    )


def meeting_postpone(*, meeting, reason):
    """Postpone the meeting (it keeps its time until rescheduled) and say why.

    Side effects: as ``meeting_change`` (revision raised, so calendars mark it CANCELLED; a
    MeetingChange of kind "postponed" dated with the day it was to be held; cache invalidated).
    A blank reason is refused by the database.
    """
    return meeting_change(meeting=meeting, status=Meeting.Status.POSTPONED, reason=reason)


def meeting_cancel(*, meeting, reason):
    """Cancel the meeting and say why.

    Side effects: as ``meeting_change`` (revision raised, calendars mark it CANCELLED, a
    MeetingChange of kind "cancelled", cache invalidated). A blank reason is refused by the
    database.
    """
    return meeting_change(meeting=meeting, status=Meeting.Status.CANCELLED, reason=reason)


def meeting_change(*, meeting, starts_at=UNCHANGED, ends_at=UNCHANGED, room=UNCHANGED,
                   overflow_room=UNCHANGED, status=UNCHANGED, reason=""):
    """Change any of the meeting's time, rooms and status at once, as one revision.

    The services above are this with a status; the admin calls it with what an editor
    changed in one form. The stored row, locked, is what the change is measured against, so
    ``meeting`` may already hold the new values (as an admin form's instance does). Side
    effects, if anything differs from the stored row:

    - the meeting's time, rooms, status and revision are saved (revision + 1), and copied onto
      ``meeting``; its other fields are left as they are stored;
    - a postponed or cancelled meeting's ``status_reason`` becomes ``reason`` (or stays what
      it was if no reason is given); one that is scheduled again loses it. ``reason`` is the
      English text, or {language: text} for several languages ({"en": ..., "fr": ...,
      "zh-hans": ...}); a language it does not give is left empty (pages then show the
      English, marked as such);
    - a MeetingChange records {field: [old, new]}, the reason, the kind of change (postponed,
      cancelled, rescheduled, held, or moved when the status stays) and the meeting as it now
      is;
    - the save signals invalidate the page cache.

    Returns ``meeting``.
    """
    requested = {"starts_at": starts_at, "ends_at": ends_at, "room": room,
                 "overflow_room": overflow_room, "status": status}
    reasons = _in_languages(reason)
    reason_fields = [f"status_reason_{language}" for language in LANGUAGES]
    with transaction.atomic():
        stored = Meeting.objects.select_for_update().get(pk=meeting.pk)
        before = {name: getattr(stored, name) for name in TRACKED}
        new = {name: value for name, value in requested.items() if value is not UNCHANGED}
        changes = {
            CHANGE_KEYS[name]: [_readable(name, before[name]), _readable(name, new[name])]
            for name in TRACKED if name in new and _comparable(new[name]) != _comparable(
                before[name])
        }
        if changes:
            old_status, new_status = stored.status, new.get("status", stored.status)
            for name, value in new.items():
                setattr(stored, name, value)
            if new_status in CALLED_OFF and reasons:
                _set_reasons(stored, reasons)
            elif new_status not in CALLED_OFF and old_status in CALLED_OFF:
                _set_reasons(stored, {})
            stored.revision += 1
            stored.save(update_fields=[*TRACKED, *reason_fields, "revision", "updated_at"])
            _record(stored, kind=_kind(old_status, new_status), changes=changes,
                    reasons=reasons)
    for name in (*TRACKED, *reason_fields, "revision", "updated_at"):
        setattr(meeting, name, getattr(stored, name))
    return meeting


def _in_languages(text):
    """{"en": text} for a plain text; a mapping's keys as column suffixes ("zh-hans" ->
    "zh_hans"); empty texts dropped."""
    if not isinstance(text, dict):
        text = {"en": text}
    given = {build_localized_fieldname("", code)[1:]: value for code, value in text.items()}
    unknown = set(given) - set(LANGUAGES)
    if unknown:
        raise ValueError(f"Unknown languages for a reason: {sorted(unknown)}")
    return {language: value for language, value in given.items() if value}


def _set_reasons(meeting, reasons):
    for language in LANGUAGES:
        setattr(meeting, f"status_reason_{language}", reasons.get(language, ""))


def _kind(old_status, new_status):
    if new_status == old_status:
        return MeetingChange.Kind.MOVED
    return {
        Meeting.Status.POSTPONED: MeetingChange.Kind.POSTPONED,
        Meeting.Status.CANCELLED: MeetingChange.Kind.CANCELLED,
        Meeting.Status.HELD: MeetingChange.Kind.HELD,
        Meeting.Status.SCHEDULED: MeetingChange.Kind.RESCHEDULED,
    }[new_status]


def _record(meeting, *, kind, changes, reasons):
    """The MeetingChange of the meeting's current revision, with the meeting as it now is,
    its title, rooms and reason in every language (a language without one stays empty)."""
    overflow = meeting.overflow_room
    snapshot = {}
    for language in LANGUAGES:
        snapshot[f"title_{language}"] = getattr(meeting, f"title_{language}") or ""
        snapshot[f"room_{language}"] = getattr(meeting.room, f"name_{language}") or ""
        snapshot[f"overflow_room_{language}"] = (
            getattr(overflow, f"name_{language}") or "") if overflow else ""
        snapshot[f"reason_{language}"] = reasons.get(language, "")
    return MeetingChange.objects.create(
        meeting=meeting, revision=meeting.revision, kind=kind, changes=changes,
        number=meeting.number, starts_at=meeting.starts_at, ends_at=meeting.ends_at,
        status=meeting.status, **snapshot,
    )


def _comparable(value):
    return value.pk if hasattr(value, "pk") else value


def _readable(name, value):
    """A tracked value as people read it, in English whatever the editor's language: a
    room's name, a time in New York, a status label."""
    if value is None or value == "":
        return ""
    if name in ("room", "overflow_room"):
        return value.name_en
    if name == "status":
        with translation.override("en"):
            return str(Meeting.Status(value).label)
    return timezone.localtime(value, NEW_YORK).isoformat()
