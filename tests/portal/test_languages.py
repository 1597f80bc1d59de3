"""The public pages in the six official languages: lang and dir, the language switcher, the
hreflang alternates (pages and sitemap), dates as each language writes them, isolation of
left-to-right runs, and no English left on a page in another language."""

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.utils import translation

import common.cache
from common.languages import bcp47, language_of, path_in
from common.templatetags.ign import ltr
from sessions.models import Meeting

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
OTHER_LANGUAGES = [code for code in LANGUAGES if code != settings.LANGUAGE_CODE]
TAGS = {"en": "en", "ar": "ar", "zh-hans": "zh-Hans", "fr": "fr", "ru": "ru", "es": "es"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
# Attributes whose values a reader meets (read aloud, shown on hover, in an empty field).
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


def pages():
    meeting = Meeting.objects.get(session__number=71, number=1)
    return {
        "home": ("/", 200), "meetings": ("/meetings/", 200),
        "meeting": (f"/meetings/{meeting.pk}/", 200), "changes": ("/meetings/changes/", 200),
        "session": ("/sessions/71/", 200), "clusters": ("/clusters/", 200),
        "cluster": ("/clusters/question-of-the-veto/", 200), "letters": ("/letters/", 200),
        "letter": ("/letters/2017-01-12-pga-resumption-of-the-ign/", 200),
        "verify": ("/letters/verify/", 200), "not-found": ("/meetings/999999/", 404),
    }


def localised(path, language):
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"


class Page(HTMLParser):
    """What a reader meets on a page: each text run and read attribute value, with the
    language of the element it is in; plus the page's <html>, switcher and alternates."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.stack = []  # [(tag, language)]
        self.html_attrs, self.alternates, self.switcher = {}, [], []
        self.strings = []  # [(text, language)]
        self.in_switcher = False
        self.feed(html)
        self.close()

    def language(self):
        return self.stack[-1][1] if self.stack else None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        language = attrs.get("lang", self.language())
        if tag == "html":
            self.html_attrs = attrs
        if tag == "link" and attrs.get("rel") == "alternate" and "hreflang" in attrs:
            self.alternates.append((attrs["hreflang"], attrs["href"]))
        if tag == "nav" and "languages" in attrs.get("class", "").split():
            self.in_switcher = True
        if tag == "a" and self.in_switcher:
            self.switcher.append(attrs)
        for name in READ_ATTRIBUTES:
            if attrs.get(name):
                self.strings.append((attrs[name], language))
        if tag == "meta" and attrs.get("name") == "description":
            self.strings.append((attrs.get("content", ""), language))
        if tag not in VOID:
            self.stack.append((tag, language))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag == "nav":
            self.in_switcher = False
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] in ("script", "style"):
            return
        text = " ".join(data.split())
        if text:
            self.strings.append((text, self.language()))

    def read_in(self, language):
        """The strings of the page that are in `language` (not in an element whose lang
        differs: a name printed in English, content shown in English for want of a
        translation, a letter in its own language, another language's name)."""
        tag = bcp47(language).lower()
        return {text for text, lang in self.strings if (lang or "").lower() == tag}


# Strings the same in every language: document symbols (A/71/L.69, 70/559, Corr.1), a
# letter's verification code (ABCD-2345), numbers, times, dates in digits and punctuation;
# the tz database's name of the zone, and "PDF", which every language writes so.
SYMBOL = r"(?:[A-Z]{1,3}(?:/[A-Z0-9.\-]+)+|[0-9]+/[0-9]+|(?:Corr|Rev|Add)\.[0-9]+)"
CODE = r"[A-Z0-9]{4}-[A-Z0-9]{4}"
NEUTRAL = re.compile(rf"(?:{SYMBOL}|{CODE}|[\W\d_])*")
ALLOWED = {"America/New_York", "PDF"}
# Words a language writes exactly as English does, each read there and found right in that
# language's catalog: French "Date", "Dates", "Session" and "(original)", Spanish "(original)".
SAME_WORD = {
    "fr": {"Date", "Dates", "Session", "(original)"},
    "es": {"(original)"},
}


def language_neutral(text, language=None):
    return (text in ALLOWED or text in SAME_WORD.get(language, ())
            or NEUTRAL.fullmatch(text) is not None)


def get(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, path
    return Page(response.content.decode())


# --- lang, dir, the switcher, the alternates ------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_has_its_lang_dir_switcher_and_alternates(client, letters_71, language):
    wrong = {}
    for name, (path, status) in pages().items():
        page = get(client, localised(path, language), status)
        problems = []
        expected_html = {"lang": TAGS[language], "dir": "rtl" if language == "ar" else "ltr"}
        if {k: page.html_attrs.get(k) for k in expected_html} != expected_html:
            problems.append(("html", page.html_attrs))
        switcher = [(a.get("href"), a.get("lang"), a.get("hreflang"), a.get("aria-current"))
                    for a in page.switcher]
        if switcher != [(localised(path, code), TAGS[code], TAGS[code],
                         "true" if code == language else None) for code in LANGUAGES]:
            problems.append(("switcher", switcher))
        alternates = [(TAGS[code], settings.SITE_URL + localised(path, code))
                      for code in LANGUAGES]
        alternates.append(("x-default", settings.SITE_URL + path))
        if page.alternates != alternates:
            problems.append(("alternates", page.alternates))
        if problems:
            wrong[name] = problems

    assert wrong == {}


def test_switcher_names_each_language_in_itself_and_sets_arabic_right_to_left(client, seeded):
    page = get(client, "/fr/meetings/")

    names = [(a["lang"], a["dir"]) for a in page.switcher]
    texts = [text for text, lang in page.strings if lang in TAGS.values() and lang != "fr"]

    assert names == [("en", "ltr"), ("ar", "rtl"), ("zh-Hans", "ltr"), ("fr", "ltr"),
                     ("ru", "ltr"), ("es", "ltr")]
    assert {"English", "العربية", "中文", "Русский", "Español"} <= set(texts)


@pytest.mark.parametrize("language", LANGUAGES)
def test_switcher_keeps_the_query_string(client, seeded, language):
    page = get(client, localised("/meetings/?status=cancelled&cluster=question-of-the-veto",
                                 language))

    hrefs = [a["href"] for a in page.switcher]

    assert hrefs == [localised("/meetings/", code)
                     + "?cluster=question-of-the-veto&status=cancelled" for code in LANGUAGES]


def test_switcher_on_an_unknown_address_keeps_the_address(client, db):
    page = get(client, "/fr/no-such-page/?x=1", 404)

    assert [a["href"] for a in page.switcher] == [
        "/no-such-page/?x=1", "/ar/no-such-page/?x=1", "/zh-hans/no-such-page/?x=1",
        "/fr/no-such-page/?x=1", "/ru/no-such-page/?x=1", "/es/no-such-page/?x=1"]


@pytest.mark.parametrize(("path", "language", "expected"), [
    ("/meetings/", "fr", "/fr/meetings/"),
    ("/fr/meetings/", "en", "/meetings/"),
    ("/ar/letters/x/", "zh-hans", "/zh-hans/letters/x/"),
    ("/zh-hans/", "en", "/"),
    ("/", "ru", "/ru/"),
    ("/es/gone/", "ar", "/ar/gone/"),
    ("/en/meetings/", "en", "/meetings/"),  # not an address: English has no prefix
])
def test_path_in_another_language(db, path, language, expected):
    with translation.override(language_of(path)):  # as the request's middleware does
        assert path_in(path, language) == expected


def test_the_admin_is_in_each_language_and_right_to_left_in_arabic(admin_client):
    arabic = admin_client.get("/ar/admin/")
    french = admin_client.get("/fr/admin/")

    assert arabic.status_code == french.status_code == 200
    assert '<html lang="ar" dir="rtl">' in arabic.text
    assert 'dir="ltr"' in french.text and 'lang="fr"' in french.text
    # Django's own catalogs: the admin's chrome is translated.
    assert "Déconnexion" in french.text or "Se déconnecter" in french.text


def test_error_pages_are_in_the_language_of_the_address(client, db):
    french = get(client, "/fr/meetings/999999/", 404)
    unknown = get(client, "/de/meetings/", 404)

    assert french.html_attrs["lang"] == "fr"
    assert unknown.html_attrs["lang"] == "en"  # no German: an English 404, not a German page


# --- the sitemap ----------------------------------------------------------------------------

def test_sitemap_lists_each_page_in_each_language_with_its_alternates(client, letters_71):
    response = client.get("/sitemap.xml")

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
          "x": "http://www.w3.org/1999/xhtml"}
    entries = {
        url.find("s:loc", ns).text: {(link.get("hreflang"), link.get("href"))
                                      for link in url.findall("x:link", ns)}
        for url in ET.fromstring(response.content).findall("s:url", ns)
    }
    expected = {(code, f"http://testserver{localised('/meetings/', code)}") for code in LANGUAGES}
    expected.add(("x-default", "http://testserver/meetings/"))

    assert response.status_code == 200
    assert entries["http://testserver/fr/meetings/"] == expected
    assert entries["http://testserver/meetings/"] == expected
    assert entries["http://testserver/zh-hans/letters/2017-01-12-pga-cover/"]
    assert len(entries) % len(LANGUAGES) == 0


# --- dates, times and isolation -------------------------------------------------------------

@pytest.mark.parametrize(("language", "day"), [
    ("en", "Monday, 6 February 2017"),
    ("fr", "6 février 2017"),
    ("es", "6 de febrero de 2017"),
    ("ru", "6 февраля 2017 года"),
    ("zh-hans", "2017年2月6日"),
    ("ar", "6 فبراير 2017"),
])
def test_meeting_day_and_hours_are_written_as_the_language_writes_them(
        client, seeded, language, day):
    meeting = Meeting.objects.get(session__number=71, number=1)

    html = client.get(localised(f"/meetings/{meeting.pk}/", language)).content.decode()

    assert day in html
    assert '<bdi dir="ltr">10:00–13:00</bdi>' in html
    assert " AM" not in html and " PM" not in html and "February" not in html or language == "en"


def test_ltr_isolates_and_escapes():
    assert ltr("A/71/L.69*") == '<bdi dir="ltr">A/71/L.69*</bdi>'
    assert ltr("<b>") == '<bdi dir="ltr">&lt;b&gt;</bdi>'
    assert ltr("H.E. Mr. Ion Jinga", "en") == '<bdi dir="ltr" lang="en">H.E. Mr. Ion Jinga</bdi>'
    assert ltr("") == ""


def test_arabic_pages_isolate_names_and_symbols(client, seeded):
    html = client.get("/ar/sessions/71/").content.decode()

    assert '<bdi dir="ltr" lang="en">H.E. Mr. Peter Thomson</bdi>' in html
    assert '<bdi dir="ltr">70/559</bdi>' in html


@override_settings(SITE_URL="https://ign.example.org")
def test_alternates_use_the_site_address_whatever_the_host(client, seeded):
    page = get(client, "/fr/clusters/")

    assert ("x-default", "https://ign.example.org/clusters/") in page.alternates
    assert ("fr", "https://ign.example.org/fr/clusters/") in page.alternates


# --- no English left ------------------------------------------------------------------------

@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_no_english_is_left_on_a_page_in_another_language(client, letters_71, language):
    """Every string a reader meets on the English page (text, title, aria-label, placeholder,
    alt, the description), read in English there, is absent from the same page in
    `language` wherever that page says it speaks `language`: English may remain only inside
    an element marked with another lang (a name printed in English, content shown in
    English for want of a translation), or be language-neutral (symbols, numbers, times)."""
    left = {}
    for name, (path, status) in pages().items():
        english = get(client, path, status).read_in("en")
        other = get(client, localised(path, language), status).read_in(language)
        found = sorted(text for text in english & other
                       if not language_neutral(text, language))
        if found:
            left[name] = found

    assert left == {}, left


def test_the_english_page_walk_sees_the_strings_it_should(client, letters_71):
    """The walk of the test above is not blind: it reads text, attributes and titles, and
    leaves out what another lang marks."""
    page = get(client, "/")

    english = page.read_in("en")

    assert {"Skip to main content", "Latest letters", "Main", "Languages"} <= english
    assert "H.E. Mr. Peter Thomson" in {text for text, _lang in page.strings}
    assert "Français" not in english  # lang="fr"
    assert language_neutral("A/71/L.69") and language_neutral("10:00–13:00")
    assert language_neutral("70/559") and language_neutral("RFQC-YTPX")
    assert not language_neutral("Home") and not language_neutral("IGN Portal")


# --- the page cache -------------------------------------------------------------------------

@pytest.fixture
def fresh_cache(monkeypatch):
    cache.clear()
    common.cache.local_copies.clear()
    monkeypatch.setattr(common.cache, "clock", lambda: 28_333_333 * 60 + 30.0)


def test_pages_in_each_language_are_stored_and_alternate_requests_get_their_own(
        seeded, fresh_cache):
    anonymous = Client()
    served = [anonymous.get(path) for path in ["/fr/meetings/", "/meetings/"] * 3]

    assert [r["X-Cache"] for r in served] == ["miss", "miss", "hit", "hit", "hit", "hit"]
    assert [Page(r.content.decode()).html_attrs["lang"] for r in served] == ["fr", "en"] * 3


def test_a_stored_page_carries_the_query_as_the_cache_keys_it(seeded, fresh_cache):
    first = Client().get("/ar/meetings/?status=cancelled&cluster=question-of-the-veto")
    second = Client().get("/ar/meetings/?cluster=question-of-the-veto&status=cancelled")

    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert Page(second.content.decode()).switcher[0]["href"] == (
        "/meetings/?cluster=question-of-the-veto&status=cancelled")


@pytest.mark.parametrize("template", ["500.html", "503.html"])
def test_server_error_pages_render_in_the_active_language_without_a_request(db, template):
    with translation.override("ar"):
        page = Page(render_to_string(template))

    assert {k: page.html_attrs[k] for k in ("lang", "dir")} == {"lang": "ar", "dir": "rtl"}
    assert ("ar", settings.SITE_URL + "/ar/") in page.alternates


def test_sign_in_page_is_in_the_language_of_its_address(client, db):
    page = get(client, "/ru/accounts/login/")

    assert page.html_attrs["lang"] == "ru"
    assert [a["href"] for a in page.switcher][0] == "/accounts/login/"


@pytest.mark.parametrize("path", ["/zh/meetings/", "/ZH-HANS/meetings/", "/fr-ca/meetings/",
                                  "/zh-Hans/meetings/"])
def test_a_prefix_that_is_not_exactly_a_languages_is_an_english_404(client, seeded, path):
    response = client.get(path)

    assert response.status_code == 404
    assert response["Content-Language"] == "en"
    assert get(client, path, 404).html_attrs["lang"] == "en"


def test_the_switcher_of_a_404_never_links_to_another_host(client, seeded):
    page = client.get("/fr//evil.example/x").content.decode()

    assert 'href="//' not in page
    assert 'href="/evil.example/x"' in page
