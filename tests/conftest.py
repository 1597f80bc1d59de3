"""Fixtures shared by every test.

The seed (`seeded`), and the states built on it (the 71st session's letters, `letters_71`;
the session grown to many rows, `grown`, one state per parameter), are built once per test
session, not once per test: the first database test that asks for them builds them inside a
transaction that stays open, and each such test then runs, as every database test does, in a
savepoint rolled back at its end, so it starts from the same rows. A database test that asks
for neither gets the empty database (the open transaction is rolled back first), and a
transactional test (live server, worker subprocesses) builds them for real, committed, since
it flushes the database at its end. Tests are ordered so that each state is built once.
"""

import datetime as dt
import os
import shutil

import pytest

# Database states kept across tests: the seed, and states built on it (each a fixture,
# some parametrized: one state per parameter).
ON_THE_SEED = ("letters_71", "grown")
TRANSACTIONAL_FIXTURES = ("transactional_db", "live_server", "django_db_reset_sequences")
DATABASE_FIXTURES = ("db", *TRANSACTIONAL_FIXTURES)


def _database_use(item):
    """(uses the database, is transactional) as pytest-django decides it."""
    marker = item.get_closest_marker("django_db")
    names = getattr(item, "fixturenames", ())
    transactional = bool(marker and (marker.kwargs.get("transaction")
                                     or marker.kwargs.get("reset_sequences")))
    transactional = transactional or any(n in names for n in TRANSACTIONAL_FIXTURES)
    uses_db = bool(marker) or any(n in names for n in DATABASE_FIXTURES)
    return uses_db, transactional


def _snapshots_wanted(item):
    """The kept states a non-transactional database test starts from, outermost first:
    (fixture name, parameter) pairs."""
    uses_db, transactional = _database_use(item)
    names = item.fixturenames
    if not uses_db or transactional or "seeded" not in names:
        return ()
    params = item.callspec.params if hasattr(item, "callspec") else {}
    return (("seeded", None), *((name, params.get(name)) for name in ON_THE_SEED
                                if name in names))


class Snapshots:
    """The kept states: one open atomic block per level, on the default database."""

    def __init__(self):
        self.levels = []  # [((name, param), atomic, value)]
        self.blocker = None  # pytest-django's database blocker, once the test database exists

    def value(self, name, param=None):
        for level, _atomic, value in self.levels:
            if level == (name, param):
                return value
        return None

    def sync(self, wanted):
        """Roll back the levels the next test does not start from; build those it needs."""
        if self.blocker is None:
            return
        with self.blocker.unblock():
            self._check()
            while self.levels and [k for k, _a, _v in self.levels] != list(
                    wanted[:len(self.levels)]):
                self._close()
            while len(self.levels) < len(wanted):
                self._open(wanted[len(self.levels)])

    def close_all(self):
        if self.blocker is not None:
            with self.blocker.unblock():
                while self.levels:
                    self._close()

    def _check(self):
        from django.db import connection

        ours = [atomic for _name, atomic, _value in self.levels]
        if connection.atomic_blocks != ours:
            raise RuntimeError("A test left the kept database states in a broken transaction.")

    def _open(self, key):
        from django.db import transaction

        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            name, param = key
            value = BUILDERS[name](*[value for _k, _a, value in self.levels[:1]], param)
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
        self.levels.append((key, atomic, value))

    def _close(self):
        from django.db import transaction

        _name, atomic, _value = self.levels.pop()
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def build_seed(_param=None):
    from portal.seed import load_ign71

    return load_ign71().pk


def build_letters_71(session_pk, _param=None):
    """Two issued letters of the 71st session announcing its first meetings, and a draft."""
    from clusters.models import Cluster
    from sessions.models import Session
    from tests.factories import make_issued_letter, make_letter

    session = Session.objects.get(pk=session_pk)
    meetings = list(session.meetings.order_by("number"))
    cover = make_issued_letter(
        session=session, slug="2017-01-12-pga-cover", date=dt.date(2017, 1, 12),
        subject="Letter dated 12 January 2017 on the resumption of the negotiations",
        body="The Co-Chairs will convene the first meetings on 6 and 7 February 2017.",
        meetings=meetings, clusters=list(Cluster.objects.all()),
    )
    earlier = make_issued_letter(
        session=session, slug="2016-11-09-appointment", date=dt.date(2016, 11, 9),
        subject="Letter dated 9 November 2016 appointing the Co-Chairs",
        body="I have the pleasure to appoint the Permanent Representatives of Romania and Tunisia.",
    )
    draft = make_letter(session=session, signatories=0, subject="Unissued draft on the veto")
    return cover.pk, earlier.pk, draft.pk


def build_grown(session_pk, size):
    from sessions.models import Session
    from tests.factories import grow_session

    grow_session(Session.objects.get(pk=session_pk), meetings=size, letters=min(size, 60))
    return size


BUILDERS = {"seeded": build_seed, "letters_71": build_letters_71, "grown": build_grown}
_snapshots = Snapshots()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """After pytest-django's order (database tests, transactional ones, the rest): the tests
    that start from a kept state run together, so that each state is built once."""

    def key(item):
        uses_db, transactional = _database_use(item)
        group = 1 if transactional else 0 if uses_db else 2
        return group, tuple(f"{name}:{param}" for name, param in _snapshots_wanted(item))

    items.sort(key=key)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    uses_db, _transactional = _database_use(item)
    if uses_db:
        _snapshots.wanted = _snapshots_wanted(item)
        _snapshots.sync(_snapshots.wanted)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, then the kept states the first database test starts from."""
    _snapshots.blocker = django_db_blocker
    _snapshots.sync(getattr(_snapshots, "wanted", ()))
    yield
    _snapshots.close_all()
    _snapshots.blocker = None


@pytest.fixture(autouse=True)
def _no_page_copies_from_earlier_tests():
    """Each worker's copies of cached pages are checked against the content version, and a
    test's rollback brings an earlier version back (which never happens outside tests)."""
    from common.cache import local_copies

    local_copies.clear()


