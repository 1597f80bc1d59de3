"""Arabic pages mirror in a real browser: right-to-left direction, the navigation starting at
the right edge, symbols and times isolated left to right, nothing wider than a phone."""

import os
from pathlib import Path

import pytest

from sessions.models import Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
WIDTHS = [pytest.param(DESKTOP, id="1280"), pytest.param(PHONE, id="390")]
LETTER = "/letters/2017-01-12-pga-resumption-of-the-ign/"

# The edges of the main navigation's first and last items, and of the list that holds them.
NAV_EDGES = """() => {
  const list = document.querySelector('nav[aria-label] ul.nav').getBoundingClientRect();
  const items = [...document.querySelectorAll('ul.nav > li')].map(li => li.getBoundingClientRect());
  return {list: [list.left, list.right], first: [items[0].left, items[0].right],
          last: [items.at(-1).left, items.at(-1).right]};
}"""
# Each <bdi dir="ltr"> holding text alone in main: its text, direction and whether it reads
# left to right (its first character left of its last on one line, or above it if wrapped).
ISOLATED_RUNS = """() => [...document.querySelectorAll('main bdi[dir="ltr"]')]
  .filter(bdi => bdi.childNodes.length === 1 && bdi.firstChild.nodeType === Node.TEXT_NODE)
  .map(bdi => {
    const text = bdi.firstChild;
    const at = i => { const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1);
                      return r.getBoundingClientRect(); };
    const first = at(0), last = at(text.length - 1);
    const sameLine = Math.abs(first.top - last.top) < 1;
    return {text: bdi.textContent, direction: getComputedStyle(bdi).direction,
            readsLeftToRight: sameLine ? first.left < last.left : first.top < last.top};
  })"""
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def open_page(context, url, viewport):
    page = context.new_page()
    page.set_viewport_size(viewport)
    response = page.goto(url)
    return page, response


def arabic_pages():
    meeting = Meeting.objects.get(session__number=71, number=1)
    return {"home": "/ar/", "meetings": "/ar/meetings/", "meeting": f"/ar/meetings/{meeting.pk}/",
            "letter": "/ar" + LETTER, "letters": "/ar/letters/", "clusters": "/ar/clusters/",
            "changes": "/ar/meetings/changes/", "session": "/ar/sessions/71/"}


@pytest.mark.parametrize("viewport", WIDTHS)
def test_arabic_pages_are_right_to_left_and_mirrored(context, portal, viewport):
    found = {}
    for name, path in arabic_pages().items():
        page, response = open_page(context, portal.url + path, viewport)
        edges = page.evaluate(NAV_EDGES)
        found[name] = {
            "status": response.status,
            "direction": page.eval_on_selector("body", "e => getComputedStyle(e).direction"),
            # The first item of the main navigation ends at the list's right edge; the last
            # is the leftmost.
            "first item at the right": abs(edges["first"][1] - edges["list"][1]) < 1,
            "last item left of the first": edges["last"][1] <= edges["first"][0],
            "sideways scroll": page.evaluate(OVERFLOW) > 0,
        }
        if folder := os.environ.get("IGN_SCREENSHOTS"):
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=Path(folder) / f"ar-{name}-{viewport['width']}.png",
                            full_page=True)
        page.close()

    expected = {"status": 200, "direction": "rtl", "first item at the right": True,
                "last item left of the first": True, "sideways scroll": False}
    assert found == {name: expected for name in found}


@pytest.mark.parametrize("viewport", WIDTHS)
def test_english_pages_stay_left_to_right(context, portal, viewport):
    page, _ = open_page(context, portal.url + "/meetings/", viewport)

    edges = page.evaluate(NAV_EDGES)
    direction = page.eval_on_selector("body", "e => getComputedStyle(e).direction")

    assert direction == "ltr"
    assert abs(edges["first"][0] - edges["list"][0]) < 1


@pytest.mark.parametrize("viewport", WIDTHS)
def test_skip_link_shows_at_the_right_edge_in_arabic(context, portal, viewport):
    page, _ = open_page(context, portal.url + "/ar/meetings/", viewport)

    hidden_right = page.eval_on_selector(".skip-link", "e => e.getBoundingClientRect().right")
    page.keyboard.press("Tab")
    shown = page.eval_on_selector(".skip-link", "e => e.getBoundingClientRect().toJSON()")

    assert hidden_right > viewport["width"]  # out of sight, beyond the start (right) edge
    assert viewport["width"] - 32 <= shown["right"] <= viewport["width"]


@pytest.mark.parametrize("viewport", WIDTHS)
def test_times_and_symbols_read_left_to_right_in_arabic(context, portal, viewport):
    meeting = Meeting.objects.get(session__number=71, number=1)
    page, _ = open_page(context, portal.url + f"/ar/meetings/{meeting.pk}/", viewport)

    runs = page.evaluate(ISOLATED_RUNS)

    # The meeting's hours are one isolated run, "10:00–13:00"; every isolated run reads left
    # to right.
    assert "10:00\u201313:00" in [run["text"] for run in runs]
    assert [run for run in runs
            if run["direction"] != "ltr" or not run["readsLeftToRight"]] == []


@pytest.mark.parametrize("viewport", WIDTHS)
def test_english_letter_reads_left_to_right_on_the_arabic_page(context, portal, viewport):
    page, _ = open_page(context, portal.url + "/ar" + LETTER, viewport)

    sheets = page.eval_on_selector_all(
        "article.sheet", "all => all.map(e => [e.lang, getComputedStyle(e).direction])")
    page_direction = page.eval_on_selector("main", "e => getComputedStyle(e).direction")

    assert page_direction == "rtl"
    assert sheets and all(direction == "ltr" for _lang, direction in sheets), sheets
