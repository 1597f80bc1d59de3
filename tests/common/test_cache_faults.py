"""The page cache when Redis fails: down, frozen or full, pages are served uncached and staff
saves succeed; once it is back, a change made meanwhile is seen at once. With a redis-server
of the test's own (never the machine's), in this process and through gunicorn."""

import html.parser
import http.client
import logging
import time
import urllib.parse

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import OperationalError
from django.test import Client

import common.content_version
from common.models import ContentVersion
from tests.factories import post_meeting
from tests.processes import AppServer, RedisServer, manage, project_env

pytestmark = pytest.mark.django_db
PAGES = ["/", "/meetings/", "/clusters/", "/meetings/calendar.ics", "/letters/feed/"]
# The bound for a page while Redis is frozen.
FROZEN_BOUND = 1.0


class Clock:
    """The content version's clock (back-offs and checks), moved by hand."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture(scope="module")
def redis():
    server = RedisServer()
    yield server
    server.stop()


def running(redis):
    """Our Redis answering, empty, with room: whatever the test before left it."""
    if redis.process.poll() is None:
        redis.thaw()
    else:
        redis.start()
    redis.empty()
    redis.cli("flushall")
    return redis


def on_redis(settings, redis, database, *, connect_timeout, timeout):
    # django-redis keeps one connection pool per address, made with the options of its first
    # use: each set of timeouts has its own database number.
    settings.CACHES = {"default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{redis.port}/{database}",
        "OPTIONS": {"IGNORE_EXCEPTIONS": False, "SOCKET_CONNECT_TIMEOUT": connect_timeout,
                    "SOCKET_TIMEOUT": timeout},
    }}


@pytest.fixture
def redis_cache(redis, settings):
    """The cache on our Redis, with generous timeouts: what these tests check is which page is
    served, and a machine busy with other work must not make a read fail by its timeout."""
    running(redis)
    on_redis(settings, redis, 1, connect_timeout=2.0, timeout=2.0)
    yield redis
    running(redis)


@pytest.fixture
def redis_cache_as_deployed(redis_cache, settings):
    """The cache on our Redis with the deployment's timeouts (``CACHE_TIMEOUT``)."""
    on_redis(settings, redis_cache, 2, connect_timeout=settings.CACHE_CONNECT_TIMEOUT,
             timeout=settings.CACHE_TIMEOUT)
    return redis_cache


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(common.content_version, "clock", fake)
    return fake


def warm(*urls):
    """Each page cached: the second request of each is a hit."""
    for url in urls:
        Client().get(url)
        assert Client().get(url)["X-Cache"] == "hit", url


def timed_get(url):
    started = time.monotonic()
    response = Client().get(url)
    return response, time.monotonic() - started


def warnings_of(caplog, text):
    return [r for r in caplog.records if r.levelno >= logging.WARNING and text in r.getMessage()]


# --- In this process, against a real Redis ---------------------------------------------------

def test_redis_stopped_staff_save_succeeds_and_pages_are_served_uncached(
        seeded, redis_cache, admin_client, django_capture_on_commit_callbacks, caplog):
    meeting = seeded.meetings.get(number=1)
    warm("/meetings/", f"/meetings/{meeting.pk}/")
    token = ContentVersion.objects.get().token
    redis_cache.stop()

    with django_capture_on_commit_callbacks(execute=True):
        saved = post_meeting(admin_client, meeting, title="Moved while the cache was down")
    pages = [Client().get(url) for url in [*PAGES, *PAGES, f"/meetings/{meeting.pk}/"]]

    assert saved.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Moved while the cache was down"
    assert ContentVersion.objects.get().token != token  # the change outlives the outage
    assert [p.status_code for p in pages] == [200] * len(pages)
    assert all("X-Cache" not in p for p in pages)
    assert "Moved while the cache was down" in pages[-1].text
    # Once per interval, not once per request.
    assert len(warnings_of(caplog, "The shared cache")) <= 2


