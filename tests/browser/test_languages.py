"""The main pages in each of the six languages, in a real browser: axe-core (WCAG 2.2 AA),
the page's language and direction as the browser reads them, and the switcher without
JavaScript."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

from sessions.models import Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LANGUAGES = [code for code, _name in settings.LANGUAGES]


def pages():
    meeting = Meeting.objects.get(session__number=71, number=1)
    return {
        "home": "/", "meetings": "/meetings/", "meeting": f"/meetings/{meeting.pk}/",
        "letters": "/letters/", "letter": "/letters/2017-01-12-pga-resumption-of-the-ign/",
    }


def localised(path, language):
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_main_pages_have_no_axe_violations_in_each_language(context, portal, language):
    axe = Axe()
    found = {}
    for name, path in pages().items():
        page = context.new_page()
        response = page.goto(portal.url + localised(path, language))
        assert response.status == 200, name
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        found[name] = [(v["id"], [n["target"] for n in v["nodes"]][:3])
                       for v in results.response["violations"]]
        page.close()

    assert found == {name: [] for name in found}


def test_arabic_page_is_right_to_left_and_chinese_is_tagged_with_its_script(context, portal):
    page = context.new_page()
    page.goto(portal.url + "/ar/meetings/")
    arabic = page.evaluate("[document.documentElement.lang, getComputedStyle(document.body)"
                           ".direction]")
    page.goto(portal.url + "/zh-hans/meetings/")
    chinese = page.evaluate("document.documentElement.lang")

    assert arabic == ["ar", "rtl"]
    assert chinese == "zh-Hans"


def test_the_switcher_works_without_javascript_and_keeps_the_page(browser, portal):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(portal.url + "/meetings/?status=postponed")

    page.click("nav.languages a[hreflang=fr]")
    french_url, french_lang = page.url, page.get_attribute("html", "lang")
    page.click("nav.languages a[hreflang=en]")
    english_url = page.url
    context.close()

    assert french_url == portal.url + "/fr/meetings/?status=postponed"
    assert french_lang == "fr"
    assert english_url == portal.url + "/meetings/?status=postponed"
