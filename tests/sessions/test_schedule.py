"""The meetings list, a meeting's page, a session's page and the changes page."""

import datetime as dt
import re

import pytest

from sessions.models import Meeting, Room
from sessions.services import meeting_cancel, meeting_reschedule
from tests.factories import get_cluster, make_session, portal_meeting, text_of

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def headings(response):
    return re.findall(r"<h[23][^>]*>([^<]+)</h[23]>", response.content.decode())


def test_meetings_list_upcoming_first_then_past_by_month(client, seeded):
    session = make_session(opens_on=dt.date(2099, 9, 1), closes_on=dt.date(2100, 9, 1))
    portal_meeting(session=session, starts_at=dt.datetime(2099, 11, 3, 15, tzinfo=UTC))
    portal_meeting(session=session, starts_at=dt.datetime(2099, 10, 3, 14, tzinfo=UTC))

    response = client.get("/meetings/")

    assert response.status_code == 200
    assert headings(response)[:5] == [
        "Upcoming meetings", "October 2099", "November 2099", "Past meetings", "February 2017"]
    text = text_of(response)
    assert text.index("3 October 2099, 10:00 New York time (EDT)") < text.index(
        "3 November 2099, 10:00 New York time (EST)") < text.index("7 February 2017") < (
        text.index("6 February 2017"))


def test_meetings_list_keeps_cancelled_meeting_with_its_reason(client, seeded):
    meeting = Meeting.objects.get(session__number=71, number=2)
    meeting_cancel(meeting=meeting, reason="The Chamber is unavailable")

    text = text_of(client.get("/meetings/"))

    assert "Tuesday, 7 February 2017, 10:00 New York time (EST)" in text
    assert "Cancelled: The Chamber is unavailable" in text


def test_meetings_list_filters_by_cluster_and_status(client, seeded):
    lone = portal_meeting(session=seeded, starts_at=dt.datetime(2017, 3, 1, 15, tzinfo=UTC),
                        status=Meeting.Status.POSTPONED, status_reason="Consultations")
    lone.clusters.set([get_cluster(1)])
    Meeting.objects.get(session__number=71, number=1).clusters.set([get_cluster(2)])

    by_cluster = text_of(client.get("/meetings/?cluster=categories-of-membership"))
    by_status = text_of(client.get("/meetings/?status=postponed"))

    assert "1 March 2017" in by_cluster and "7 February 2017" in by_cluster
    assert "6 February 2017" not in by_cluster
    assert "1 March 2017" in by_status and "February 2017" not in by_status


def test_meetings_list_unknown_filter_is_400_with_the_reason(client, seeded):
    response = client.get("/meetings/?cluster=no-such-cluster&status=maybe")

    text = text_of(response)
    assert response.status_code == 400
    assert "There is no such cluster; choose one of the list." in text
    assert "There is no such status; choose one of the list." in text


def test_meetings_list_paginates_past_50_keeping_filters(client, seeded):
    start = dt.datetime(2017, 3, 1, 15, tzinfo=UTC)
    for i in range(55):
        portal_meeting(session=seeded, starts_at=start + dt.timedelta(days=i)).clusters.set(
            [get_cluster(3)])

    first = client.get("/meetings/?cluster=regional-representation")
    second = client.get("/meetings/?cluster=regional-representation&page=2")

    assert first.content.decode().count('class="meeting meeting--') == 50
    assert 'href="?cluster=regional-representation&amp;page=2"' in first.content.decode()
    assert second.content.decode().count('class="meeting meeting--') == 7
    assert "Page 2 of 2" in text_of(second)


def test_meeting_page_shows_letters_history_and_calendar_link(client, letters_71):
    meeting = Meeting.objects.get(session__number=71, number=1)
    meeting_reschedule(meeting=meeting, room=Room.objects.get(name="General Assembly Hall"))

    response = client.get(f"/meetings/{meeting.pk}/")

    text = text_of(response)
    assert "Letter dated 12 January 2017 on the resumption of the negotiations" in text
    assert "Room: Trusteeship Council Chamber → General Assembly Hall" in text
    assert f'href="/meetings/{meeting.pk}/calendar.ics"' in response.content.decode()
    assert "Add to calendar" in text
    assert "Unissued draft" not in text


def test_changes_page_lists_newest_first_with_times_in_new_york(client, seeded):
    first, second = Meeting.objects.filter(session__number=71).order_by("number")
    meeting_reschedule(meeting=first, starts_at=dt.datetime(2017, 2, 6, 20, tzinfo=UTC),
                       ends_at=dt.datetime(2017, 2, 6, 23, tzinfo=UTC))
    meeting_cancel(meeting=second, reason="No interpretation")

    text = text_of(client.get("/meetings/changes/"))

    assert text.index("IGN meeting 2, 7 February 2017") < text.index("IGN meeting 1, 6 February")
    assert ("Start: Monday, 6 February 2017, 10:00 New York time (EST) → "
            "Monday, 6 February 2017, 15:00 New York time (EST)") in text
    assert "Status: Scheduled → Cancelled" in text and "Reason: No interpretation" in text


def test_session_page_lists_meetings_letters_and_other_sessions(client, letters_71):
    make_session(number=72, title="seventy-second session", opens_on=dt.date(2017, 9, 12),
                 closes_on=dt.date(2018, 9, 17))

    text = text_of(client.get("/sessions/71/"))

    assert "Seventy-first session of the General Assembly" in text
    assert "H.E. Mr. Ion Jinga (Romania), appointed 26 October 2016" in text
    assert "Monday, 6 February 2017, 10:00 New York time (EST)" in text
    assert "Letter dated 9 November 2016 appointing the Co-Chairs" in text
    assert "Seventy-second session" in text
    assert client.get("/sessions/72/").status_code == 200


def test_meetings_list_shows_date_time_with_zone_room_and_status(client, seeded):
    response = client.get("/meetings/")

    text = text_of(response)
    assert response.status_code == 200
    assert ("Monday, 6 February 2017, 10:00 New York time (EST) IGN meeting 1 : "
            "Informal meeting of the plenary Trusteeship Council Chamber Held") in text
    assert "Tuesday, 7 February 2017, 10:00 New York time (EST)" in text
