"""The reference data every installation needs, and the 71st session from the seed letters.

Every loader here is idempotent: it creates what is missing and never overwrites what the
Secretariat has since edited, so running it again changes nothing.
"""

import csv
import datetime as dt
from pathlib import Path

from django.db import transaction

from clusters.models import Cluster
from common.timezones import NEW_YORK

from .models import (
    CoChairAppointment,
    GADocument,
    Mission,
    MissionAddress,
    Person,
    Room,
    Session,
    State,
)
from .services import meeting_schedule

DATA_DIR = Path(__file__).resolve().parent / "data"

# The wording of General Assembly decision 62/557 and of the 71st session's letters.
CLUSTERS = [
    (1, "categories-of-membership", "Categories of membership",
     "Whether an enlarged Council adds permanent members, non-permanent members, "
     "or both, and any intermediate category."),
    (2, "question-of-the-veto", "The question of the veto",
     "Whether the veto is kept, limited, extended to new permanent members or abolished."),
    (3, "regional-representation", "Regional representation",
     "How seats in an enlarged Council are shared among the regional groups."),
    (4, "size-and-working-methods",
     "Size of an enlarged Council and working methods of the Council",
     "How many members an enlarged Council has, and how the Council does its work."),
    (5, "relationship-with-the-general-assembly",
     "The relationship between the Council and the General Assembly",
     "How the Council reports to and works with the General Assembly."),
]

ROOMS = [
    ("Trusteeship Council Chamber", "Conference Building"),
    ("General Assembly Hall", "General Assembly Building"),
    ("Economic and Social Council Chamber", "Conference Building"),
    ("Security Council Chamber", "Conference Building"),
    ("Conference Room 1", "Conference Building"),
    ("Conference Room 2", "Conference Building"),
    ("Conference Room 3", "Conference Building"),
    ("Conference Room 4", "Conference Building"),
]

FIRST_MEETINGS_AGENDA = (
    "General comments on how delegations see the IGN process moving forward, including on "
    "the five key clusters: (i) categories of membership, (ii) the question of the veto, "
    "(iii) regional representation, (iv) size of an enlarged Council and working methods, "
    "and (v) relationship between the Council and the General Assembly."
)


def placeholder_address(state):
    """A distribution address under the reserved .example domain, replaced by the real list."""
    return f"{state.code.lower()}@missions.example"


@transaction.atomic
def load_states():
    """The 193 Member States and two Observer States, their missions and placeholder addresses."""
    with (DATA_DIR / "member_states.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    existing = set(State.objects.values_list("code", flat=True))
    new_states = [
        State(
            code=row["code"], name=row["name"], short_name=row["short_name"], kind=row["kind"],
            regional_group=row["regional_group"],
            admission_date=dt.date.fromisoformat(row["admission_date"])
            if row["admission_date"] else None,
        )
        for row in rows if row["code"] not in existing
    ]
    State.objects.bulk_create(new_states)
    by_code = {s.code: s for s in State.objects.all()}
    with_mission = set(Mission.objects.values_list("state__code", flat=True))
    Mission.objects.bulk_create([
        Mission(state=by_code[row["code"]], name=row["mission_name"])
        for row in rows if row["code"] not in with_mission
    ])
    with_address = set(MissionAddress.objects.values_list("mission_id", flat=True))
    MissionAddress.objects.bulk_create([
        MissionAddress(mission=mission, email=placeholder_address(mission.state))
        for mission in Mission.objects.select_related("state")
        if mission.pk not in with_address
    ])
    return len(new_states)


@transaction.atomic
def load_reference():
    for number, slug, title, description in CLUSTERS:
        Cluster.objects.get_or_create(
            number=number, defaults={"slug": slug, "title": title, "description": description}
        )
    for name, building in ROOMS:
        Room.objects.get_or_create(name=name, defaults={"building": building})
    load_states()


def _person(honorific, given, family, title="", state=None):
    person, _ = Person.objects.get_or_create(
        given_name=given, family_name=family,
        defaults={"honorific": honorific, "title": title, "state": state},
    )
    return person


@transaction.atomic
def load_session_71():
    """The 71st session: its President, Co-Chairs, mandate and first two meetings.

    The meetings are put on the schedule by ``meeting_schedule``, as the Secretariat would,
    so each has its "scheduled" entry in the change log; a meeting already there (perhaps
    moved since) is left alone.
    """
    load_reference()
    romania = State.objects.get(code="ROU")
    tunisia = State.objects.get(code="TUN")
    fiji = State.objects.get(code="FJI")
    mandate, _ = GADocument.objects.get_or_create(
        symbol="70/559", defaults={
            "kind": GADocument.Kind.DECISION, "date": dt.date(2016, 7, 27),
            "title": "Question of equitable representation on and increase in the membership "
                     "of the Security Council and other matters related to the Security Council",
        },
    )
    thomson = _person("H.E. Mr.", "Peter", "Thomson",
                      "President of the seventy-first session of the General Assembly", fiji)
    session, _ = Session.objects.get_or_create(number=71, defaults={
        "opens_on": dt.date(2016, 9, 13), "closes_on": dt.date(2017, 9, 11),
        "president": thomson, "mandate": mandate,
    })
    jinga = _person("H.E. Mr.", "Ion", "Jinga",
                    "Permanent Representative of Romania to the United Nations", romania)
    khiari = _person("H.E. Mr.", "Mohamed Khaled", "Khiari",
                     "Permanent Representative of Tunisia to the United Nations", tunisia)
    for order, (person, state) in enumerate([(jinga, romania), (khiari, tunisia)], start=1):
        CoChairAppointment.objects.get_or_create(session=session, person=person, defaults={
            "state": state, "appointed_on": dt.date(2016, 10, 26), "order": order,
        })
    chamber = Room.objects.get(name="Trusteeship Council Chamber")
    clusters = list(Cluster.objects.all())
    existing = set(session.meetings.values_list("number", flat=True))
    for number, day in [(1, 6), (2, 7)]:
        if number not in existing:
            meeting_schedule(
                session=session, number=number,
                starts_at=dt.datetime(2017, 2, day, 10, 0, tzinfo=NEW_YORK),
                ends_at=dt.datetime(2017, 2, day, 13, 0, tzinfo=NEW_YORK),
                room=chamber, agenda=FIRST_MEETINGS_AGENDA, clusters=clusters,
            )
    return session
