"""The subscription pages in Chromium: axe-core (WCAG 2.2 AA) finds nothing, in English and
in Arabic (right to left); the form works without JavaScript."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from correspondence.models import Subscription
from correspondence.subscriptions import links

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def subscription_pages():
    subscription = Subscription.objects.create(
        email="reader@example.org", consented_at=timezone.now(), source="/meetings/")
    manage = links.token(subscription, links.MANAGE_SALT)
    return {
        "subscribe": "subscriptions/new/?cluster=question-of-the-veto&from=/clusters/",
        "sent": "subscriptions/sent/",
        "confirm": f"subscriptions/confirm/{links.confirm_token(subscription)}/",
        "unsubscribe": "subscriptions/unsubscribe/"
                       f"{links.token(subscription, links.UNSUBSCRIBE_SALT)}/",
        "manage": f"subscriptions/manage/{manage}/",
        "erase": f"subscriptions/manage/{manage}/erase/",
        "bad-link": "subscriptions/manage/forged/",
    }


def test_subscription_pages_have_no_axe_violations(context, portal):
    axe = Axe()
    found = {}
    for prefix in ["/", "/ar/"]:
        for name, path in subscription_pages().items():
            page = context.new_page()
            response = page.goto(portal.url + prefix + path)
            assert response.status == (404 if name == "bad-link" else 200), name
            results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
            found[prefix + name] = [(v["id"], [n["target"] for n in v["nodes"]][:3])
                                    for v in results.response["violations"]]
            page.close()

    assert found == {name: [] for name in found}


def test_subscribing_from_a_cluster_page_works_without_javascript(browser, portal):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(portal.url + "/clusters/question-of-the-veto/")

    page.click("text=Subscribe by e-mail")
    page.fill("#id_email", "reader@example.org")
    page.check("#id_what_1")
    page.click("button:has-text('Send me the confirmation link')")

    subscription = Subscription.objects.get()
    assert page.url.endswith("/subscriptions/sent/")
    assert (subscription.cluster.slug, subscription.wants_letters, subscription.source) == (
        "question-of-the-veto", False, "/clusters/question-of-the-veto/")
    context.close()
