"""The pending notice of a session: each meeting's net change since it was last announced.

Computed afresh from the database on every call (the meetings, their `MeetingChange` rows and
the lines of the notices already sent), never kept in a process: any worker shows the same
pending notice, and sending it freezes what it showed (`services.notice_send`).

What a pending notice holds, per meeting of the session:

- a meeting announced before (a line in a notice not cancelled): one line when its time,
  rooms or status now differ from its last announced line's `after`, whatever the number of
  edits in between; edits that cancel out (moved and moved back) give no line, and are listed
  apart (`PendingNotice.unchanged`) so the publisher sees why;
- a meeting never announced: a line "scheduled" (or "postponed"/"cancelled" if it was called
  off before any notice: delegations may hold it from a letter or the public calendar);
- a meeting already over (its end has passed) gives no line: no calendar needs to learn of it.
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from django.utils import timezone

from common.timezones import NEW_YORK
from sessions.models import Meeting, MeetingChange
from sessions.services import LANGUAGES

from ..models import NoticeLine

# What a delegation's calendar must learn of; a line exists when one of them differs.
COMPARED = ("starts_at", "ends_at", "room_id", "overflow_room_id", "status")
CALLED_OFF = (Meeting.Status.POSTPONED, Meeting.Status.CANCELLED)


class Kind:
    """The kinds of net change a line reports (stored in `NoticeLine.kind`)."""

    SCHEDULED = "scheduled"
    MOVED = "moved"
    ROOM = "room"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"
    RESCHEDULED = "rescheduled"


def _names(obj, name):
    """{language suffix: text} of a translated field, the empty ones left out."""
    if obj is None:
        return {}
    return {language: value for language in LANGUAGES
            if (value := getattr(obj, f"{name}_{language}", "") or "")}


def meeting_snapshot(meeting):
    """The meeting as a notice records it (JSON): its times in New York, rooms by id and by
    name in every language, status and reason, number and title."""
    return {
        "number": meeting.number,
        "title": _names(meeting, "title"),
        "starts_at": timezone.localtime(meeting.starts_at, NEW_YORK).isoformat(),
        "ends_at": timezone.localtime(meeting.ends_at, NEW_YORK).isoformat(),
        "room_id": meeting.room_id,
        "room": _names(meeting.room, "name"),
        "overflow_room_id": meeting.overflow_room_id,
        "overflow_room": _names(meeting.overflow_room, "name"),
        "status": meeting.status,
        "reason": _names(meeting, "status_reason") if meeting.is_called_off else {},
    }


def _same_moment(a, b):
    return a == b or (bool(a) and bool(b) and
                      dt.datetime.fromisoformat(a) == dt.datetime.fromisoformat(b))


def differs(before, after):
    """The compared keys whose values differ (times compared as moments)."""
    return [key for key in COMPARED if not (
        _same_moment(before.get(key), after.get(key)) if key in ("starts_at", "ends_at")
        else before.get(key) == after.get(key))]


def kind_of(before, after):
    """The kind of net change from `before` (empty: never announced) to `after`."""
    status = after["status"]
    if not before:
        return {Meeting.Status.POSTPONED: Kind.POSTPONED,
                Meeting.Status.CANCELLED: Kind.CANCELLED}.get(status, Kind.SCHEDULED)
    if status != before.get("status"):
        if status == Meeting.Status.POSTPONED:
            return Kind.POSTPONED
        if status == Meeting.Status.CANCELLED:
            return Kind.CANCELLED
        if before.get("status") in CALLED_OFF:
            return Kind.RESCHEDULED
    changed = differs(before, after)
    if "starts_at" in changed or "ends_at" in changed:
        return Kind.MOVED
    return Kind.ROOM


def method_of(after):
    """iTIP: CANCEL for a meeting postponed or cancelled, REQUEST for any other."""
    return (NoticeLine.Method.CANCEL if after["status"] in CALLED_OFF
            else NoticeLine.Method.REQUEST)


@dataclass
class PendingLine:
    """One meeting's net change, as a `NoticeLine` will record it."""

    meeting: Meeting
    kind: str
    method: str
    before: dict
    after: dict
    revision: int
    # The MeetingChange rows since the last announcement (the edits this line sums up).
    edits: int = 0

    @property
    def meeting_id(self):
        return self.meeting.pk


@dataclass
class PendingNotice:
    session: object
    lines: list = field(default_factory=list)
    # Meetings edited since they were last announced whose edits cancel out: no line.
    unchanged: list = field(default_factory=list)

    @property
    def fingerprint(self):
        """A digest of the lines: the review page sends it back, so that a notice is sent
        only as it was reviewed (an edit meanwhile changes it)."""
        data = [(line.meeting_id, line.revision, line.kind, line.after) for line in self.lines]
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def last_announced(meetings):
    """{meeting id: the NoticeLine that last announced it} (notices not cancelled)."""
    found = {}
    for line in (NoticeLine.objects.filter(meeting__in=meetings, notice__cancelled_at__isnull=True)
                 .order_by("meeting_id", "-notice__number")):
        found.setdefault(line.meeting_id, line)
    return found


def pending_notice(session, *, now=None):
    """The pending notice of `session`: one line per meeting whose net change is not yet
    announced (see the module's docstring). Writes nothing."""
    now = now or timezone.now()
    meetings = list(Meeting.objects.filter(session=session, ends_at__gte=now)
                    .select_related("room", "overflow_room").order_by("starts_at", "pk"))
    announced = last_announced(meetings)
    edits = {}
    for meeting_id, revision in MeetingChange.objects.filter(
            meeting__in=meetings).values_list("meeting_id", "revision"):
        edits.setdefault(meeting_id, []).append(revision)
    pending = PendingNotice(session=session)
    for meeting in meetings:
        if meeting.status == Meeting.Status.HELD:
            continue
        last = announced.get(meeting.pk)
        before = last.after if last else {}
        after = meeting_snapshot(meeting)
        since = [r for r in edits.get(meeting.pk, []) if last is None or r > last.revision]
        if before and not differs(before, after):
            if since:
                pending.unchanged.append((meeting, len(since)))
            continue
        pending.lines.append(PendingLine(
            meeting=meeting, kind=kind_of(before, after), method=method_of(after),
            before=before, after=after, revision=meeting.revision, edits=len(since)))
    return pending
