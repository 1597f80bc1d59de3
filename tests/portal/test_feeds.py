"""The Atom feeds (parsed with feedparser), the sitemap and robots.txt."""

import datetime as dt
import xml.etree.ElementTree as ET

import feedparser
import pytest

from sessions.models import Meeting
from sessions.services import meeting_postpone, meeting_reschedule

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def test_changes_feed_publishes_each_change_newest_first(client, seeded):
    first, second = Meeting.objects.filter(session__number=71).order_by("number")
    meeting_reschedule(meeting=first, starts_at=dt.datetime(2017, 2, 6, 19, tzinfo=UTC),
                       ends_at=dt.datetime(2017, 2, 6, 22, tzinfo=UTC))
    meeting_postpone(meeting=second, reason="Consultations continue")

    response = client.get("/meetings/changes/feed/")
    feed = feedparser.parse(response.content)

    assert response.status_code == 200 and not feed.bozo
    assert feed.feed.title == "IGN meetings: changes of time, room and status"
    assert [e.title for e in feed.entries] == [
        "IGN meeting 2, 7 February 2017: status changed",
        "IGN meeting 1, 6 February 2017: start, end changed",
        # Put on the schedule by the seed, before either change.
        "IGN meeting 2, 7 February 2017: scheduled",
        "IGN meeting 1, 6 February 2017: scheduled",
    ]
    assert "Status: Scheduled → Postponed" in feed.entries[0].summary
    assert "Reason: Consultations continue" in feed.entries[0].summary
    assert "Monday, 6 February 2017, 14:00 New York time (EST)" in feed.entries[1].summary
    assert feed.entries[0].link.endswith(f"/meetings/{second.pk}/#revision-1")
    assert feed.entries[0].id != feed.entries[1].id


def test_letters_feed_publishes_issued_letters_only(client, letters_71):
    response = client.get("/letters/feed/")
    feed = feedparser.parse(response.content)

    assert response.status_code == 200 and not feed.bozo
    assert [e.title for e in feed.entries] == [
        "Letter dated 12 January 2017 on the resumption of the negotiations",
        "Letter dated 12 January 2017 on the resumption of the intergovernmental negotiations",
        "Letter dated 9 January 2017 from the Co-Chairs on the resumption of the "
        "intergovernmental negotiations",
        "Letter dated 9 November 2016 appointing the Co-Chairs",
    ]
    assert feed.entries[0].link == "http://testserver/letters/2017-01-12-pga-cover/"
    enclosure = feed.entries[0].enclosures[0]
    assert (enclosure.href, enclosure.type) == (
        "http://testserver/letters/2017-01-12-pga-cover.pdf", "application/pdf")
    assert int(enclosure.length) == len(bytes(letters_71[0].pdf))


def test_sitemap_lists_pages_meetings_sessions_clusters_and_public_letters(client, letters_71):
    response = client.get("/sitemap.xml")

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = {e.text for e in ET.fromstring(response.content).findall("s:url/s:loc", ns)}
    meeting = Meeting.objects.get(session__number=71, number=1)
    assert {
        "http://testserver/", "http://testserver/meetings/",
        f"http://testserver/meetings/{meeting.pk}/", "http://testserver/sessions/71/",
        "http://testserver/clusters/question-of-the-veto/",
        "http://testserver/letters/2017-01-12-pga-cover/",
    } <= urls
    assert not any("draft" in url for url in urls)


def test_robots_points_at_the_sitemap(client, db):
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode().splitlines()
