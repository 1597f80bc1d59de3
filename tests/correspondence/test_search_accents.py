"""Search finds what people type: accents and case aside, signatures included, meetings by
their label; in the public letters search, the admin's lists and its autocompletes."""

import datetime as dt

import pytest
from django.urls import reverse

from common.timezones import NEW_YORK
from correspondence.models import Signatory
from tests.factories import (
    make_issued_letter,
    make_letter,
    make_meeting,
    make_mission,
    make_person,
    make_session,
    make_state,
    text_of,
)

pytestmark = pytest.mark.django_db
SIGNED = "Letter dated 2 October 2017 on the continuation of the negotiations"
OTHER = "Letter dated 3 October 2017 on the rooms"


@pytest.fixture
def lajcak(db):
    return make_person(honorific="H.E. Mr.", given_name="Miroslav", family_name="Lajčák",
                       title="President of the General Assembly")


@pytest.fixture
def signed_letters(lajcak):
    """A letter signed by Mr. Lajčák (his name nowhere else in it), and one that is not."""
    signed = make_letter(subject=SIGNED, signatories=0, date=dt.date(2017, 10, 2),
                         body="I have the honour to write about the reform of the Council.")
    Signatory.objects.create(letter=signed, position=1, person=lajcak,
                             block="Miroslav Lajčák\nPresident of the General Assembly")
    make_issued_letter(subject=OTHER, date=dt.date(2017, 10, 3), body="The rooms.")
    from correspondence.services import letter_issue

    return letter_issue(letter=signed, by=None)


def listed(client, query):
    text = text_of(client.get("/letters/", {"q": query}))
    return [subject for subject in (SIGNED, OTHER) if subject in text]


@pytest.mark.parametrize("query", ["Lajcak", "lajčák", "LAJCAK", "Miroslav Lajcak",
                                   "lajcak reform"])
def test_public_search_finds_the_letter_by_its_signatory(client, signed_letters, query):
    assert listed(client, query) == [SIGNED]


def test_public_search_ignores_accents_in_the_letter_too(client, lajcak):
    make_issued_letter(subject=OTHER, body="The delegation of Côte d’Ivoire spoke.")

    assert listed(client, "cote") == [OTHER]
    assert listed(client, "Côte") == [OTHER]


def test_public_search_refuses_a_line_break(client):
    response = client.get("/letters/", {"q": "reform\nveto"})

    assert response.status_code == 400
    assert "This must be one line of text" in text_of(response)


def test_admin_person_list_finds_lajcak(admin_client, lajcak):
    make_person(given_name="Peter", family_name="Thomson")

    text = admin_client.get(reverse("admin:ign_sessions_person_changelist"),
                            {"q": "Lajcak"}).text

    assert "Miroslav Lajčák" in text and "Thomson" not in text
    assert "1 result" in text


def autocomplete(admin_client, model_name, field_name, term, app_label="correspondence"):
    response = admin_client.get("/admin/autocomplete/", {
        "app_label": app_label, "model_name": model_name, "field_name": field_name,
        "term": term})
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_admin_autocompletes_find_people_letters_and_missions_without_accents(
        admin_client, signed_letters):
    make_person(given_name="Peter", family_name="Thomson")
    make_mission(state=make_state(name="Côte d’Ivoire", short_name="Côte d’Ivoire"))
    make_mission(state=make_state(name="Romania", short_name="Romania"))

    assert autocomplete(admin_client, "signatory", "person", "Lajcak") == [
        "H.E. Mr. Miroslav Lajčák"]
    assert autocomplete(admin_client, "enclosure", "enclosed_letter", "lajcak") == [SIGNED]
    assert autocomplete(admin_client, "letter", "recipients", "cote") == [
        "Permanent Mission of Côte d’Ivoire"]
    assert autocomplete(admin_client, "session", "president", "LAJCAK",
                        app_label="ign_sessions") == ["H.E. Mr. Miroslav Lajčák"]


@pytest.fixture
def meetings(db):
    session = make_session(number=71)
    first = make_meeting(session=session, number=1,
                         starts_at=dt.datetime(2017, 2, 6, 10, tzinfo=NEW_YORK))
    second = make_meeting(session=session, number=2,
                          starts_at=dt.datetime(2017, 2, 7, 15, tzinfo=NEW_YORK))
    # Late in the evening in New York: already 7 February in UTC.
    make_meeting(session=make_session(number=72), number=1,
                 starts_at=dt.datetime(2018, 2, 6, 21, tzinfo=NEW_YORK))
    return first, second


