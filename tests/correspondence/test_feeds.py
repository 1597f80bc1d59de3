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


def test_letters_feed_summaries_are_plain_text(client):
    from tests.factories import make_issued_letter, make_letterhead

    make_issued_letter(subject="On <b>reform</b> & the veto", reference="IGN/<i>1</i> & 2",
                       letterhead=make_letterhead(name="Co-Chairs <b>&</b> PGA"))

    response = client.get("/letters/feed/")
    feed = feedparser.parse(response.content)

    [entry] = feed.entries
    assert not feed.bozo
    assert b'<summary type="text">' in response.content
    assert b'type="html"' not in response.content
    assert entry.title == "On <b>reform</b> & the veto"
    assert entry.summary == "Co-Chairs <b>&</b> PGA · 12 January 2017 · IGN/<i>1</i> & 2"
    assert entry.summary_detail.type == "text/plain"
