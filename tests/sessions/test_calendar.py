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


# --- In each language -----------------------------------------------------------------------

PREFIXES = ["", "/ar", "/zh-hans", "/fr", "/ru", "/es"]


@pytest.mark.parametrize("path", ["/meetings/calendar.ics", "/clusters/question-of-the-veto/"
                                  "calendar.ics", "meeting"])
def test_one_meeting_has_one_uid_in_every_languages_calendar(client, seeded, path):
    meeting = Meeting.objects.get(session__number=71, number=1)
    path = f"/meetings/{meeting.pk}/calendar.ics" if path == "meeting" else path

    uids = {prefix: sorted(events(client.get(prefix + path))[1]) for prefix in PREFIXES}

    assert uids[""] and f"meeting-{meeting.pk}@127.0.0.1" in uids[""]
    assert all(found == uids[""] for found in uids.values()), uids


def test_each_languages_calendar_says_its_language_and_links_to_its_pages(client, seeded):
    meeting = Meeting.objects.get(session__number=71, number=1)

    for prefix, language in [("", "en"), ("/fr", "fr"), ("/zh-hans", "zh-hans"), ("/ar", "ar")]:
        response = client.get(f"{prefix}/meetings/calendar.ics")
        calendar, by_uid = events(response)
        event = by_uid[f"meeting-{meeting.pk}@127.0.0.1"]

        assert calendar["X-WR-CALNAME"].params["LANGUAGE"] == language
        assert event["SUMMARY"].params["LANGUAGE"] == language
        assert str(event["URL"]) == f"http://127.0.0.1:8000{prefix}/meetings/{meeting.pk}/"
        assert response["Content-Language"] == language


def test_a_french_calendar_says_english_where_a_translation_is_missing(client, db):
    meeting = portal_meeting(starts_at=dt.datetime(2017, 3, 1, 15, 0, tzinfo=UTC))
    meeting_postpone(meeting=meeting, reason="Hall unavailable")

    _, by_uid = events(client.get("/fr/meetings/calendar.ics"))

    event = by_uid[f"meeting-{meeting.pk}@127.0.0.1"]
    # The room has no French name: its English one, said to be English.
    assert event["LOCATION"].params["LANGUAGE"] == "en"
    # A French label before an English reason: no one language to give.
    assert "LANGUAGE" not in event["DESCRIPTION"].params


def test_the_french_calendar_is_in_french_and_the_english_one_unchanged(client, seeded):
    # Written for the translated content (django-modeltranslation's title_fr, name_fr).
    meeting = Meeting.objects.get(session__number=71, number=1)
    meeting_postpone(meeting=meeting, reason="Hall unavailable")
    Meeting.objects.filter(pk=meeting.pk).update(
        title_fr="Séance plénière informelle sur les négociations intergouvernementales",
        status_reason_fr="Salle indisponible")
    Room.objects.filter(pk=meeting.room_id).update(name_fr="Salle du Conseil de tutelle")
    veto = get_cluster(2)
    type(veto).objects.filter(pk=veto.pk).update(title_fr="La question du veto")
    uid = f"meeting-{meeting.pk}@127.0.0.1"

    _, french = events(client.get("/fr/meetings/calendar.ics"))
    _, english = events(client.get("/meetings/calendar.ics"))
    cluster_calendar, _veto = events(client.get(f"/fr/clusters/{veto.slug}/calendar.ics"))

    event = french[uid]
    assert str(event["LOCATION"]) == "Salle du Conseil de tutelle"
    assert event["LOCATION"].params["LANGUAGE"] == "fr"
    assert str(event["DESCRIPTION"]).startswith(
        "Séance plénière informelle sur les négociations intergouvernementales")
    assert "Salle indisponible" in str(event["DESCRIPTION"])
    assert event["DESCRIPTION"].params["LANGUAGE"] == "fr"
    assert "La question du veto" in [str(c) for c in event["CATEGORIES"].cats]
    assert str(cluster_calendar["X-WR-CALNAME"]).endswith("La question du veto")
    assert str(english[uid]["LOCATION"]) == "Trusteeship Council Chamber"
    assert english[uid]["LOCATION"].params["LANGUAGE"] == "en"
    assert "Hall unavailable" in str(english[uid]["DESCRIPTION"])