@pytest.mark.parametrize(("term", "expected"), [
    ("IGN meeting 1, 6 February 2017", ["IGN meeting 1, 6 February 2017"]),
    ("meeting 1, 6 February 2017", ["IGN meeting 1, 6 February 2017"]),
    ("6 February 2017", ["IGN meeting 1, 6 February 2017"]),
    ("6 Feb 2017", ["IGN meeting 1, 6 February 2017"]),
    ("February 6, 2017", ["IGN meeting 1, 6 February 2017"]),
    ("2017-02-07", ["IGN meeting 2, 7 February 2017"]),
    ("7 February 2018", []),
    ("2", ["IGN meeting 2, 7 February 2017"]),
    ("2nd meeting", ["IGN meeting 2, 7 February 2017"]),
    ("1", ["IGN meeting 1, 6 February 2017", "IGN meeting 1, 6 February 2018"]),
    ("meeting 1", ["IGN meeting 1, 6 February 2017", "IGN meeting 1, 6 February 2018"]),
    ("February 2017", ["IGN meeting 1, 6 February 2017", "IGN meeting 2, 7 February 2017"]),
    ("2017", ["IGN meeting 1, 6 February 2017", "IGN meeting 2, 7 February 2017"]),
    ("plenary", ["IGN meeting 1, 6 February 2017", "IGN meeting 2, 7 February 2017",
                 "IGN meeting 1, 6 February 2018"]),
    ("3", []),
    # Out of the calendar's reach: no meeting, and no error.
    ("31 December 9999", []),
    ("December 9999", []),
    ("0000", []),
])
def test_meetings_autocomplete_finds_a_meeting_as_its_label_reads(
        admin_client, meetings, term, expected):
    assert autocomplete(admin_client, "letter", "meetings", term) == expected


def test_meeting_list_search_finds_by_date_and_by_room_without_accents(admin_client, meetings):
    first, _second = meetings
    first.room.name = "Salle de l’Assemblée"
    first.room.save()
    url = reverse("admin:ign_sessions_meeting_changelist")

    by_room = admin_client.get(url, {"q": "assemblee"}).text
    by_date = admin_client.get(url, {"q": "7 February 2017"}).text

    assert "IGN meeting 1, 6 February 2017" in by_room
    assert "IGN meeting 2, 7 February 2017" not in by_room
    assert "IGN meeting 2, 7 February 2017" in by_date
    assert "IGN meeting 1, 6 February 2017" not in by_date


@pytest.mark.parametrize(("family_name", "term"), [
    ("Łukaszewicz", "lukaszewicz"), ("Søndergaard", "SONDERGAARD"), ("Großmann", "grossmann"),
    ("Ngô Đình", "ngo dinh"), ("Ó Ceallaigh", "o ceallaigh"), ("100%_Sure", "100%_sure"),
])
def test_admin_person_search_folds_letters_the_same_on_every_database(
        admin_client, family_name, term):
    make_person(given_name="Anna", family_name=family_name)
    make_person(given_name="Bruno", family_name="100 percent")

    assert autocomplete(admin_client, "signatory", "person", term) == [
        f"H.E. Mr. Anna {family_name}"]


@pytest.mark.parametrize("term", ["\uff05", "\uff3f", "\uff3c", "\ufe6a", "\u2216"])
def test_lookalikes_of_like_wildcards_are_taken_literally(admin_client, term):
    # unaccent folds them into "%", "_" and "\": they must not match every name.
    make_person(given_name="Anna", family_name="Plain")
    make_person(given_name="Bruno", family_name="Other")

    assert autocomplete(admin_client, "signatory", "person", term) == []


@pytest.mark.parametrize(("prefix", "term"), [
    ("/fr", "6 février 2017"), ("/fr", "6 fevrier 2017"), ("/es", "6 de febrero de 2017"),
    ("/ru", "6 февраля 2017 года"), ("/ar", "6 فبراير 2017"), ("/zh-hans", "2017年2月6日"),
])
def test_meetings_autocomplete_reads_a_day_in_the_admins_language(
        admin_client, meetings, prefix, term):
    from django.conf import settings
    from django.utils import translation

    first, _second = meetings
    response = admin_client.get(f"{prefix}/admin/autocomplete/", {
        "app_label": "correspondence", "model_name": "letter", "field_name": "meetings",
        "term": term})
    translation.activate(settings.LANGUAGE_CODE)

    assert [r["id"] for r in response.json()["results"]] == [str(first.pk)]
