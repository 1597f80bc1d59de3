"""The iCalendar feeds, parsed with icalendar as a calendar client would."""

import datetime as dt

import pytest
from icalendar import Calendar

from sessions.models import Meeting, Room
from sessions.services import meeting_cancel, meeting_postpone, meeting_reschedule
from tests.factories import get_cluster, portal_meeting

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return calendar, {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_calendar_shows_6_february_2017_at_15_utc_in_trusteeship_council_chamber(client, seeded):
    meeting = Meeting.objects.get(session__number=71, number=1)

    calendar, by_uid = events(client.get("/meetings/calendar.ics"))

    event = by_uid[f"meeting-{meeting.pk}@127.0.0.1"]
    assert event.decoded("DTSTART").astimezone(UTC) == dt.datetime(2017, 2, 6, 15, 0, tzinfo=UTC)
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert event["DTEND"].params["TZID"] == "America/New_York"
    assert str(event["LOCATION"]) == "Trusteeship Council Chamber"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["SEQUENCE"] == 0
    assert str(event["URL"]) == f"http://127.0.0.1:8000/meetings/{meeting.pk}/"
    assert "DTSTAMP" in event and "LAST-MODIFIED" in event
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    assert len(by_uid) == 2


def test_moving_a_meeting_raises_sequence_and_keeps_uid(client, seeded):
    meeting = Meeting.objects.get(session__number=71, number=1)
    uid = f"meeting-{meeting.pk}@127.0.0.1"
    starts_at = dt.datetime(2017, 2, 6, 15, 0, tzinfo=UTC) + dt.timedelta(hours=5)
    meeting_reschedule(meeting=meeting, starts_at=starts_at,
                       ends_at=starts_at + dt.timedelta(hours=3),
                       overflow_room=Room.objects.get(name="Conference Room 4"))

    _, by_uid = events(client.get("/meetings/calendar.ics"))

    assert by_uid[uid]["SEQUENCE"] == 1
    assert by_uid[uid].decoded("DTSTART").astimezone(UTC) == dt.datetime(
        2017, 2, 6, 20, 0, tzinfo=UTC)
    assert str(by_uid[uid]["LOCATION"]) == (
        "Trusteeship Council Chamber (overflow: Conference Room 4)")


def test_cancelled_and_postponed_meetings_stay_in_the_feed_as_cancelled(client, seeded):
    first, second = Meeting.objects.filter(session__number=71).order_by("number")
    meeting_cancel(meeting=first, reason="Hall unavailable")
    meeting_postpone(meeting=second, reason="Consultations continue")

    _, by_uid = events(client.get("/meetings/calendar.ics"))

    one, two = by_uid[f"meeting-{first.pk}@127.0.0.1"], by_uid[f"meeting-{second.pk}@127.0.0.1"]
    assert (str(one["STATUS"]), one["SEQUENCE"]) == ("CANCELLED", 1)
    assert (str(two["STATUS"]), two["SEQUENCE"]) == ("CANCELLED", 1)
    assert str(one["SUMMARY"]).startswith("CANCELLED: IGN meeting 1")
    assert str(two["SUMMARY"]).startswith("POSTPONED: IGN meeting 2")
    assert "Hall unavailable" in str(one["DESCRIPTION"])


def test_postponed_meeting_rescheduled_is_confirmed_again_with_a_higher_sequence(client, seeded):
    meeting = Meeting.objects.get(session__number=71, number=2)
    meeting_postpone(meeting=meeting, reason="Consultations continue")
    starts_at = dt.datetime(2017, 3, 9, 15, 0, tzinfo=UTC)

    meeting_reschedule(meeting=meeting, starts_at=starts_at,
                       ends_at=starts_at + dt.timedelta(hours=3))

    _, by_uid = events(client.get("/meetings/calendar.ics"))
    event = by_uid[f"meeting-{meeting.pk}@127.0.0.1"]
    assert (str(event["STATUS"]), event["SEQUENCE"]) == ("CONFIRMED", 2)
    assert event.decoded("DTSTART").astimezone(UTC) == starts_at
    assert not str(event["SUMMARY"]).startswith("POSTPONED")


def test_summer_meeting_is_in_daylight_time(client, db):
    meeting = portal_meeting(starts_at=dt.datetime(2017, 6, 20, 14, 0, tzinfo=UTC))

    _, by_uid = events(client.get(f"/meetings/{meeting.pk}/calendar.ics"))

    start = by_uid[f"meeting-{meeting.pk}@127.0.0.1"].decoded("DTSTART")
    assert (start.hour, start.tzname()) == (10, "EDT")


def test_cluster_calendar_holds_only_its_meetings(client, seeded):
    veto = get_cluster(2)
    other = portal_meeting(starts_at=dt.datetime(2017, 3, 1, 15, 0, tzinfo=UTC))
    other.clusters.set([get_cluster(1)])

    _, by_uid = events(client.get(f"/clusters/{veto.slug}/calendar.ics"))

    assert len(by_uid) == 2
    assert f"meeting-{other.pk}@127.0.0.1" not in by_uid


def test_conditional_get_answers_304_with_etag_and_last_modified(client, seeded):
    first = client.get("/meetings/calendar.ics")

    by_etag = client.get("/meetings/calendar.ics", headers={"If-None-Match": first["ETag"]})
    by_date = client.get("/meetings/calendar.ics",
                         headers={"If-Modified-Since": first["Last-Modified"]})

    assert (by_etag.status_code, by_date.status_code) == (304, 304)
    assert by_etag.content == b""


def test_conditional_get_after_a_change_answers_200(client, seeded):
    first = client.get("/meetings/calendar.ics")
    meeting = Meeting.objects.get(session__number=71, number=2)
    meeting_reschedule(meeting=meeting, room=Room.objects.get(name="General Assembly Hall"))

    again = client.get("/meetings/calendar.ics", headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 200
    assert b"General Assembly Hall" in again.content


def test_unknown_meeting_and_cluster_calendars_are_404(client, db):
    assert client.get("/meetings/999999/calendar.ics").status_code == 404
    assert client.get("/clusters/no-such-cluster/calendar.ics").status_code == 404
