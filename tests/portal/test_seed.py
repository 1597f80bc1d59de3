"""The 71st session's data, loaded from the seed letters."""

import csv
import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command

from clusters.models import Cluster
from sessions.models import (
    CoChairAppointment,
    GADocument,
    Meeting,
    MeetingChange,
    Mission,
    MissionAddress,
    Person,
    Session,
    State,
)
from sessions.seed import DATA_DIR

pytestmark = pytest.mark.django_db

MODELS = [State, Mission, MissionAddress, Person, Session, CoChairAppointment, GADocument,
          Meeting, MeetingChange, Cluster, Session.history.model, Meeting.history.model]


def snapshot():
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in MODELS}


def test_load_ign71_twice_changes_nothing():
    call_command("load_ign71", verbosity=0)
    first = snapshot()

    call_command("load_ign71", verbosity=0)

    assert snapshot() == first


def test_load_ign71_loads_the_session_its_president_and_co_chairs(seeded):
    session = Session.objects.get(number=71)
    co_chairs = [(a.person.display_name, a.state.short_name, a.appointed_on)
                 for a in session.co_chairs.select_related("person", "state")]
    assert session.president.display_name == "H.E. Mr. Peter Thomson"
    assert co_chairs == [
        ("H.E. Mr. Ion Jinga", "Romania", dt.date(2016, 10, 26)),
        ("H.E. Mr. Mohamed Khaled Khiari", "Tunisia", dt.date(2016, 10, 26)),
    ]
    assert str(session.mandate) == "decision 70/559"
    assert session.mandate.date == dt.date(2016, 7, 27)


def test_load_ign71_loads_the_first_two_meetings_in_the_trusteeship_council_chamber(seeded):
    meetings = [(m.local_start.isoformat(), m.room.name, m.clusters.count())
                for m in Meeting.objects.filter(session=seeded).order_by("number")]
    assert meetings == [
        ("2017-02-06T10:00:00-05:00", "Trusteeship Council Chamber", 5),
        ("2017-02-07T10:00:00-05:00", "Trusteeship Council Chamber", 5),
    ]


def test_load_ign71_loads_the_five_clusters_in_order(seeded):
    assert list(Cluster.objects.values_list("number", "title")) == [
        (1, "Categories of membership"),
        (2, "The question of the veto"),
        (3, "Regional representation"),
        (4, "Size of an enlarged Council and working methods of the Council"),
        (5, "The relationship between the Council and the General Assembly"),
    ]


def test_states_193_members_in_five_groups_and_two_observers(seeded):
    kinds = Counter(State.objects.values_list("kind", flat=True))
    groups = Counter(State.objects.filter(kind="member").values_list("regional_group", flat=True))
    observers = set(State.objects.filter(kind="observer").values_list("name", flat=True))
    assert kinds == {"member": 193, "observer": 2}
    assert groups == {"AFRICAN": 54, "ASIA_PACIFIC": 54, "EASTERN_EUROPEAN": 23,
                      "LATIN_AMERICAN_CARIBBEAN": 33, "WEOG": 29}
    assert observers == {"Holy See", "State of Palestine"}


def test_every_mission_has_a_placeholder_address_under_the_reserved_domain(seeded):
    addresses = list(MissionAddress.objects.values_list("email", flat=True))
    assert len(addresses) == Mission.objects.count() == 195
    assert all(a.endswith("@missions.example") for a in addresses)


def test_member_states_file_names_its_source():
    with (DATA_DIR / "member_states.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    source = (DATA_DIR / "member_states.SOURCE.md").read_text(encoding="utf-8")
    assert len(rows) == 195
    assert "un.org" in source
