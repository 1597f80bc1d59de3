"""The feed of meeting changes (parsed with feedparser)."""

import datetime as dt

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


def test_changes_feed_summaries_are_plain_text(client):
    from tests.factories import make_meeting

    meeting = make_meeting(agenda="<b>Cluster</b> 1 & 2")
    meeting_postpone(meeting=meeting, reason="<b>Consultations</b> & more")

    response = client.get("/meetings/changes/feed/")
    feed = feedparser.parse(response.content)

    entry = feed.entries[0]
    assert not feed.bozo
    assert b'type="html"' not in response.content
    assert response.content.count(b'<summary type="text">') == 2
    assert entry.summary_detail.type == "text/plain"
    assert entry.summary.endswith("Reason: <b>Consultations</b> & more")
