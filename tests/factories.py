"""Plain factory helpers: make_<thing>(**overrides) returns a saved object."""

import contextlib
import datetime as dt
import functools
import itertools
import re
from unittest import mock

from clusters.models import Cluster
from common.timezones import NEW_YORK
from sessions.models import (
    CoChairAppointment,
    Meeting,
    MeetingChange,
    Mission,
    MissionAddress,
    Person,
    Room,
    Session,
    State,
)

_seq = itertools.count(1)
# Stored in place of a rendered PDF by tests that issue many letters and never read one.
PLACEHOLDER_PDF = b"%PDF-1.7 test letter\n%%EOF\n"


def _code():
    n = next(_seq)
    return "Z" + chr(65 + (n // 26) % 26) + chr(65 + n % 26)


PASSWORD = "pw-123456"


@functools.cache
def password_hash():
    """PASSWORD hashed once per test process by the production hasher (a second per hash)."""
    from django.contrib.auth.hashers import make_password

    return make_password(PASSWORD)


def make_user(username, **fields):
    """A user whose password is PASSWORD."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create(username=username, password=password_hash(),
                                           **fields)


def give_second_factor(user):
    """An authenticator app for ``user``, and recovery codes, as the TOTP set-up page makes
    them; returns its base32 secret, from which the tests compute codes
    (tests/common/test_signin.py)."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


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
    fields = {"number": number, "title": f"session {number}",
              "opens_on": dt.date(2016, 9, 13), "closes_on": dt.date(2017, 9, 11)}
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


def make_issued_letter(*, clusters=(), meetings=(), recipients=None, issued_at=None, pdf=None,
                       **overrides):
    """An issued letter, issued as the Secretariat issues one: a draft (`make_letter`, with
    the `overrides`), its meetings, clusters and recipients, then `letter_issue`, at noon in
    New York on its date unless `issued_at` says otherwise.

    `pdf`: bytes to store as the as-distributed PDF instead of rendering it, for tests that
    make many letters and never read their PDF; by default the PDF is rendered.
    """
    from correspondence.services import letter_issue

    n = next(_seq)
    overrides.setdefault("date", dt.date(2017, 1, 12))
    overrides.setdefault("subject", f"Letter number {n} on the intergovernmental negotiations")
    overrides.setdefault("body", "Excellency, I have the honour to inform you of the meetings.")
    letter = make_letter(**overrides)
    letter.clusters.set(clusters)
    letter.meetings.set(meetings)
    if recipients is not None:
        letter.recipients.set(recipients)
    at = issued_at or dt.datetime.combine(letter.date, dt.time(12), tzinfo=NEW_YORK)
    rendering = (contextlib.nullcontext() if pdf is None else
                 mock.patch("correspondence.services.render_letter_pdf", lambda letter: pdf))
    with rendering:
        return letter_issue(letter=letter, by=None, at=at)


def grow_session(session, *, meetings, letters):
    """Add `meetings` meetings (each in a cluster, each with a change) and `letters` issued
    letters (with placeholder PDFs) to the session, in bulk where the ORM allows it."""
    from common.content_version import bump_version

    room, overflow = make_room(name="Queries room A"), make_room(name="Queries room B")
    start = dt.datetime(2017, 2, 8, 15, tzinfo=dt.UTC)
    rows = Meeting.objects.bulk_create([
        Meeting(session=session, number=10 + i, starts_at=start + dt.timedelta(hours=6 * i),
                ends_at=start + dt.timedelta(hours=6 * i + 3), room=room, overflow_room=overflow)
        for i in range(meetings)
    ])
    Meeting.clusters.through.objects.bulk_create([
        Meeting.clusters.through(meeting=m, cluster=get_cluster(1 + m.number % 5)) for m in rows
    ])
    MeetingChange.objects.bulk_create([
        MeetingChange(meeting=m, revision=1, kind="cancelled", reason="Test",
                      changes={"status": ["Scheduled", "Cancelled"]}, number=m.number,
                      title=m.title, starts_at=m.starts_at, ends_at=m.ends_at, room=room.name,
                      overflow_room=overflow.name, status="cancelled") for m in rows
    ])
    for i in range(letters):
        make_issued_letter(session=session, date=dt.date(2017, 1, 1) + dt.timedelta(days=i),
                           meetings=rows[i:i + 2], clusters=[get_cluster(2)], pdf=PLACEHOLDER_PDF)
    bump_version()


_rooms = itertools.count(1)


def portal_meeting(**overrides):
    """make_meeting with a room whose name no seed room can take."""
    if overrides.get("room") is None:
        overrides["room"] = make_room(name=f"Portal test room {next(_rooms)}")
    return make_meeting(**overrides)


def meeting_form_data(meeting, **overrides):
    """The admin's change form for the meeting as the browser posts it, with `overrides`."""
    local_start = meeting.local_start
    data = {
        "session": meeting.session_id, "number": meeting.number, "kind": meeting.kind,
        "starts_at_0": local_start.strftime("%Y-%m-%d"),
        "starts_at_1": local_start.strftime("%H:%M:%S"),
        "ends_at_0": meeting.local_end.strftime("%Y-%m-%d"),
        "ends_at_1": meeting.local_end.strftime("%H:%M:%S"),
        "room": meeting.room_id, "overflow_room": "", "status": meeting.status,
        "clusters": [c.pk for c in meeting.clusters.all()],
    }
    # The translated fields in each language; `title="..."` etc. in `overrides` is English.
    for name in ("title", "status_reason", "agenda"):
        for language in ("en", "ar", "zh_hans", "fr", "ru", "es"):
            data[f"{name}_{language}"] = getattr(meeting, f"{name}_{language}") or ""
        if name in overrides:
            data[f"{name}_en"] = overrides.pop(name)
    data.update(overrides)
    return data


def post_meeting(admin_client, meeting, **overrides):
    """Post the meeting's admin change form (`meeting_form_data`)."""
    from django.urls import reverse

    url = reverse("admin:ign_sessions_meeting_change", args=[meeting.pk])
    return admin_client.post(url, meeting_form_data(meeting, **overrides))


def text_of(response):
    """The page's text as a reader sees it: tags dropped, whitespace collapsed. The tags that
    only mark a run's language or direction (``bdi``, ``span``) join their text to the next."""
    html = re.sub(r"</?(?:bdi|span)\b[^>]*>", "", response.content.decode())
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())