@pytest.fixture(autouse=True)
def _no_language_from_earlier_tests():
    """A request activates its URL's language in the thread and leaves it active, as
    Django's LocaleMiddleware does: a test's `reverse()` after a request to /ar/ would give
    an Arabic address. Each test starts in the default language."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _failures_logged_afresh():
    """``log_once`` writes a failure once per interval: each test sees its own first line."""
    from common.logs import forget

    forget()


@pytest.fixture(autouse=True)
def _content_version_checked_only_when_a_test_says(monkeypatch):
    """A process compares the cache's content version with the database's once a second:
    when, depends on the clock, which would make query counts vary. Tests of the comparison
    make it due (``common.content_version.cache_failed`` or ``_next_check``); no test starts
    with the cache left alone after an earlier test's failure."""
    import common.content_version

    monkeypatch.setattr(common.content_version, "_next_check", float("inf"))
    monkeypatch.setattr(common.content_version, "_cache_down_until", 0.0)


@pytest.fixture(autouse=True)
def _records_disposed_of_after_committing_tests(request):
    """A transactional test commits its rows, issued letters included, and Django empties
    the database after it with `flush`, which refuses while issued letters exist (and on
    PostgreSQL the triggers refuse TRUNCATE). So the records of a test database are disposed
    of first, through the one path made for it (correspondence.disposal), before that flush."""
    _uses_db, transactional = _database_use(request.node)
    if not transactional:
        yield
        return
    request.getfixturevalue("_django_db_helper")  # set up first, so torn down after this
    yield
    from correspondence.disposal import dispose_of_records

    with request.getfixturevalue("django_db_blocker").unblock():
        dispose_of_records()


@pytest.fixture
def seeded(db):
    """The 71st session as `load_ign71` loads it."""
    from portal.seed import load_ign71
    from sessions.models import Session

    kept = _snapshots.value("seeded")
    return Session.objects.get(pk=kept) if kept else load_ign71()


@pytest.fixture
def letters_71(seeded):
    """Two issued letters of the 71st session announcing its first meetings, and a draft."""
    from correspondence.models import Letter

    kept = _snapshots.value("letters_71") or build_letters_71(seeded.pk)
    return tuple(Letter.objects.get(pk=pk) for pk in kept)


@pytest.fixture
def grown(seeded, request):
    """The 71st session grown to `request.param` meetings and up to 60 issued letters."""
    return _snapshots.value("grown", request.param) or build_grown(seeded.pk, request.param)


@pytest.fixture
def superuser(db):
    """The Secretariat's administrator, with the second factor a superuser must have."""
    from tests.factories import give_second_factor, make_user

    user = make_user("admin", email="admin@example.org", is_staff=True, is_superuser=True)
    give_second_factor(user)
    return user


@pytest.fixture
def admin_client(client, superuser):
    """Signed in as the admin would be by the sign-in and second-factor pages: session and
    signed-in marker (tests/common/test_signin.py drives those pages themselves)."""
    from django.http import HttpResponse

    from common.cache import set_signed_in_marker

    client.force_login(superuser)
    marker = HttpResponse()
    set_signed_in_marker(marker)
    client.cookies.update(marker.cookies)
    return client


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the test database is a file, so that worker subprocesses can open it too."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and not database.get("TEST", {}).get("NAME"):
        path = tmp_path_factory.mktemp("database") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(path)


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# (setting up data) happen outside it, between page actions.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}: browser tests must run in CI.")
        pytest.skip(f"Chromium is missing at {CHROMIUM}.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Server:
    def __init__(self, url):
        self.url = url


@pytest.fixture
def portal(transactional_db, letters_71):
    """The one live server of the tests: the 71st session, its letters, one meeting changed,
    an empty cache.

    Unlike pytest-django's live_server, static files go through the WhiteNoise middleware
    from the collected, hashed files, as in production (the staticfiles handler looks
    for unhashed names and would miss them).
    """
    from django.core.cache import cache
    from django.db import connections
    from django.test.testcases import LiveServerThread
    from django.test.utils import modify_settings

    from sessions.models import Meeting, Room
    from sessions.services import meeting_change

    moved = Meeting.objects.get(session__number=71, number=2)
    meeting_change(meeting=moved, overflow_room=Room.objects.get(name="Conference Room 4"),
                   status=Meeting.Status.POSTPONED, reason="At the request of the Co-Chairs")
    cache.clear()
    shared = {c.alias: c for c in connections.all()
              if c.vendor == "sqlite" and c.is_in_memory_db()}
    thread = LiveServerThread("127.0.0.1", lambda app: app, connections_override=shared, port=0)
    thread.daemon = True
    for conn in shared.values():
        conn.inc_thread_sharing()
    with modify_settings(ALLOWED_HOSTS={"append": "127.0.0.1"}):
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        yield Server(f"http://127.0.0.1:{thread.port}")
        thread.terminate()
    for conn in shared.values():
        conn.dec_thread_sharing()


@pytest.fixture
def context(browser, portal):
    """A fresh browser context, closed before the live server stops."""
    context = browser.new_context()
    yield context
    context.close()
