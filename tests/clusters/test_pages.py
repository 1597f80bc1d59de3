"""The clusters' pages."""

import pytest

from tests.factories import text_of

pytestmark = pytest.mark.django_db


def test_cluster_list_shows_the_five_clusters(client, seeded):
    response = client.get("/clusters/")

    assert response.status_code == 200
    assert text_of(response).count("/clusters/") == 0
    assert response.content.decode().count('href="/clusters/') >= 6


def test_cluster_page_lists_its_meetings_and_letters(client, letters_71):
    response = client.get("/clusters/question-of-the-veto/")

    text = text_of(response)
    assert "Cluster 2: The question of the veto" in text
    assert "Monday, 6 February 2017, 10:00 New York time (EST)" in text
    assert "Letter dated 12 January 2017 on the resumption of the negotiations" in text
    assert "Letter dated 9 November 2016" not in text
    assert 'href="/clusters/question-of-the-veto/calendar.ics"' in response.content.decode()
