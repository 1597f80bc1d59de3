"""The letters list's filters and search (full-text on PostgreSQL, words on SQLite)."""

import datetime as dt

import pytest

from tests.factories import make_issued_letter, make_session, text_of

pytestmark = pytest.mark.django_db
COVER = "Letter dated 12 January 2017 on the resumption of the negotiations"
APPOINTMENT = "Letter dated 9 November 2016 appointing the Co-Chairs"


@pytest.mark.parametrize(("query", "expected"), [
    ("q=convene+meetings", [COVER]),
    ("q=Romania+Tunisia", [APPOINTMENT]),
    ("q=appoint", [APPOINTMENT]),
    ("q=veto+abolition", []),
    ("year=2016", [APPOINTMENT]),
    ("session=71&year=2017", [COVER]),
    ("session=72", ["Letter of the 72nd session"]),
    ("", ["Letter of the 72nd session", COVER, APPOINTMENT]),
])
def test_letters_filters_and_search(client, letters_71, query, expected):
    make_issued_letter(
        session=make_session(number=72, opens_on=dt.date(2017, 9, 12),
                             closes_on=dt.date(2018, 9, 17)),
        date=dt.date(2017, 10, 2), subject="Letter of the 72nd session")

    text = text_of(client.get(f"/letters/?{query}"))

    shown = [s for s in [COVER, APPOINTMENT, "Letter of the 72nd session"] if s in text]
    assert sorted(shown) == sorted(expected)
    assert "Unissued draft" not in text


def test_letters_malformed_filter_page_says_why(client, letters_71):
    response = client.get("/letters/?year=abc&session=0")

    text = text_of(response)
    assert response.status_code == 400
    assert "Search not understood" in text
    assert "Enter a whole number." in text
    assert "Ensure this value is greater than or equal to 1." in text
