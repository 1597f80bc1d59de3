"""Headless Chromium (Debian's) driven by Playwright against the live test server."""

import pytest

from tests.portal.fixtures import letters_71  # noqa: F401


class Server:
    def __init__(self, url):
        self.url = url


@pytest.fixture
def portal(transactional_db, request):
    """A live server: the 71st session, its letters, one meeting changed, an empty cache.

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

    request.getfixturevalue("letters_71")
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
