"""The read-only JSON API."""

import datetime as dt

import pytest

from correspondence.seed import CO_CHAIRS_SLUG, PGA_SLUG
from sessions.models import Meeting, Room
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def test_meetings_json_fields(client, seeded):
    data = client.get("/api/meetings.json").json()

    first = data["results"][0]
    meeting = Meeting.objects.get(session__number=71, number=1)
    assert (data["count"], data["limit"], data["offset"]) == (2, 100, 0)
    assert first == {
        "id": meeting.pk, "session": 71, "number": 1, "title": meeting.title,
        "kind": "informal_plenary", "kind_label": "Informal meeting of the plenary",
        "closed": False, "status": "held", "status_label": "Held", "status_reason": "",
        "starts_at": "2017-02-06T10:00:00-05:00", "ends_at": "2017-02-06T13:00:00-05:00",
        "starts_at_utc": "2017-02-06T15:00:00+00:00", "ends_at_utc": "2017-02-06T18:00:00+00:00",
        "timezone": "America/New_York", "room": "Trusteeship Council Chamber",
        "overflow_room": None,
        "clusters": ["categories-of-membership", "question-of-the-veto",
                     "regional-representation", "size-and-working-methods",
                     "relationship-with-the-general-assembly"],
        "agenda": meeting.agenda, "revision": 0,
        "updated_at": meeting.updated_at.astimezone(UTC).isoformat(),
        "url": f"http://127.0.0.1:8000/meetings/{meeting.pk}/",
        "calendar_url": f"http://127.0.0.1:8000/meetings/{meeting.pk}/calendar.ics",
    }


def test_meetings_json_filters_by_session_dates_and_limit(client, seeded):
    hall = Room.objects.get(name="General Assembly Hall")
    for day in range(1, 6):
        make_meeting(starts_at=dt.datetime(2017, 3, day, 15, tzinfo=UTC), room=hall)

    by_session = client.get("/api/meetings.json?session=71").json()
    by_dates = client.get("/api/meetings.json?start=2017-02-07&end=2017-03-02").json()
    limited = client.get("/api/meetings.json?limit=2&offset=1").json()

    assert [m["number"] for m in by_session["results"]] == [1, 2]
    assert [m["starts_at"][:10] for m in by_dates["results"]] == [
        "2017-02-07", "2017-03-01", "2017-03-02"]
    assert [m["starts_at"][:10] for m in limited["results"]] == ["2017-02-07", "2017-03-01"]


@pytest.mark.parametrize("query", [
    "limit=0", "limit=501", "limit=abc", "limit=-5", "start=2017-13-01", "end=yesterday",
    "start=2017-03-01&end=2017-02-01", "session=abc", "offset=-1", "colour=blue",
])
def test_meetings_json_malformed_query_is_json_400(client, db, query):
    response = client.get(f"/api/meetings.json?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"] == "invalid query"
    assert response.json()["details"]


def test_letters_json_lists_public_letters_with_filters(client, letters_71):
    everything = client.get("/api/letters.json").json()
    in_2016 = client.get("/api/letters.json?start=2016-01-01&end=2016-12-31&session=71").json()

    assert [x["slug"] for x in everything["results"]] == [
        "2017-01-12-pga-cover", PGA_SLUG, CO_CHAIRS_SLUG, "2016-11-09-appointment"]
    cover = everything["results"][0]
    assert cover["pdf_url"] == "http://127.0.0.1:8000/letters/2017-01-12-pga-cover.pdf"
    assert cover["date"] == "2017-01-12" and cover["session"] == 71
    assert len(cover["meetings"]) == 2 and len(cover["clusters"]) == 5
    assert [x["slug"] for x in in_2016["results"]] == ["2016-11-09-appointment"]
    assert client.get("/api/letters.json?limit=9999").status_code == 400
