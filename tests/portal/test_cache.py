"""The shared page cache: served from cache, never stale, never for signed-in staff."""

import datetime as dt

import feedparser
import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from icalendar import Calendar

from common.cache import VERSION_KEY
from tests.factories import text_of
from tests.sessions.test_admin import post_meeting

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def calendar_start(response, meeting):
    for event in Calendar.from_ical(response.content).walk("VEVENT"):
        if str(event["UID"]).startswith(f"meeting-{meeting.pk}@"):
            return event.decoded("DTSTART").astimezone(UTC), event["SEQUENCE"], event["STATUS"]
    raise AssertionError("meeting not in the calendar")


def test_second_anonymous_request_is_served_from_the_shared_cache(seeded):
    anonymous = Client()

    first, second = anonymous.get("/meetings/"), anonymous.get("/meetings/")

    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert first.content == second.content
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM ign_cache WHERE cache_key LIKE %s", ["%ign:page:%"])
        assert cursor.fetchone()[0] >= 1


def test_meeting_moved_in_admin_shows_at_once_on_pages_calendar_and_feed(admin_client, seeded):
    anonymous = Client()
    meeting = seeded.meetings.get(number=1)
    for url in ["/meetings/", "/meetings/calendar.ics", f"/meetings/{meeting.pk}/", "/"]:
        anonymous.get(url)
        assert anonymous.get(url)["X-Cache"] == "hit"

    response = post_meeting(admin_client, meeting, starts_at_1="15:00:00", ends_at_1="18:00:00")
    assert response.status_code == 302

    listing = anonymous.get("/meetings/")
    assert listing["X-Cache"] == "miss"
    assert "Monday, 6 February 2017, 15:00 New York time (EST)" in text_of(listing)
    assert "6 February 2017, 10:00" not in text_of(listing)
    assert calendar_start(anonymous.get("/meetings/calendar.ics"), meeting)[:2] == (
        dt.datetime(2017, 2, 6, 20, 0, tzinfo=UTC), 1)
    assert "15:00 New York time" in text_of(anonymous.get(f"/meetings/{meeting.pk}/"))
    feed = feedparser.parse(anonymous.get("/meetings/changes/feed/").content)
    assert feed.entries[0].title == "IGN meeting 1, 6 February 2017: start, end changed"


def test_meeting_cancelled_in_admin_is_marked_at_once(admin_client, seeded):
    anonymous = Client()
    meeting = seeded.meetings.get(number=2)
    anonymous.get("/meetings/calendar.ics")

    post_meeting(admin_client, meeting, status="cancelled", status_reason="Chamber closed")

    start, sequence, status = calendar_start(anonymous.get("/meetings/calendar.ics"), meeting)
    assert (sequence, str(status)) == (1, "CANCELLED")
    assert "Cancelled : Chamber closed" in text_of(anonymous.get("/meetings/"))


def test_signed_in_staff_are_never_served_from_nor_stored_in_the_cache(admin_client, seeded):
    Client().get("/meetings/")

    response = admin_client.get("/meetings/")

    assert "X-Cache" not in response
    assert "private" in response["Cache-Control"]


def test_lost_version_key_only_costs_a_miss(seeded):
    anonymous = Client()
    anonymous.get("/clusters/")
    cache.delete(VERSION_KEY)

    assert anonymous.get("/clusters/")["X-Cache"] == "miss"
    assert anonymous.get("/clusters/")["X-Cache"] == "hit"


def test_error_pages_are_not_cached(seeded):
    anonymous = Client()
    anonymous.get("/meetings/999999/")

    assert "X-Cache" not in anonymous.get("/meetings/999999/")


def test_feed_cached_for_one_host_is_not_served_to_another(client, letters_71, settings):
    settings.ALLOWED_HOSTS = ["portal.example.org", "other.example.org"]

    first = client.get("/letters/feed/", HTTP_HOST="portal.example.org")
    second = client.get("/letters/feed/", HTTP_HOST="other.example.org")

    assert first["X-Cache"] == second["X-Cache"] == "miss"
    assert b"http://other.example.org/letters/" in second.content
    assert b"portal.example.org" not in second.content


def test_staff_see_a_draft_and_anonymous_visitors_still_get_404(admin_client, letters_71):
    from django.test import Client

    draft = letters_71[2]

    staff = admin_client.get(draft.get_absolute_url())
    anonymous = Client().get(draft.get_absolute_url())

    assert staff.status_code == 200 and "X-Cache" not in staff
    assert anonymous.status_code == 404 and "X-Cache" not in anonymous
