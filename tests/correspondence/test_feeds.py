"""The feed of issued letters (parsed with feedparser)."""

import feedparser
import pytest

pytestmark = pytest.mark.django_db


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
