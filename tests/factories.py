"""Plain factory helpers: make_<thing>(**overrides) returns a saved object."""

import datetime as dt
import itertools
import re

from clusters.models import Cluster
from common.timezones import NEW_YORK
from sessions.models import (
    CoChairAppointment,
    Meeting,
    Mission,
    MissionAddress,
    Person,
    Room,
    Session,
    State,
)

_seq = itertools.count(1)


def _code():
    n = next(_seq)
    return "Z" + chr(65 + (n // 26) % 26) + chr(65 + n % 26)


def make_state(**overrides):
    code = overrides.pop("code", None) or _code()
    fields = {"code": code, "name": f"State {code}", "short_name": f"State {code}",
              "kind": State.Kind.MEMBER, "regional_group": "WEOG"}
    fields.update(overrides)
    return State.objects.create(**fields)


def make_mission(*, state=None, emails=("registry@mission.example",), **overrides):
    state = state or make_state()
    mission = Mission.objects.create(
        state=state, name=overrides.pop("name", f"Permanent Mission of {state.short_name}"),
        **overrides,
    )
    for email in emails:
        MissionAddress.objects.create(mission=mission, email=email)
    return mission


def make_person(**overrides):
    n = next(_seq)
    fields = {"honorific": "H.E. Mr.", "given_name": f"Given{n}", "family_name": f"Family{n}"}
    fields.update(overrides)
    return Person.objects.create(**fields)


def make_session(**overrides):
    number = overrides.pop("number", None) or 100 + next(_seq)
    fields = {"number": number, "opens_on": dt.date(2016, 9, 13),
              "closes_on": dt.date(2017, 9, 11)}
    fields.update(overrides)
    if "president" not in fields:
        fields["president"] = make_person()
    return Session.objects.create(**fields)


def make_room(**overrides):
    fields = {"name": f"Conference Room {next(_seq)}"}
    fields.update(overrides)
    return Room.objects.create(**fields)


def make_meeting(**overrides):
    """A meeting put on the schedule by the services, then postponed or cancelled if asked."""
    from sessions.services import meeting_change, meeting_schedule

    session = overrides.pop("session", None) or make_session()
    starts_at = overrides.pop(
        "starts_at", dt.datetime(2017, 2, 6, 10, 0, tzinfo=NEW_YORK)
    )
    status = overrides.pop("status", Meeting.Status.SCHEDULED)
    reason = overrides.pop("status_reason", "")
    meeting = meeting_schedule(
        session=session, number=overrides.pop("number", None) or next(_seq),
        starts_at=starts_at, ends_at=overrides.pop("ends_at", starts_at + dt.timedelta(hours=3)),
        room=overrides.pop("room", None) or make_room(), **overrides,
    )
    if status != Meeting.Status.SCHEDULED:
        meeting_change(meeting=meeting, status=status, reason=reason)
    return meeting


def make_cochair(**overrides):
    session = overrides.pop("session", None) or make_session()
    state = overrides.pop("state", None) or make_state()
    person = overrides.pop("person", None) or make_person(state=state)
    fields = {"session": session, "person": person, "state": state,
              "appointed_on": dt.date(2016, 10, 26)}
    fields.update(overrides)
    return CoChairAppointment.objects.create(**fields)


def get_cluster(number):
    return Cluster.objects.get(number=number)


def make_letterhead(**overrides):
    from correspondence.models import Letterhead

    n = next(_seq)
    fields = {"name": f"Office {n}", "heading": f"OFFICE {n}"}
    fields.update(overrides)
    return Letterhead.objects.create(**fields)


def make_letter(*, signatories=1, **overrides):
    """A draft letter ready to issue (dated, with a body and `signatories` signatures)."""
    from correspondence.models import Letter, Signatory

    n = next(_seq)
    fields = {
        "slug": f"letter-{n}", "date": dt.date(2017, 3, 1), "subject": f"Letter {n}",
        "addressee": "To All Permanent Representatives to the United Nations\nNew York",
        "body": f"The body of letter {n}.",
    }
    fields.update(overrides)
    if "session" not in fields:
        fields["session"] = make_session()
    if "letterhead" not in fields:
        fields["letterhead"] = make_letterhead()
    letter = Letter.objects.create(**fields)
    for position in range(1, signatories + 1):
        person = make_person()
        Signatory.objects.create(letter=letter, position=position, person=person,
                                 block=f"{person.display_name}\nSignatory {position}")
    return letter


def text_of(response):
    """The page's text as a reader sees it: tags dropped, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
