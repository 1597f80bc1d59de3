"""The focal point's pages and the invitation's in a real browser: axe-core (WCAG 2.2 AA)."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from tests.factories import PASSWORD, make_mission, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def violations(axe, page):
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [(v["id"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"]]


def test_mission_and_invitation_pages_have_no_axe_violations(browser, portal):
    from correspondence.mission.invitations import invitation_url
    from correspondence.models import Delivery, FocalPoint, FocalPointInvitation, Letter

    mission = make_mission(emails=["registry@rou.example"])
    FocalPoint.objects.create(user=make_user("rou-focal"), mission=mission)
    delivery = Delivery.objects.create(
        letter=Letter.objects.public().first(), mission=mission, state=Delivery.State.SENT,
        sent_at=timezone.now(), queued_at=timezone.now(), recipients="registry@rou.example",
        accepted=["registry@rou.example"], message_id="<x@example.org>")
    now = timezone.now()
    invitation = FocalPointInvitation.objects.create(
        mission=mission, email="ana@rou.example", created_at=now,
        expires_at=now + dt.timedelta(hours=72))
    axe, found = Axe(), {}

    visitor = browser.new_context()
    page = visitor.new_page()
    for language in ("", "/ar"):
        link = invitation_url(invitation).replace("http://127.0.0.1:8000", portal.url)
        link = link.replace(portal.url, portal.url + language, 1)
        assert page.goto(link).status == 200
        found[f"invitation{language}"] = violations(axe, page)
    assert page.goto(portal.url + "/accounts/signup/").status == 200
    found["sign-up"] = violations(axe, page)
    visitor.close()

    context = browser.new_context()
    page = context.new_page()
    page.goto(portal.url + "/accounts/login/")
    page.fill("#id_login", "rou-focal")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/mission/")
    for name, path in {"mission": "/mission/", "change": "/mission/change/",
                       "delivery": f"/mission/deliveries/{delivery.pk}/",
                       "mission-ar": "/ar/mission/"}.items():
        assert page.goto(portal.url + path).status == 200, name
        found[name] = violations(axe, page)
    page.goto(portal.url + "/mission/change/")
    page.fill("#id_addresses", "not an address")
    page.click("main form.account-form button[type=submit]")
    found["change-refused"] = violations(axe, page)
    context.close()

    assert found == {name: [] for name in found}
