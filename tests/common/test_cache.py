"""The shared page cache: served from cache, never stale, never for signed-in staff."""

import datetime as dt
import logging
import re
import secrets

import feedparser
import pytest
from django.contrib.auth.models import Group
from django.core import signing
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory
from django.utils import timezone, translation
from icalendar import Calendar

import common.cache
import common.content_version
from common.cache import KEY_PREFIX, SIGNED_IN_COOKIE, PublicPageCacheMiddleware
from common.content_version import VERSION_KEY
from tests.factories import PASSWORD, make_user, post_meeting, text_of

pytestmark = pytest.mark.django_db
UTC = dt.UTC
# 14 November 2023, 22:13:00 UTC: the start of a minute.
MINUTE = 28_333_333 * 60


class Clock:
    """The page cache's clock, moved by hand."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture(autouse=True)
def clock(db, monkeypatch):
    """No test depends on when it runs: two requests never straddle a minute by luck."""
    cache.clear()
    common.cache.local_copies.clear()
    fake = Clock(MINUTE + 30.0)
    monkeypatch.setattr(common.cache, "clock", fake)
    return fake


def page_entries():
    """How many pages the shared cache holds (database cache or Redis)."""
    if hasattr(cache, "keys"):  # django-redis
        return len(cache.keys(f"{KEY_PREFIX}*"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM ign_cache WHERE cache_key LIKE %s",
                       [f"%{KEY_PREFIX}%"])
        return cursor.fetchone()[0]


def html_lang(response):
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def calendar_start(response, meeting):
    for event in Calendar.from_ical(response.content).walk("VEVENT"):
        if str(event["UID"]).startswith(f"meeting-{meeting.pk}@"):
            return event.decoded("DTSTART").astimezone(UTC), event["SEQUENCE"], event["STATUS"]
    raise AssertionError("meeting not in the calendar")


def test_second_anonymous_request_is_served_from_the_shared_cache(seeded):
    anonymous = Client()

    first, second = anonymous.get("/meetings/"), anonymous.get("/meetings/")

    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert first.content == second.content
    assert page_entries() >= 1


def test_meeting_moved_in_admin_shows_at_once_on_pages_calendar_and_feed(admin_client, seeded):
    anonymous = Client()
    meeting = seeded.meetings.get(number=1)
    for url in ["/meetings/", "/meetings/calendar.ics", f"/meetings/{meeting.pk}/", "/"]:
        anonymous.get(url)
        assert anonymous.get(url)["X-Cache"] == "hit"

    response = post_meeting(admin_client, meeting, starts_at_1="15:00:00", ends_at_1="18:00:00")
    assert response.status_code == 302

    listing = anonymous.get("/meetings/")
    assert listing["X-Cache"] == "miss"
    assert "Monday, 6 February 2017, 15:00 New York time (EST)" in text_of(listing)
    assert "6 February 2017, 10:00" not in text_of(listing)
    assert calendar_start(anonymous.get("/meetings/calendar.ics"), meeting)[:2] == (
        dt.datetime(2017, 2, 6, 20, 0, tzinfo=UTC), 1)
    assert "15:00 New York time" in text_of(anonymous.get(f"/meetings/{meeting.pk}/"))
    feed = feedparser.parse(anonymous.get("/meetings/changes/feed/").content)
    assert feed.entries[0].title == "IGN meeting 1, 6 February 2017: start, end changed"


def test_meeting_cancelled_in_admin_is_marked_at_once(admin_client, seeded):
    anonymous = Client()
    meeting = seeded.meetings.get(number=2)
    anonymous.get("/meetings/calendar.ics")

    post_meeting(admin_client, meeting, status="cancelled", status_reason="Chamber closed")

    start, sequence, status = calendar_start(anonymous.get("/meetings/calendar.ics"), meeting)
    assert (sequence, str(status)) == (1, "CANCELLED")
    assert "Cancelled: Chamber closed" in text_of(anonymous.get("/meetings/"))


def test_signed_in_staff_are_never_served_from_nor_stored_in_the_cache(admin_client, seeded):
    Client().get("/meetings/")

    response = admin_client.get("/meetings/")

    assert "X-Cache" not in response
    assert "private" in response["Cache-Control"]


def test_lost_version_key_only_costs_a_miss(seeded):
    anonymous = Client()
    anonymous.get("/clusters/")
    cache.delete(VERSION_KEY)

    assert anonymous.get("/clusters/")["X-Cache"] == "miss"
    assert anonymous.get("/clusters/")["X-Cache"] == "hit"


def test_error_pages_are_not_cached(seeded):
    anonymous = Client()
    anonymous.get("/meetings/999999/")

    assert "X-Cache" not in anonymous.get("/meetings/999999/")


def test_feed_cached_for_one_host_is_not_served_to_another(client, letters_71, settings):
    settings.ALLOWED_HOSTS = ["portal.example.org", "other.example.org"]

    first = client.get("/letters/feed/", HTTP_HOST="portal.example.org")
    second = client.get("/letters/feed/", HTTP_HOST="other.example.org")

    assert first["X-Cache"] == second["X-Cache"] == "miss"
    assert b"http://other.example.org/letters/" in second.content
    assert b"portal.example.org" not in second.content


def test_staff_see_a_draft_and_anonymous_visitors_still_get_404(admin_client, letters_71):
    draft = letters_71[2]

    staff = admin_client.get(draft.get_absolute_url())
    anonymous = Client().get(draft.get_absolute_url())

    assert staff.status_code == 200 and "X-Cache" not in staff
    assert anonymous.status_code == 404 and "X-Cache" not in anonymous


# --- Language and Vary ---------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/clusters/", "/meetings/", "/"])
def test_requests_alternating_a_french_page_and_its_english_page_never_get_each_other(
        seeded, url):
    anonymous = Client()
    french_url = f"/fr{url}"

    french, english, french_again, english_again = (
        anonymous.get(address) for address in (french_url, url, french_url, url))

    assert (html_lang(french), french["X-Cache"]) == ("fr", "miss")
    assert (html_lang(english), english["X-Cache"]) == ("en", "miss")
    assert (html_lang(french_again), french_again["X-Cache"]) == ("fr", "hit")
    assert (html_lang(english_again), english_again["X-Cache"]) == ("en", "hit")
    assert french_again.content == french.content and english_again.content == english.content
    assert english_again["Content-Language"] == "en"
    assert french_again["Content-Language"] == "fr"


@pytest.mark.parametrize("headers", [
    {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9"}, {"HTTP_ACCEPT_LANGUAGE": "ar"},
    {"HTTP_COOKIE": "django_language=ru"},
])
def test_browser_preferences_never_change_what_an_unprefixed_url_shows(seeded, headers):
    plain = Client().get("/clusters/")
    asked = Client().get("/clusters/", **headers)

    assert (html_lang(asked), asked["X-Cache"]) == ("en", "hit")
    assert asked.content == plain.content
    assert "Accept-Language" not in asked.get("Vary", "")


@pytest.mark.parametrize("url", ["/de/meetings/", "/en/meetings/", "/zh/meetings/",
                                 "/fr-fr/meetings/"])
def test_an_unknown_or_default_language_prefix_is_a_404(seeded, url):
    response = Client().get(url)

    assert response.status_code == 404


@pytest.fixture
def en_fr(settings):
    assert "common.languages.PathLocaleMiddleware" in settings.MIDDLEWARE


@pytest.mark.urls("tests.common.urls")
def test_page_rendered_in_another_language_than_asked_is_not_stored(db, en_fr):
    anonymous = Client()

    try:
        response, again = (anonymous.get("/french/", HTTP_ACCEPT_LANGUAGE="en")
                           for _ in range(2))
    finally:
        translation.deactivate()

    assert response["Content-Language"] == "fr"
    assert "X-Cache" not in response and "X-Cache" not in again


@pytest.mark.urls("tests.common.urls")
def test_response_varying_on_an_undeclared_header_is_never_stored(db):
    from tests.common.urls import renders

    renders.clear()
    anonymous = Client()

    first = anonymous.get("/undeclared/", HTTP_USER_AGENT="Alpha")
    second = anonymous.get("/undeclared/", HTTP_USER_AGENT="Beta")

    assert "X-Cache" not in first and "X-Cache" not in second
    assert second.content == b"for Beta"
    assert len(renders) == 2


@pytest.mark.urls("tests.common.urls")
def test_declared_vary_header_is_in_the_key(db):
    anonymous = Client()

    alpha = anonymous.get("/declared/", HTTP_USER_AGENT="Alpha")
    beta = anonymous.get("/declared/", HTTP_USER_AGENT="Beta")
    alpha_again = anonymous.get("/declared/", HTTP_USER_AGENT="Alpha")

    assert (alpha["X-Cache"], beta["X-Cache"], alpha_again["X-Cache"]) == ("miss", "miss", "hit")
    assert (beta.content, alpha_again.content) == (b"for Beta", b"for Alpha")


# --- The clock -----------------------------------------------------------------------------

def test_pages_without_the_clock_survive_a_minute_boundary(seeded, clock):
    anonymous = Client()
    clock.now = MINUTE + 59.9
    anonymous.get("/clusters/")
    anonymous.get("/meetings/")

    clock.now = MINUTE + 60.1
    clusters, meetings = anonymous.get("/clusters/"), anonymous.get("/meetings/")

    assert clusters["X-Cache"] == "hit"
    assert meetings["X-Cache"] == "miss"  # upcoming/past: re-rendered every minute


def test_clock_pages_are_served_from_the_cache_within_the_minute(seeded, clock):
    anonymous = Client()
    clock.now = MINUTE
    anonymous.get("/meetings/")
    anonymous.get("/")

    clock.now = MINUTE + 59.9

    assert anonymous.get("/meetings/")["X-Cache"] == "hit"
    assert anonymous.get("/")["X-Cache"] == "hit"


def test_meeting_pages_show_held_within_a_minute_of_its_end_with_no_edit(seeded, clock,
                                                                       monkeypatch):
    from django.utils import timezone

    from tests.factories import get_cluster, make_session, portal_meeting

    end = dt.datetime.fromtimestamp(MINUTE + 30, tz=UTC)
    session = make_session(opens_on=end.date() - dt.timedelta(days=30),
                           closes_on=end.date() + dt.timedelta(days=30))
    meeting = portal_meeting(session=session, starts_at=end - dt.timedelta(hours=3), ends_at=end)
    cluster = get_cluster(1)
    meeting.clusters.add(cluster)
    urls = [f"/meetings/{meeting.pk}/", f"/sessions/{session.number}/",
            f"/clusters/{cluster.slug}/", "/meetings/"]
    anonymous = Client()

    def at(seconds):
        clock.now = seconds
        monkeypatch.setattr(timezone, "now", lambda: dt.datetime.fromtimestamp(seconds, tz=UTC))

    at(MINUTE + 10)
    before = [anonymous.get(url) for url in urls]
    api_before = anonymous.get(f"/api/meetings.json?session={session.number}").json()["results"]
    at(MINUTE + 20)
    assert [anonymous.get(url)["X-Cache"] for url in urls] == ["hit"] * len(urls)
    at(MINUTE + 61)
    after = [anonymous.get(url) for url in urls]
    api_after = anonymous.get(f"/api/meetings.json?session={session.number}").json()["results"]

    assert all("status--scheduled" in page.text for page in before)
    assert [page["X-Cache"] for page in after] == ["miss"] * len(urls)
    assert all("status--held" in page.text and "status--scheduled" not in page.text
               for page in after)
    assert [m["status"] for m in api_before] == ["scheduled"]
    assert [m["status"] for m in api_after] == ["held"]


# --- Invalidation --------------------------------------------------------------------------

def test_model_of_an_app_listed_nowhere_invalidates_the_cache(seeded):
    anonymous = Client()
    anonymous.get("/clusters/")

    Group.objects.create(name="Cache test group")

    assert anonymous.get("/clusters/")["X-Cache"] == "miss"


def test_models_not_shown_publicly_leave_the_cache_alone(seeded):
    from django_tasks_db.models import DBTaskResult

    from correspondence.models import Delivery, FollowUp, Letter
    from correspondence.tasks import deliver_letter
    from sessions.models import Mission

    anonymous = Client()
    anonymous.get("/clusters/")
    letter = Letter.objects.public().first()
    tasks = DBTaskResult.objects.count()
    staff = make_user("cache-staff", is_staff=True)

    Delivery.objects.create(letter=letter, mission=Mission.objects.first(),
                            message_id="<cache-test@example.org>", queued_at=timezone.now())
    deliver_letter.enqueue(letter.pk)
    FollowUp.objects.create(key=f"letter:{letter.pk}", task_id="t", run_after=timezone.now())
    Client().force_login(staff)  # saves the user's last_login

    assert DBTaskResult.objects.count() == tasks + 1
    assert anonymous.get("/clusters/")["X-Cache"] == "hit"


def test_many_to_many_change_invalidates_the_cache(seeded):

    anonymous = Client()
    meeting = seeded.meetings.get(number=1)
    cluster = meeting.clusters.first()
    anonymous.get(f"/clusters/{cluster.slug}/")
    assert anonymous.get(f"/clusters/{cluster.slug}/")["X-Cache"] == "hit"

    meeting.clusters.remove(cluster)

    assert anonymous.get(f"/clusters/{cluster.slug}/")["X-Cache"] == "miss"


# --- Query strings -------------------------------------------------------------------------

def test_random_query_strings_create_no_cache_entries(seeded):
    anonymous = Client()
    anonymous.get("/meetings/")
    anonymous.get("/letters/")
    before = page_entries()

    answers = [anonymous.get(f"/meetings/?{secrets.token_hex(4)}={secrets.token_hex(8)}")
               for _ in range(50)]
    answers += [anonymous.get(f"/letters/?{secrets.token_urlsafe(6)}=1&page=1")
                for _ in range(50)]

    assert {(a.status_code, a["Location"]) for a in answers} == {
        (302, "/meetings/"), (302, "/letters/?page=1")}
    assert page_entries() == before


def test_made_up_values_of_known_parameters_create_no_cache_entries(seeded):
    anonymous = Client()
    anonymous.get("/letters/")
    before = page_entries()

    answers = [anonymous.get(url) for url in [
        *(f"/api/letters.json?start=2001-01-{day:02}" for day in range(1, 8)),
        *(f"/api/meetings.json?end=2016-12-{day:02}" for day in range(1, 8)),
        *(f"/api/meetings.json?session={n}" for n in range(500, 507)),
        *(f"/api/letters.json?offset={n}" for n in range(100, 107)),
        *(f"/letters/?session={n}" for n in range(500, 507)),
        *(f"/letters/?year={year}" for year in range(1990, 1997)),
    ]]

    assert {a.status_code for a in answers} == {200}
    assert page_entries() == before


def test_filters_with_results_and_an_empty_search_box_are_cached(seeded):
    anonymous = Client()
    urls = ["/letters/?q=&session=71&year=", "/api/meetings.json?session=71"]

    first = [anonymous.get(url)["X-Cache"] for url in urls]
    again = [anonymous.get(url)["X-Cache"] for url in urls]

    assert (first, again) == (["miss", "miss"], ["hit", "hit"])


def test_free_text_and_odd_spellings_are_rendered_but_never_stored(seeded):
    anonymous = Client()
    anonymous.get("/letters/")
    before = page_entries()

    searches = [anonymous.get(f"/letters/?q={secrets.token_hex(6)}") for _ in range(5)]
    odd = [anonymous.get(url) for url in [
        "/letters/?page=01", "/letters/?page=%2B1", "/letters/?session=071",
        "/meetings/?page=%201", "/api/meetings.json?limit=02"]]

    assert {r.status_code for r in searches} == {200}
    assert all("X-Cache" not in r for r in searches + odd)
    assert page_entries() == before


def test_known_parameters_are_one_entry_whatever_their_order(seeded):
    anonymous = Client()

    first = anonymous.get("/meetings/?status=scheduled&cluster=question-of-the-veto")
    second = anonymous.get("/meetings/?cluster=question-of-the-veto&status=scheduled")
    repeated = anonymous.get("/meetings/?cluster=x&cluster=question-of-the-veto&status=scheduled")

    assert (first["X-Cache"], second["X-Cache"], repeated["X-Cache"]) == ("miss", "hit", "hit")


def test_made_up_host_ports_store_no_copies(seeded, settings):
    settings.SITE_URL = "http://testserver:8000"
    before = page_entries()

    made_up = [Client(HTTP_HOST=f"testserver:{port}").get("/") for port in range(1, 6)]
    served = [Client(HTTP_HOST=host).get("/") for host in
              ("testserver", "testserver", "testserver:8000", "testserver:8000")]

    assert {r.status_code for r in made_up + served} == {200}
    assert all("X-Cache" not in r for r in made_up)
    assert [r["X-Cache"] for r in served] == ["miss", "hit", "miss", "hit"]
    assert page_entries() == before + 2


def test_api_unknown_parameter_is_still_its_json_400(db):
    response = Client().get("/api/meetings.json?colour=blue")

    assert response.status_code == 400
    assert response.json()["error"] == "invalid query"
    assert "X-Cache" not in response


# --- Signed-in visitors --------------------------------------------------------------------

def forget_deleted_cookies(client):
    """As a browser does; the test client keeps a deleted cookie, with an empty value."""
    for name in [name for name, morsel in client.cookies.items() if not morsel.value]:
        del client.cookies[name]


def test_real_login_bypasses_the_cache_until_logout(seeded):
    make_user("editor", is_staff=True)  # needs no second factor: one sign-in page
    browser = Client()
    browser.get("/meetings/")

    login = browser.post("/accounts/login/", {"login": "editor", "password": PASSWORD})
    staff = browser.get("/meetings/")
    logout = browser.post("/admin/logout/")
    forget_deleted_cookies(browser)
    browser.get("/meetings/")  # the login saved the user (last_login): a new content version
    anonymous_again = browser.get("/meetings/")

    assert login.status_code == 302 and login.cookies[SIGNED_IN_COOKIE].value
    assert "X-Cache" not in staff and "private" in staff["Cache-Control"]
    assert logout.cookies[SIGNED_IN_COOKIE]["max-age"] == 0
    assert anonymous_again["X-Cache"] == "hit"


def test_made_up_cookies_force_no_render(seeded, settings):
    Client().get("/meetings/")
    made_up = Client()
    made_up.cookies[settings.SESSION_COOKIE_NAME] = "made-up-session-key"
    made_up.cookies[SIGNED_IN_COOKIE] = "1"
    forged = Client()
    forged.cookies[SIGNED_IN_COOKIE] = signing.get_cookie_signer(salt="another salt").sign("1")

    assert made_up.get("/meetings/")["X-Cache"] == "hit"
    assert forged.get("/meetings/")["X-Cache"] == "hit"


def test_session_without_the_marker_is_healed_on_the_next_render(seeded, client, superuser):
    client.force_login(superuser)  # a session from before the marker existed

    response = client.get("/clusters/")

    assert "X-Cache" not in response and "private" in response["Cache-Control"]
    assert response.cookies[SIGNED_IN_COOKIE].value
    assert "X-Cache" not in client.get("/meetings/")


# --- HTTP: ETag, 304, HEAD, downloads ------------------------------------------------------

def test_cached_page_answers_its_etag_with_304(seeded):
    anonymous = Client()
    first = anonymous.get("/clusters/")

    again = anonymous.get("/clusters/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again["X-Cache"] == "hit" and again["ETag"] == first["ETag"]


def test_head_of_a_cached_page_has_the_get_headers_and_no_body(seeded):
    anonymous = Client()
    page = anonymous.get("/clusters/")

    head = anonymous.head("/clusters/")

    assert head["X-Cache"] == "hit" and head.content == b""
    assert head["Content-Length"] == str(len(page.content))


def test_hit_costs_one_read_of_the_shared_cache(seeded, django_assert_num_queries):
    anonymous = Client()
    anonymous.get("/clusters/")

    with django_assert_num_queries(1):  # the version only: this process holds a copy
        assert anonymous.get("/clusters/")["X-Cache"] == "hit"
    common.cache.local_copies.clear()  # as in another worker
    with django_assert_num_queries(1):  # version and page in one SELECT
        assert anonymous.get("/clusters/")["X-Cache"] == "hit"


def test_copy_in_this_process_is_not_served_once_another_worker_changed_the_data(seeded):
    anonymous = Client()
    anonymous.get("/clusters/")

    common.content_version.bump_version()  # what a save in another worker does

    assert anonymous.get("/clusters/")["X-Cache"] == "miss"
    assert anonymous.get("/clusters/")["X-Cache"] == "hit"


def test_hit_is_answered_before_the_rest_of_the_stack(seeded):
    page = Client().get("/clusters/")

    def rest_of_the_stack(request):
        raise AssertionError("a hit went past the page cache")

    middleware = PublicPageCacheMiddleware(rest_of_the_stack)
    get = middleware(RequestFactory().get("/clusters/"))
    head = middleware(RequestFactory().head("/clusters/"))  # no server strips it here

    assert (get["X-Cache"], get.content) == ("hit", page.content)
    assert (head["X-Cache"], head.content) == ("hit", b"")
    assert head["Content-Length"] == str(len(page.content))


@pytest.mark.urls("tests.common.urls")
def test_download_view_marked_public_is_cached_like_any_page(db):
    from tests.common.urls import renders

    renders.clear()
    anonymous = Client()

    first = anonymous.get("/letter.pdf")
    second = anonymous.get("/letter.pdf")
    head = anonymous.head("/letter.pdf")
    conditional = anonymous.get("/letter.pdf", HTTP_IF_NONE_MATCH='"sha256-of-the-bytes"')

    assert (first["X-Cache"], second["X-Cache"], head["X-Cache"]) == ("miss", "hit", "hit")
    assert second.content == b"%PDF-1.7 stored bytes" and head.content == b""
    assert second["Content-Type"] == "application/pdf"
    assert (second["ETag"], second["Cache-Control"]) == (
        '"sha256-of-the-bytes"', "public, max-age=3600")
    assert conditional.status_code == 304
    assert renders == ["/letter.pdf"]


def test_issued_pdf_is_served_after_any_change_without_reading_the_cache(
        seeded, django_assert_num_queries):
    from correspondence.models import Letter
    from correspondence.seed import PGA_SLUG

    url = Letter.objects.get(slug=PGA_SLUG).get_pdf_url()
    anonymous = Client()
    first = anonymous.get(url)
    common.content_version.bump_version()  # a save anywhere

    with django_assert_num_queries(0):  # no version read, no page read, no letter query
        again = anonymous.get(url)
    common.cache.local_copies.clear()  # as in another worker
    with django_assert_num_queries(1):  # the entry, whatever the version
        elsewhere = anonymous.get(url)

    assert (first["X-Cache"], again["X-Cache"], elsewhere["X-Cache"]) == ("miss", "hit", "hit")
    assert first.content == again.content == elsewhere.content


def test_draft_pdf_404_is_not_kept_once_the_letter_is_issued(letters_71):
    from correspondence.services import letter_issue
    from tests.factories import make_letter

    draft = make_letter()
    anonymous = Client()
    before = anonymous.get(draft.get_pdf_url())

    letter_issue(letter=draft, by=None)
    after = anonymous.get(draft.get_pdf_url())

    assert (before.status_code, after.status_code) == (404, 200)
    assert after.content.startswith(b"%PDF-")


# --- Faults --------------------------------------------------------------------------------

def test_pages_render_uncached_when_the_shared_cache_is_down(seeded, settings, caplog):
    settings.CACHES = {"default": {
        "BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
    }}

    with caplog.at_level(logging.WARNING, logger="common.cache"):
        pages = [Client().get(url) for url in ["/clusters/", "/meetings/", "/letters/feed/"]]

    assert [p.status_code for p in pages] == [200, 200, 200]
    assert all("X-Cache" not in p for p in pages)
    assert "The shared cache failed" in caplog.text


def test_made_up_session_cookie_gets_the_page_stored_too(seeded, settings):
    """A visitor sending a made-up session cookie after every change still costs one render:
    the page rendered for it (which only deletes the cookie) is stored like any other."""
    made_up = Client()
    made_up.cookies[settings.SESSION_COOKIE_NAME] = secrets.token_hex(16)

    first = made_up.get("/meetings/")
    made_up.cookies[settings.SESSION_COOKIE_NAME] = secrets.token_hex(16)
    second = made_up.get("/meetings/")

    assert first.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 0  # told to forget it
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert "Set-Cookie" not in Client().get("/meetings/")
