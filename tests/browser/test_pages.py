"""The main pages in a real browser: axe-core (WCAG 2.2 AA), keyboard, screenshots."""

import os
import tempfile
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from sessions.models import Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


def main_pages():
    meeting = Meeting.objects.get(session__number=71, number=1)
    return {
        "home": "/", "meetings": "/meetings/", "meeting": f"/meetings/{meeting.pk}/",
        "clusters": "/clusters/", "cluster": "/clusters/question-of-the-veto/",
        "letters": "/letters/", "letter": "/letters/2017-01-12-pga-resumption-of-the-ign/",
        "session": "/sessions/71/", "changes": "/meetings/changes/",
        "not-found": "/meetings/999999/",
    }


def open_page(context, url, viewport=DESKTOP):
    page = context.new_page()
    page.set_viewport_size(viewport)
    response = page.goto(url)
    return page, response


def test_main_pages_have_no_axe_violations(context, portal):
    axe = Axe()
    found = {}
    for name, path in main_pages().items():
        page, response = open_page(context, portal.url + path)
        assert response.status == (404 if name == "not-found" else 200), name
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        found[name] = [
            (v["id"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"]
        ]
        page.close()

    assert found == {name: [] for name in found}


def test_stylesheet_is_served_and_applied(context, portal):
    page, _ = open_page(context, portal.url + "/")

    header_colour = page.eval_on_selector(
        ".site-header", "e => getComputedStyle(e).backgroundColor")

    assert header_colour == "rgb(0, 51, 79)"


def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(context, portal):
    page, _ = open_page(context, portal.url + "/meetings/")

    page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.textContent.trim()")
    visible = page.eval_on_selector(".skip-link", "e => e.getBoundingClientRect().left >= 0")
    page.keyboard.press("Enter")
    focused = page.evaluate("document.activeElement.id")

    assert first == "Skip to main content"
    assert visible
    assert focused == "main"


def test_meeting_filters_work_without_javascript(browser, portal):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(portal.url + "/meetings/")

    page.select_option("#id_status", "cancelled")
    page.click("button[type=submit]")

    assert "status=cancelled" in page.url
    assert "No meeting matches these filters." in page.inner_text("main")
    context.close()


def test_screenshots_at_desktop_and_phone_widths(context, portal):
    folder = Path(os.environ.get("IGN_SCREENSHOTS") or tempfile.mkdtemp(prefix="ign-shots-"))
    folder.mkdir(parents=True, exist_ok=True)
    for name, path in main_pages().items():
        for label, viewport in [("desktop", DESKTOP), ("phone", PHONE)]:
            page, _ = open_page(context, portal.url + path, viewport)
            page.screenshot(path=folder / f"{name}-{label}.png", full_page=True)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth")
            page.close()
            assert overflow <= 0, f"{name} scrolls sideways at {label} width"
    print(f"screenshots in {folder}")