def test_redis_frozen_pages_answer_within_a_second(
        seeded, redis_cache_as_deployed, admin_client):
    redis = redis_cache_as_deployed
    meeting = seeded.meetings.get(number=1)
    # What rendering each page costs on this machine now (the slowest of three misses): the
    # bound is on what the frozen cache adds to it (the slowest of three requests while
    # frozen), as other work on a shared machine may slow rendering itself.
    rendering = {}
    for url in PAGES * 3:
        cache.clear()
        rendering[url] = max(rendering.get(url, 0.0), timed_get(url)[1])
    warm(*PAGES)
    redis.freeze()

    timed = [(url, *timed_get(url)) for url in PAGES * 3]
    started = time.monotonic()
    saved = post_meeting(admin_client, meeting, agenda="Agreed while the cache was frozen")
    save_seconds = time.monotonic() - started

    assert [r.status_code for _, r, _ in timed] == [200] * len(timed)
    frozen = {}
    for url, _, seconds in timed:
        frozen[url] = max(frozen.get(url, 0.0), seconds)
    added = max(frozen[url] - rendering[url] for url in PAGES)
    assert added < FROZEN_BOUND, f"the frozen cache added {added:.2f} s to a page"
    assert saved.status_code == 302 and save_seconds < FROZEN_BOUND * 3


def test_redis_full_pages_200_saves_succeed_and_nothing_stale_is_served(
        seeded, redis_cache, admin_client, clock, django_capture_on_commit_callbacks):
    meeting = seeded.meetings.get(number=1)
    url = f"/meetings/{meeting.pk}/"
    warm(*PAGES, url)
    redis_cache.fill()

    with django_capture_on_commit_callbacks(execute=True):
        saved = post_meeting(admin_client, meeting, title="Renamed while the cache was full")
    at_once = Client().get(url)
    clock.now += 5  # the cache's back-off is over: read again, compared with the database
    later = [Client().get(page) for page in [url, *PAGES]]

    assert saved.status_code == 302
    assert [r.status_code for r in [at_once, *later]] == [200] * (len(later) + 1)
    assert "Renamed while the cache was full" in at_once.text
    assert "Renamed while the cache was full" in later[0].text


@pytest.mark.parametrize("saw_the_outage", [True, False], ids=["this process", "another"])
def test_change_saved_while_redis_was_frozen_is_seen_once_it_is_back(
        seeded, redis_cache, admin_client, clock, django_capture_on_commit_callbacks,
        saw_the_outage):
    meeting = seeded.meetings.get(number=1)
    url = f"/meetings/{meeting.pk}/"
    common.content_version._next_check = 0.0  # a process's first request checks
    warm(url)
    redis_cache.freeze()

    with django_capture_on_commit_callbacks(execute=True):
        saved = post_meeting(admin_client, meeting, title="Renamed while the cache was frozen")
    redis_cache.thaw()
    clock.now += 2  # an outage longer than the check interval
    if not saw_the_outage:  # as in a worker that served nothing meanwhile
        common.content_version._cache_down_until = 0.0
        common.content_version._next_check = (
            1000.0 + django_settings.IGN_CONTENT_VERSION_CHECK_SECONDS)
    back = Client().get(url)
    again = Client().get(url)

    assert saved.status_code == 302
    assert "Renamed while the cache was frozen" in back.text
    assert back["X-Cache"] == "miss" and again["X-Cache"] == "hit"
    assert "Renamed while the cache was frozen" in again.text


def test_version_the_cache_missed_is_replaced_within_the_check_interval(
        seeded, redis_cache, clock):
    """A change whose bump never reached the cache (it was down at that instant, in another
    process): pages are stale at most until this process's next comparison."""
    common.content_version._next_check = 0.0
    warm("/clusters/")
    ContentVersion.objects.update(token="changed-elsewhere")

    before = Client().get("/clusters/")
    clock.now += django_settings.IGN_CONTENT_VERSION_CHECK_SECONDS
    after = Client().get("/clusters/")

    assert before["X-Cache"] == "hit"  # within the interval: the bound, not a promise
    assert after["X-Cache"] == "miss"


