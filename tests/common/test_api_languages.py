"""The API in each language: the URL's prefix or ?lang= (which wins), Content-Language, the
same ids in every language, an unknown language a JSON 400; through the page cache."""

import json

import pytest
from django.core.cache import cache

from sessions.models import Meeting, Room

pytestmark = pytest.mark.django_db




def listed(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response, json.loads(response.content)


@pytest.mark.parametrize(("url", "language"), [
    ("/api/meetings.json", "en"), ("/fr/api/meetings.json", "fr"),
    ("/api/meetings.json?lang=fr", "fr"), ("/fr/api/meetings.json?lang=ru", "ru"),
    ("/zh-hans/api/meetings.json", "zh-hans"), ("/api/meetings.json?lang=ar", "ar"),
    ("/ar/api/letters.json", "ar"), ("/api/letters.json?lang=es", "es"),
])
def test_the_api_answers_in_the_language_asked_for(client, letters_71, url, language):
    response, data = listed(client, url)

    assert response["Content-Language"] == language
    assert data["language"] == language
    # A meeting's page in the language asked for; a letter's version at its own address (the
    # seed's letters are English only).
    for result in data["results"]:
        shown = result.get("language", language)
        prefix = "" if shown == "en" else f"/{shown}"
        assert result["url"].startswith(f"http://127.0.0.1:8000{prefix}/"), result["url"]
    assert data["results"]


def test_the_same_meetings_in_every_language(client, seeded):
    ids = {url: [(r["id"], r["status"], r["starts_at"]) for r in listed(client, url)[1][
        "results"]] for url in ["/api/meetings.json", "/fr/api/meetings.json",
                                "/api/meetings.json?lang=zh-hans"]}

    assert len(set(map(tuple, ids.values()))) == 1 and ids["/api/meetings.json"]


@pytest.mark.parametrize("url", ["/api/meetings.json?lang=xx", "/fr/api/meetings.json?lang=FR",
                                 "/api/letters.json?lang=zh", "/api/meetings.json?lang=en-us"])
def test_an_unknown_language_is_a_json_400(client, db, url):
    response = client.get(url)

    assert response.status_code == 400
    data = json.loads(response.content)
    assert data["error"] == "invalid query" and data["message"]
    [problem] = data["details"]["lang"]
    assert problem["code"] == "invalid_choice"
    # The message (in the URL's language) names every language the API speaks.
    assert all(code in problem["message"] for code in ("en", "ar", "zh-hans", "fr", "ru", "es"))


def test_a_language_asked_by_parameter_is_cached_under_it(client, seeded):
    cache.clear()
    first = client.get("/api/meetings.json?lang=fr")
    again = client.get("/api/meetings.json?lang=fr")
    english = client.get("/api/meetings.json")

    assert (first["X-Cache"], again["X-Cache"]) == ("miss", "hit")
    assert again["Content-Language"] == "fr" and english["Content-Language"] == "en"
    assert english["X-Cache"] == "miss"


def test_the_french_api_serves_french_content(client, seeded):
    # Written for the translated content (django-modeltranslation's title_fr, name_fr).
    meeting = Meeting.objects.get(session__number=71, number=1)
    Meeting.objects.filter(pk=meeting.pk).update(
        title_fr="Séance plénière informelle sur les négociations intergouvernementales")
    Room.objects.filter(pk=meeting.room_id).update(name_fr="Salle du Conseil de tutelle")

    for url in ["/fr/api/meetings.json", "/api/meetings.json?lang=fr"]:
        first = listed(client, url)[1]["results"][0]
        assert first["title"] == ("Séance plénière informelle sur les négociations "
                                  "intergouvernementales")
        assert first["room"] == "Salle du Conseil de tutelle"
    assert listed(client, "/api/meetings.json")[1]["results"][0]["room"] == (
        "Trusteeship Council Chamber")
