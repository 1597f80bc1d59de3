"""The front door: the home page and the site's URLs."""

import datetime as dt

import pytest

from tests.factories import make_session, portal_meeting, text_of

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def test_home_names_session_president_co_chairs_and_meetings(client, seeded):
    response = client.get("/")

    text = text_of(response)
    assert response.status_code == 200
    assert "seventy-first session of the General Assembly" in text
    assert "H.E. Mr. Peter Thomson" in text
    assert "H.E. Mr. Ion Jinga, Permanent Representative of Romania" in text
    assert "H.E. Mr. Mohamed Khaled Khiari, Permanent Representative of Tunisia" in text
    # Both 71st-session meetings are past: the page says so and shows the latest one.
    assert "Next meeting No meeting scheduled." in text
    assert "Latest meeting Tuesday, 7 February 2017, 10:00 New York time (EST)" in text


def test_home_without_any_session_says_so(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "No session has been set up yet." in response.text


def test_english_urls_carry_no_language_prefix(client, seeded):
    assert client.get("/en/meetings/").status_code == 404
    assert client.get("/meetings/").status_code == 200


def test_home_shows_next_meeting_latest_letters_and_five_clusters(client, letters_71):
    upcoming = portal_meeting(session=make_session(
        opens_on=dt.date(2099, 9, 1), closes_on=dt.date(2100, 9, 1)),
        starts_at=dt.datetime(2099, 10, 3, 14, tzinfo=UTC))

    response = client.get("/")

    text = text_of(response)
    assert "Next meeting Saturday, 3 October 2099, 10:00 New York time (EDT)" in text
    assert f"IGN meeting {upcoming.number}" in text
    assert "Letter dated 12 January 2017 on the resumption of the negotiations" in text
    assert all(title in text for title in [
        "Categories of membership", "The question of the veto", "Regional representation",
        "Size of an enlarged Council and working methods of the Council",
        "The relationship between the Council and the General Assembly"])
