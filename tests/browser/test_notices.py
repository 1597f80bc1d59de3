"""The schedule notice pages in Chromium: axe-core finds no WCAG 2.2 AA violation."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from sessions.models import Room, Session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def test_notice_pages_have_no_axe_violations(context, portal, settings):
    from correspondence.notices.services import notice_send
    from sessions.services import meeting_postpone
    from tests.factories import make_meeting

    settings.EMAIL_CONFIGURED = True
    session = Session.objects.get(number=71)
    # The 71st session's meetings are over (no line): two to come, one postponed.
    starts = timezone.now() + dt.timedelta(days=10)
    room = Room.objects.get(name="Conference Room 4")
    coming = [make_meeting(session=session, number=n, starts_at=starts + dt.timedelta(days=n),
                           room=room) for n in (90, 91)]
    meeting_postpone(meeting=coming[0], reason="At the request of the Co-Chairs")
    notice = notice_send(session=session, by=None).notice
    axe = Axe()
    found = {}
    pages = {"list": "/meetings/notices/", "notice": notice.get_absolute_url(),
             "meeting": coming[0].get_absolute_url(),
             "notice-ar": "/ar" + notice.get_absolute_url()}
    for name, path in pages.items():
        page = context.new_page()
        response = page.goto(portal.url + path)
        assert response.status == 200, name
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        found[name] = [(v["id"], [n["target"] for n in v["nodes"]][:3])
                       for v in results.response["violations"]]
        page.close()

    assert found == {name: [] for name in found}
