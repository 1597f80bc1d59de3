"""The pending notice: one line per meeting with its net change since last announced."""

import pytest

from correspondence.notices.gathering import pending_notice
from sessions.services import meeting_postpone, meeting_reschedule
from tests.factories import make_meeting, make_room

from .conftest import soon

pytestmark = pytest.mark.django_db


def test_meetings_never_announced_are_announced_as_new_and_held_ones_are_left_out(
        session, meetings):
    make_meeting(session=session, number=9, starts_at=soon(-5))  # over

    pending = pending_notice(session)

    assert [(line.meeting.number, line.kind, line.method, line.before) for line in
            pending.lines] == [(1, "scheduled", "REQUEST", {}), (2, "scheduled", "REQUEST", {})]


def test_three_edits_of_one_meeting_give_one_line_with_the_net_change(announced, meetings):
    first = meetings[0]
    meeting_reschedule(meeting=first, starts_at=soon(12), ends_at=soon(12, 13))
    meeting_reschedule(meeting=first, room=make_room(name="Trusteeship Council Chamber"))
    meeting_reschedule(meeting=first, starts_at=soon(13), ends_at=soon(13, 13))

    [line] = pending_notice(first.session).lines

    assert (line.meeting, line.kind, line.edits, line.revision) == (first, "moved", 3, 3)
    assert line.before["starts_at"] == soon(10).isoformat()
    assert line.after["starts_at"] == soon(13).isoformat()
    assert line.after["room"]["en"] == "Trusteeship Council Chamber"


def test_moved_and_moved_back_gives_no_line_and_says_so(announced, meetings):
    first = meetings[0]
    meeting_reschedule(meeting=first, starts_at=soon(12), ends_at=soon(12, 13))
    meeting_reschedule(meeting=first, starts_at=soon(10), ends_at=soon(10, 13))

    pending = pending_notice(first.session)

    assert pending.lines == []
    assert pending.unchanged == [(first, 2)]


def test_postponed_is_a_cancel_and_a_room_change_a_request(announced, meetings):
    meeting_postpone(meeting=meetings[0], reason="The Chamber is unavailable")
    meeting_reschedule(meeting=meetings[1], room=make_room(name="Conference Room 4"))

    lines = pending_notice(meetings[0].session).lines

    assert [(line.meeting, line.kind, line.method) for line in lines] == [
        (meetings[0], "postponed", "CANCEL"), (meetings[1], "room", "REQUEST")]
    assert lines[0].after["reason"] == {"en": "The Chamber is unavailable"}


def test_a_sent_notice_leaves_nothing_pending(announced, meetings):
    assert pending_notice(meetings[0].session).lines == []
    assert [line.meeting for line in announced.lines.all()] == meetings
