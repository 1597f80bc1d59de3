"""The feed of meeting changes in each language (parsed with feedparser)."""

import feedparser
import pytest

from sessions.models import Meeting, MeetingChange
from sessions.services import meeting_postpone

pytestmark = pytest.mark.django_db




@pytest.mark.parametrize(("prefix", "language"), [("", "en"), ("/fr", "fr"), ("/ar", "ar"),
                                                  ("/zh-hans", "zh-hans")])
def test_changes_feed_says_its_language_and_links_to_its_pages(client, seeded, prefix, language):
    second = Meeting.objects.get(session__number=71, number=2)
    meeting_postpone(meeting=second, reason="Consultations continue")

    response = client.get(f"{prefix}/meetings/changes/feed/")
    feed = feedparser.parse(response.content)

    assert response.status_code == 200 and not feed.bozo
    assert response["Content-Language"] == language
    assert feed.feed.language == language
    assert feed.feed.link == f"http://testserver{prefix}/meetings/changes/"
    assert feed.entries[0].link == f"http://testserver{prefix}/meetings/{second.pk}/#revision-1"


def test_the_french_changes_feed_gives_the_reason_in_french(client, seeded):
    # Written for the translated content: the change records its reason in every language.
    second = Meeting.objects.get(session__number=71, number=2)
    meeting_postpone(meeting=second, reason="Consultations continue")
    MeetingChange.objects.filter(meeting=second, revision=1).update(
        reason_fr="Les consultations se poursuivent")

    french = feedparser.parse(client.get("/fr/meetings/changes/feed/").content)
    english = feedparser.parse(client.get("/meetings/changes/feed/").content)

    assert "Les consultations se poursuivent" in french.entries[0].summary
    assert "Consultations continue" in english.entries[0].summary
