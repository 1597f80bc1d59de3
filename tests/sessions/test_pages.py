"""The first public pages: the home page and the meetings list."""

import pytest

from tests.factories import text_of

pytestmark = pytest.mark.django_db


def test_home_names_session_president_co_chairs_and_meetings(client, seeded):
    response = client.get("/")

    text = text_of(response)
    assert response.status_code == 200
    assert "71st session of the General Assembly" in text
    assert "H.E. Mr. Peter Thomson" in text
    assert "H.E. Mr. Ion Jinga, Permanent Representative of Romania" in text
    assert "H.E. Mr. Mohamed Khaled Khiari, Permanent Representative of Tunisia" in text
    # Both 71st-session meetings are past: the page says so and shows the latest one.
    assert "Next meeting No meeting scheduled." in text
    assert "Latest meeting Tuesday, 7 February 2017, 10:00 New York time (EST)" in text


def test_meetings_list_shows_date_time_with_zone_room_and_status(client, seeded):
    response = client.get("/meetings/")

    text = text_of(response)
    assert response.status_code == 200
    assert ("Monday, 6 February 2017, 10:00 New York time (EST) IGN meeting 1 : "
            "Informal meeting of the plenary Trusteeship Council Chamber Held") in text
    assert "Tuesday, 7 February 2017, 10:00 New York time (EST)" in text


def test_home_without_any_session_says_so(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "No session has been set up yet." in response.text


def test_english_urls_carry_no_language_prefix(client, seeded):
    assert client.get("/en/meetings/").status_code == 404
    assert client.get("/meetings/").status_code == 200
