"""Fixtures for schedule notices: a session with two meetings to come, already announced
once, the missions, a real SMTP server (those of tests/correspondence/distribution)."""

import datetime as dt

import pytest
from django.utils import timezone

from common.timezones import NEW_YORK
from tests.correspondence.distribution.conftest import (  # noqa: F401 (fixtures)
    missions,
    smtp_server,
)


def soon(days, hour=10):
    """A New York time `days` from today, at `hour`."""
    day = timezone.localtime(timezone.now(), NEW_YORK).date() + dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=NEW_YORK)


@pytest.fixture
def session(db):
    from tests.factories import make_session

    today = timezone.localdate()
    return make_session(opens_on=today - dt.timedelta(days=30),
                        closes_on=today + dt.timedelta(days=300))


@pytest.fixture
def meetings(session):
    """Meetings 1 and 2, ten and eleven days from now, in two rooms."""
    from tests.factories import make_meeting, make_room

    return [make_meeting(session=session, number=n, starts_at=soon(9 + n),
                         room=make_room(name=f"Notice Room {n}", name_fr=f"Salle des avis {n}"))
            for n in (1, 2)]


@pytest.fixture
def publisher(db):
    """A publisher with the permission, a second factor and an e-mail address."""
    from django.contrib.auth.models import Permission

    from tests.factories import give_second_factor, make_user

    user = make_user("publisher", email="officer@secretariat.example", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(
        codename__in=["publish_notice", "view_schedulenotice"]))
    give_second_factor(user)
    return user


@pytest.fixture
def announced(meetings, publisher, settings):
    """The two meetings announced by a first notice, sent now: to no mission when asked for
    before `missions` (tests name it first)."""
    from correspondence.notices.services import notice_send

    settings.EMAIL_CONFIGURED = True
    return notice_send(session=meetings[0].session, by=publisher).notice
