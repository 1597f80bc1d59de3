"""The feed of letters in each language (parsed with feedparser): each letter once, in its
version in the feed's language where there is one, each entry saying its own language."""

import datetime as dt

import feedparser
import pytest

from tests.factories import make_issued_letter

pytestmark = pytest.mark.django_db




def parsed(client, url):
    response = client.get(url)
    feed = feedparser.parse(response.content)
    assert response.status_code == 200 and not feed.bozo, feed.get("bozo_exception")
    return response, feed


def test_letters_feed_says_its_language(client, letters_71):
    for prefix, language in [("", "en"), ("/fr", "fr"), ("/ru", "ru"), ("/zh-hans", "zh-hans")]:
        response, feed = parsed(client, f"{prefix}/letters/feed/")

        assert response["Content-Language"] == language
        assert feed.feed.language == language
        assert feed.feed.link == f"http://testserver{prefix}/letters/"
        # English letters, not issued in another language: entries in English, said so.
        assert {e.title_detail.language for e in feed.entries} == {"en"}
        assert len(feed.entries) == 4


def test_a_french_letter_is_a_french_entry_in_every_feed(client, db):
    make_issued_letter(language="fr", date=dt.date(2017, 1, 12), pdf=b"%PDF-1.7\n%%EOF\n",
                       subject="Lettre sur la reprise des négociations intergouvernementales",
                       body="J’ai l’honneur de vous informer de la reprise des négociations.")

    for prefix in ("", "/fr", "/es"):
        _response, feed = parsed(client, f"{prefix}/letters/feed/")

        [entry] = feed.entries
        assert entry.title == "Lettre sur la reprise des négociations intergouvernementales"
        assert entry.title_detail.language == "fr"
        # The date as French letters write it (correspondence.dates).
        assert "12 janvier 2017" in entry.summary


def test_the_french_feed_holds_the_french_version_and_the_english_one_the_original(client, db):
    # Written for the language versions of letters (Letter.version_of).
    original = make_issued_letter(language="en", pdf=b"%PDF-1.7\n%%EOF\n",
                                  subject="Letter on the resumption of the negotiations")
    make_issued_letter(language="fr", version_of=original, slug=original.slug,
                       pdf=b"%PDF-1.7\n%%EOF\n",
                       subject="Lettre sur la reprise des négociations",
                       body="J’ai l’honneur de vous informer de la reprise des négociations.")

    english = [(e.title, e.title_detail.language)
               for e in parsed(client, "/letters/feed/")[1].entries]
    french = [(e.title, e.title_detail.language)
              for e in parsed(client, "/fr/letters/feed/")[1].entries]
    spanish = [(e.title, e.title_detail.language)
               for e in parsed(client, "/es/letters/feed/")[1].entries]

    assert english == [("Letter on the resumption of the negotiations", "en")]
    assert french == [("Lettre sur la reprise des négociations", "fr")]
    assert spanish == english
