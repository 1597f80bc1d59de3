"""Every invariant the database holds is refused by the database itself."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from clusters.models import Cluster
from sessions.models import CoChairAppointment, Session, State
from sessions.services import meeting_cancel, meeting_reschedule
from tests.factories import (
    make_cochair,
    make_meeting,
    make_person,
    make_room,
    make_session,
    make_state,
)

pytestmark = pytest.mark.django_db


def refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_meeting_end_before_start_refused_by_database():
    meeting = make_meeting()
    refused(lambda: meeting_reschedule(meeting=meeting,
                                       ends_at=meeting.starts_at - dt.timedelta(hours=1)))


def test_meeting_sequence_number_unique_in_session():
    meeting = make_meeting(number=1)
    refused(lambda: make_meeting(session=meeting.session, number=1))
    assert make_meeting(number=1).number == 1  # another session may reuse it


def test_cancelled_meeting_without_reason_refused():
    meeting = make_meeting()
    refused(lambda: meeting_cancel(meeting=meeting, reason=""))


def test_overflow_room_must_differ_from_room():
    room = make_room()
    refused(lambda: make_meeting(room=room, overflow_room=room))


def test_same_person_appointed_twice_in_one_session_refused():
    appointment = make_cochair()
    refused(lambda: CoChairAppointment.objects.create(
        session=appointment.session, person=appointment.person, state=appointment.state,
        appointed_on=dt.date(2016, 10, 27)))


def test_session_closing_before_opening_refused():
    refused(lambda: make_session(opens_on=dt.date(2017, 1, 1), closes_on=dt.date(2016, 1, 1)))


def test_unknown_regional_group_refused():
    refused(lambda: make_state(regional_group="ATLANTIS"))


def test_observer_state_in_a_group_refused():
    refused(lambda: make_state(kind=State.Kind.OBSERVER, regional_group="WEOG"))


def test_state_code_must_be_three_capitals():
    refused(lambda: make_state(code="ro"))


@pytest.mark.parametrize("number", [0, 6])
def test_cluster_number_outside_one_to_five_refused(number):
    refused(lambda: Cluster.objects.create(number=number, slug=f"c{number}", title=f"C{number}"))


def test_cluster_number_unique():
    Cluster.objects.create(number=1, slug="a", title="A")
    refused(lambda: Cluster.objects.create(number=1, slug="b", title="B"))


def test_naive_datetime_refused_instead_of_read_in_server_zone():
    with pytest.raises(RuntimeWarning, match="naive datetime"):
        make_meeting(starts_at=dt.datetime(2017, 2, 6, 10, 0))


def test_session_current_is_the_one_open_today():
    older = make_session(number=70, opens_on=dt.date(2015, 9, 15), closes_on=dt.date(2016, 9, 12))
    make_session(number=71)
    assert Session.objects.current(today=dt.date(2016, 1, 1)) == older
    assert Session.objects.current(today=dt.date(2030, 1, 1)).number == 71


def test_person_display_name_joins_honorific_and_names():
    assert make_person(honorific="H.E. Mr.", given_name="Peter",
                       family_name="Thomson").display_name == "H.E. Mr. Peter Thomson"