def test_database_failing_the_comparison_keeps_cached_pages_served(
        seeded, redis_cache, clock, monkeypatch, caplog):
    """The database's token is read at a bounded cost: when the read fails, cached pages are
    still served, the failure logged once, and the read left alone for a while."""
    reads = []

    def failing():
        reads.append(clock.now)
        raise OperationalError("the database is down")

    common.content_version._next_check = 0.0
    warm("/clusters/", "/meetings/")
    monkeypatch.setattr(common.content_version, "database_version", failing)
    common.content_version._next_check = 0.0

    hits = []
    for _ in range(5):
        hits += [Client().get("/clusters/")["X-Cache"], Client().get("/meetings/")["X-Cache"]]
        clock.now += 1.5

    assert hits == ["hit"] * 10
    assert len(reads) == 1  # then backed off (DATABASE_BACKOFF)
    assert len(warnings_of(caplog, "did not give the content version")) == 1


# --- Through gunicorn ----------------------------------------------------------------------

SETUP_EDITOR = """
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group, User
from django.contrib.sessions.backends.db import SessionStore
from sessions.models import Meeting
user = User.objects.create_user("cache-faults-editor", is_staff=True)
user.groups.add(Group.objects.get(name="Secretariat editors"))
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key, Meeting.objects.get(session__number=71, number=1).pk)
"""


class Site:
    """The 71st session on SQLite, served by gunicorn (two workers) with its own Redis."""

    def __init__(self, tmp_path):
        self.redis = RedisServer()
        self.env = project_env(DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}",
                               CACHE_URL=self.redis.url)
        for command in (["migrate", "--noinput"], ["create_groups"], ["load_ign71"]):
            manage(*command, env=self.env)
        printed = manage("shell", "-c", SETUP_EDITOR, env=self.env).stdout
        self.session_key, self.meeting = printed.splitlines()[-1].split()
        self.app = AppServer(self.env, "--workers", "2", "--timeout", "60")

    def stop(self):
        self.app.stop()
        self.redis.stop()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("cache-faults"))
    yield site
    site.stop()


@pytest.fixture
def gunicorn(site):
    running(site.redis)
    yield site
    running(site.redis)


class FormFields(html.parser.HTMLParser):
    """The fields of the admin's change form as a browser would post them."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self.select, self.textarea = None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        elif not self.inside:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file", "image"):
                self.fields.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "select":
            self.select = attrs.get("name")
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.append((self.select, attrs.get("value", "")))
        elif tag == "textarea":
            self.textarea = [attrs.get("name"), ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append(tuple(self.textarea))
            self.textarea = None


def admin_save(site, **changes):
    """The meeting's admin change form, fetched and posted with `changes`, as the editor."""
    path = f"/admin/ign_sessions/meeting/{site.meeting}/change/"
    cookie = f"sessionid={site.session_key}"
    status, headers, body = site.app.get(path, headers={"Cookie": cookie})
    assert status == 200, (status, body[:500])
    form = FormFields("meeting_form")
    form.feed(body.decode())
    fields = [(name, value) for name, value in form.fields if name not in changes]
    fields += list(changes.items())
    csrf = next(value for name, value in fields if name == "csrfmiddlewaretoken")
    csrf_cookie = headers["Set-Cookie"].split("csrftoken=")[1].split(";")[0]
    connection = http.client.HTTPConnection("127.0.0.1", site.app.port, timeout=30)
    try:
        connection.request("POST", path, urllib.parse.urlencode(fields), headers={
            "Cookie": f"{cookie}; csrftoken={csrf_cookie}",
            "Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": csrf})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def timed(site, path):
    started = time.monotonic()
    status, headers, body = site.app.get(path)
    return status, headers.get("X-Cache"), body, time.monotonic() - started


