"""The public notice pages, the changes feed with the notices, a meeting's notices, and the
admin's review, send and cancel pages."""

import datetime as dt

import feedparser
import icalendar
import pytest
from django.utils import timezone

from correspondence.models import ScheduleNotice
from correspondence.notices.services import notice_send
from sessions.services import meeting_postpone, meeting_reschedule

from .conftest import soon

pytestmark = pytest.mark.django_db


@pytest.fixture
def postponed(announced, meetings):
    meeting_postpone(meeting=meetings[0], reason="The Chamber is unavailable")
    return meetings[0]


def test_notice_pages_list_and_show_a_released_notice_with_links_to_its_meetings(
        announced, meetings, publisher, client, django_assert_max_num_queries):
    meeting_postpone(meeting=meetings[1], reason="No quorum")
    for days in (20, 21, 22):  # more notices, more lines: no more queries
        meeting_reschedule(meeting=meetings[0], starts_at=soon(days), ends_at=soon(days, 13))
        notice_send(session=meetings[0].session, by=publisher)
    with django_assert_max_num_queries(10):
        listing = client.get("/meetings/notices/")
    page = client.get(f"/meetings/notices/{announced.number}/")

    assert listing.status_code == page.status_code == 200
    assert f'href="/meetings/notices/{announced.number}/"' in listing.text
    for meeting in meetings:
        assert f'href="/meetings/{meeting.pk}/"' in page.text
    assert "New meeting" in page.text and "Notice Room 1" in page.text
    assert client.get("/fr/meetings/notices/").status_code == 200


def test_a_notice_scheduled_for_later_or_cancelled_is_404(postponed, publisher, client):
    from correspondence.notices.services import notice_cancel

    later = notice_send(session=postponed.session, by=publisher,
                        send_at=timezone.now() + dt.timedelta(hours=2)).notice

    assert client.get(f"/meetings/notices/{later.number}/").status_code == 404
    assert f"/meetings/notices/{later.number}/" not in client.get("/meetings/notices/").text
    notice_cancel(notice=later, by=publisher)
    assert client.get(f"/meetings/notices/{later.number}/").status_code == 404
    assert client.get(f"/meetings/notices/{later.number}/notice.ics").status_code == 404
    assert client.get("/meetings/notices/999/").status_code == 404


def test_the_notice_calendar_carries_its_meetings_as_sent(postponed, publisher, client):
    notice = notice_send(session=postponed.session, by=publisher).notice

    response = client.get(f"/meetings/notices/{notice.number}/notice.ics")

    calendar = icalendar.Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert (str(calendar["METHOD"]), str(event["STATUS"]), int(event["SEQUENCE"])) == (
        "PUBLISH", "CANCELLED", postponed.revision)


def test_the_changes_feed_carries_the_notices(postponed, publisher, client):
    notice = notice_send(session=postponed.session, by=publisher).notice

    feed = feedparser.parse(client.get("/meetings/changes/feed/").content)

    [entry] = [e for e in feed.entries if e.link.endswith(f"/notices/{notice.number}/")]
    assert entry.title == f"Schedule notice {notice.number}: 1 meeting changed"
    assert entry.link.endswith(f"/meetings/notices/{notice.number}/")
    assert "Postponed" in entry.summary and "Reason: The Chamber is unavailable" in entry.summary
    assert feed.entries[0] is entry  # the newest first
    assert any(e.title.endswith(": status changed") for e in feed.entries)


def test_a_meetings_page_lists_its_released_notices(announced, meetings, client):
    page = client.get(f"/meetings/{meetings[0].pk}/")

    assert f'href="/meetings/notices/{announced.number}/"' in page.text
    assert "Schedule notices sent to the missions" in page.text


def test_the_admin_review_shows_the_net_change_in_the_recipients_languages(
        postponed, publisher, client):
    from sessions.models import Mission
    from tests.factories import make_mission

    make_mission(preferred_language="fr")
    make_mission(preferred_language="en")
    client.force_login(publisher)

    page = client.get(f"/admin/correspondence/schedulenotice/pending/{postponed.session_id}/")

    assert page.status_code == 200
    assert Mission.objects.count() == 2
    assert 'id="pending-es"' not in page.text  # no recipient reads Spanish
    assert 'id="pending-en"' in page.text and 'id="pending-fr"' in page.text
    assert "The Chamber is unavailable" in page.text and "Send a test to me" in page.text


def test_the_admin_sends_the_reviewed_notice_and_refuses_a_stale_review(
        postponed, meetings, publisher, client):
    from correspondence.notices.gathering import pending_notice
    from sessions.services import meeting_cancel

    client.force_login(publisher)
    url = f"/admin/correspondence/schedulenotice/pending/{postponed.session_id}/send/"
    reviewed = pending_notice(postponed.session).fingerprint
    meeting_cancel(meeting=meetings[1], reason="No quorum")

    stale = client.post(url, {"fingerprint": reviewed, "send_at": ""}, follow=True)
    assert "review them again" in stale.text
    assert ScheduleNotice.objects.count() == 1

    fresh = pending_notice(postponed.session).fingerprint
    sent = client.post(url, {"fingerprint": fresh, "send_at": ""}, follow=True)
    notice = ScheduleNotice.objects.get(number=announced_number(postponed) + 1)
    assert sent.status_code == 200 and "Distribution of" in sent.text
    assert [line.kind for line in notice.lines.all()] == ["postponed", "cancelled"]


def announced_number(meeting):
    return ScheduleNotice.objects.filter(lines__meeting=meeting).order_by("number").first().number


def test_sending_takes_the_permission_and_a_second_factor(postponed, client):
    from django.contrib.auth.models import Permission

    from tests.factories import make_user

    editor = make_user("editor", is_staff=True, email="e@secretariat.example")
    editor.user_permissions.add(Permission.objects.get(codename="view_schedulenotice"))
    client.force_login(editor)
    base = f"/admin/correspondence/schedulenotice/pending/{postponed.session_id}/"

    assert client.get(base).status_code == 200
    assert client.post(base + "send/", {"fingerprint": "x"}).status_code == 403
    assert client.post(base + "test/", {"language": "en"}).status_code == 403
    assert ScheduleNotice.objects.count() == 1


def test_send_at_in_the_past_is_refused_with_a_clear_message(postponed, publisher, client):
    from correspondence.notices.gathering import pending_notice

    client.force_login(publisher)
    url = f"/admin/correspondence/schedulenotice/pending/{postponed.session_id}/send/"

    page = client.post(url, {"fingerprint": pending_notice(postponed.session).fingerprint,
                             "send_at": "2017-02-06T10:00"}, follow=True)

    assert page.status_code == 200 and "The time to send at has passed" in page.text
    assert ScheduleNotice.objects.count() == 1
