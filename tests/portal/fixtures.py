"""Fixtures and helpers of the portal's page tests (imported by the conftest files)."""

import datetime as dt
import itertools

import pytest


@pytest.fixture
def letters_71(seeded):
    """Two issued letters of the 71st session announcing its first meetings, and a draft."""
    from clusters.models import Cluster
    from tests.portal.factories import make_draft_letter, make_issued_letter

    meetings = list(seeded.meetings.order_by("number"))
    cover = make_issued_letter(
        session=seeded, slug="2017-01-12-pga-cover", date=dt.date(2017, 1, 12),
        subject="Letter dated 12 January 2017 on the resumption of the negotiations",
        body="The Co-Chairs will convene the first meetings on 6 and 7 February 2017.",
        meetings=meetings, clusters=list(Cluster.objects.all()),
    )
    earlier = make_issued_letter(
        session=seeded, slug="2016-11-09-appointment", date=dt.date(2016, 11, 9),
        subject="Letter dated 9 November 2016 appointing the Co-Chairs",
        body="I have the pleasure to appoint the Permanent Representatives of Romania and Tunisia.",
    )
    draft = make_draft_letter(session=seeded, subject="Unissued draft on the veto")
    return cover, earlier, draft


_rooms = itertools.count(1)


def portal_meeting(**overrides):
    """make_meeting with a room whose name no seed room can take."""
    from tests.factories import make_meeting, make_room

    if overrides.get("room") is None:
        overrides["room"] = make_room(name=f"Portal test room {next(_rooms)}")
    return make_meeting(**overrides)