def rendering_times(site, *paths):
    """What rendering each page costs now (the slowest of three misses, in either worker): the
    bound is on what a failing cache adds, on a machine other work may slow."""
    times = {}
    for path in paths:
        for _ in range(3):
            site.redis.cli("flushall")
            times[path] = max(times.get(path, 0.0), timed(site, path)[3])
    return times


def gunicorn_warm(site, *paths):
    for path in paths:
        for _ in range(4):  # a hit in each worker, most likely
            site.app.get(path)


def test_through_gunicorn_redis_stopped_pages_200_uncached_and_staff_save_succeeds(gunicorn):
    site = gunicorn
    meeting = f"/meetings/{site.meeting}/"
    gunicorn_warm(site, *PAGES, meeting)
    site.redis.stop()

    saved = admin_save(site, title_en="Moved while Redis was stopped")
    during = [timed(site, path) for path in [*PAGES, *PAGES, meeting]]
    site.redis.start()
    after = [timed(site, meeting) for _ in range(4)]

    assert saved[0] == 302, saved[1][:2000]
    assert [status for status, *_ in during] == [200] * len(during)
    assert {state for _, state, *_ in during} == {None}  # uncached
    assert b"Moved while Redis was stopped" in during[-1][2]
    assert all(status == 200 and b"Moved while Redis was stopped" in body
               for status, _, body, _ in after)
    assert "Internal Server Error" not in site.app.log()


def test_through_gunicorn_redis_frozen_pages_within_a_second_and_nothing_stale(gunicorn):
    site = gunicorn
    meeting = f"/meetings/{site.meeting}/"
    rendering = rendering_times(site, *PAGES, meeting)
    gunicorn_warm(site, *PAGES, meeting)
    site.redis.freeze()
    frozen_at = time.monotonic()

    during = [(path, *timed(site, path)) for path in [*PAGES, *PAGES, *PAGES, meeting]]
    saved = admin_save(site, title_en="Renamed while Redis was frozen")
    # An outage longer than the check interval, so that a worker that served nothing during
    # it compares at its next request too.
    time.sleep(max(0.0, frozen_at + 1.5 - time.monotonic()))
    site.redis.thaw()
    after = [timed(site, meeting) for _ in range(6)]

    assert [status for _, status, *_ in during] == [200] * len(during)
    frozen = {}
    for path, *_, seconds in during:
        frozen[path] = max(frozen.get(path, 0.0), seconds)
    added = max(frozen[path] - rendering[path] for path in frozen)
    assert added < FROZEN_BOUND, f"the frozen cache added {added:.2f} s to a page"
    assert saved[0] == 302, saved[1][:2000]
    assert all(status == 200 and b"Renamed while Redis was frozen" in body
               for status, _, body, _ in after), [state for _, state, _, _ in after]
    assert "Internal Server Error" not in site.app.log()


def test_through_gunicorn_change_saved_while_redis_was_full_is_seen_once_it_has_room(gunicorn):
    """Full (noeviction) keeps the pages but refuses the new content version: once Redis
    has room again, the version compared with the database's retires them."""
    site = gunicorn
    meeting = f"/meetings/{site.meeting}/"
    gunicorn_warm(site, *PAGES, meeting)
    site.redis.fill()
    filled_at = time.monotonic()

    during = [timed(site, path) for path in [*PAGES, meeting]]
    saved = admin_save(site, title_en="Renamed while Redis was full")
    time.sleep(max(0.0, filled_at + 1.5 - time.monotonic()))  # longer than the check interval
    site.redis.empty()
    after = [timed(site, meeting) for _ in range(6)]

    assert [status for status, *_ in during] == [200] * len(during)
    assert saved[0] == 302, saved[1][:2000]
    assert all(status == 200 and b"Renamed while Redis was full" in body
               for status, _, body, _ in after), [state for _, state, _, _ in after]
    assert "Internal Server Error" not in site.app.log()
