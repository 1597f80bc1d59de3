"""Several machines, one truth: two gunicorn app servers (A and B, separate processes, separate
MEDIA_ROOTs), two task workers, one PostgreSQL database, one Redis and one SMTP server, as
docs/operations.md ("Production layout") lays them out, on this machine.

A meeting moved in the admin of A is seen at once on B (its page and the calendar, both
cached on B beforehand); a letter issued on A is downloaded from B with the SHA-256 it was
issued with; a distribution to the 193 Member States' missions, queued on A and shared by both
workers, sends each mission exactly one message.

PostgreSQL only: the one database is a fresh database beside the test database on the tests'
own server (SQLite is one machine's file). Staff sign-in is a session made in the database
(as the sign-in would make it) for a Secretariat editor: the test is about the servers, not
the sign-in form.
"""

import collections
import hashlib
import json
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.correspondence.distribution.conftest import SmtpServer, mission_code, pdf_attachment
from tests.processes import ROOT, AppServer, RedisServer, ScratchDatabase, manage, project_env

pytestmark = pytest.mark.smtp

EDITOR_SESSION = """
import datetime as dt, json
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group, User
from common.timezones import ny_iso
from sessions.models import Meeting
from tests.factories import meeting_form_data

editor = User.objects.create_user("editor", "editor@example.org", is_staff=True)
editor.groups.add(Group.objects.get(name="Secretariat editors"))
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(editor.pk)
store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
store[HASH_SESSION_KEY] = editor.get_session_auth_hash()
store.create()
meeting = Meeting.objects.get(session__number=71, number=1)
moved = dt.datetime.combine(meeting.local_start.date(), dt.time(15), meeting.local_start.tzinfo)
print(json.dumps({
    "cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}",
    "meeting": meeting.pk,
    "form": meeting_form_data(meeting, starts_at_1="15:00:00", ends_at_1="18:00:00"),
    "page": f'datetime="{ny_iso(moved)}"',
    "calendar": f"DTSTART;TZID=America/New_York:{moved:%Y%m%dT%H%M%S}",
}))
"""

# A draft correction, and the session of a publisher with a second factor, who issues it
# through server A's admin.
PUBLISHER_SESSION = """
import json
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group, User
from correspondence.models import Letter
from correspondence.seed import CO_CHAIRS_SLUG
from correspondence.services import letter_correct
from tests.factories import give_second_factor

publisher = User.objects.create_user("publisher", "publisher@example.org", is_staff=True)
publisher.groups.add(Group.objects.get(name="Secretariat publishers"))
give_second_factor(publisher)
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(publisher.pk)
store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
store[HASH_SESSION_KEY] = publisher.get_session_auth_hash()
store.create()
draft = letter_correct(letter=Letter.objects.get(slug=CO_CHAIRS_SLUG), by=None)
print(json.dumps({"cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}",
                  "draft": draft.pk, "slug": draft.slug}))
"""

ISSUED = """
import json
from correspondence.models import Letter

letter = Letter.objects.get(slug=%r)
print(json.dumps({"status": letter.status, "sha256": letter.pdf_sha256}))
"""

LEDGER = """
import json
from correspondence.models import Delivery
print(json.dumps({
    "states": sorted(set(Delivery.objects.values_list("state", "attempts"))),
    "workers": len(set(Delivery.objects.values_list("claimed_by", flat=True))),
}))
"""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def http(server, path, *, data=None, cookie=None):
    """(status, headers, body) of a GET, or of a POST of the form `data`; no redirect
    followed, errors are answers too."""
    body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
    request = urllib.request.Request(server.url + path, data=body)
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def post_admin_form(server, path, cookie, data):
    """GET an admin form with a session cookie, then POST it with its CSRF cookie and token;
    (status, headers, body) of the POST."""
    status, headers, body = http(server, path, cookie=cookie)
    assert status == 200, body[:500]
    csrf = " ".join(headers.get_all("Set-Cookie")).split("csrftoken=", 1)[1].split(";", 1)[0]
    token = body.split(b'name="csrfmiddlewaretoken" value="', 1)[1].split(b'"', 1)[0].decode()
    return http(server, path, cookie=f"{cookie}; csrftoken={csrf}",
                data={**data, "csrfmiddlewaretoken": token})


def wait_for(condition, *, timeout, what):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


@pytest.fixture
def deployment(settings, tmp_path):
    """The servers, the workers and their dependencies, stopped and removed afterwards."""
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip("two machines share a PostgreSQL database, not a SQLite file")
    stack = []
    try:
        database = ScratchDatabase("scaleout")
        stack.append(database.drop)
        redis = RedisServer()
        stack.append(redis.stop)
        smtp = SmtpServer(tmp_path / "Maildir")
        smtp.handler.delay = 0.01  # long enough that both workers take part
        smtp.start()
        stack.append(smtp.stop)

        def machine(name):
            return project_env(DATABASE_URL=database.url, CACHE_URL=redis.url,
                               EMAIL_URL=smtp.url, MEDIA_ROOT=tmp_path / f"media-{name}")

        database.build(machine("a"))
        servers = {}
        for name in ("a", "b"):
            servers[name] = AppServer(machine(name), "--workers", "2")
            stack.append(servers[name].stop)
        workers = []
        for name in ("a", "b"):
            log = tmp_path / f"worker-{name}.log"
            with log.open("w") as out:
                worker = subprocess.Popen(
                    [sys.executable, "manage.py", "task_worker", "--queue-name",
                     "default,distribution", "--no-startup-delay", "--interval",
                     "0.1"], cwd=ROOT, env=machine(name), stdout=out, stderr=subprocess.STDOUT)
            workers.append((worker, log))
            stack.append(lambda worker=worker: (worker.send_signal(signal.SIGTERM),
                                                worker.wait(timeout=30)))
        yield servers["a"], servers["b"], smtp, machine("a"), workers
    finally:
        for undo in reversed(stack):
            undo()


def test_two_app_servers_and_two_workers_share_one_database_and_one_cache(deployment):
    a, b, smtp, env_a, workers = deployment
    for server in (a, b):
        status, _headers, body = server.get("/readyz")
        assert status == 200, body

    # A meeting moved in the admin of A, seen at once on B (page and calendar cached on B).
    editor = json.loads(manage("shell", "--no-imports", "-c", EDITOR_SESSION, env=env_a).stdout)
    page, calendar = f"/meetings/{editor['meeting']}/", "/meetings/calendar.ics"
    for path in (page, page, calendar, calendar):
        status, headers, body = http(b, path)
        assert status == 200
    assert headers["X-Cache"] == "hit"
    assert editor["page"].encode() not in http(b, page)[2]
    assert editor["calendar"].encode() not in body

    change = f"/admin/ign_sessions/meeting/{editor['meeting']}/change/"
    status, headers, body = post_admin_form(a, change, editor["cookie"], editor["form"])
    assert status == 302, body[:2000]

    assert editor["page"].encode() in http(b, page)[2]
    assert editor["calendar"].encode() in http(b, calendar)[2]

    # A letter issued on A, downloaded from B (and listed there at once) with its SHA-256.
    http(b, "/letters/")
    publisher = json.loads(manage("shell", "--no-imports", "-c", PUBLISHER_SESSION,
                                  env=env_a).stdout)
    issue = f"/admin/correspondence/letter/{publisher['draft']}/issue/"
    status, headers, body = post_admin_form(a, issue, publisher["cookie"], {})
    assert status == 302, body[:2000]
    issued = json.loads(manage("shell", "--no-imports", "-c", ISSUED % publisher["slug"],
                               env=env_a).stdout)
    assert issued["status"] == "issued"
    issued["slug"] = publisher["slug"]
    assert f"/letters/{issued['slug']}/".encode() in http(b, "/letters/")[2]
    downloads = {}
    for name, server in (("b", b), ("a", a)):
        status, _headers, pdf = http(server, f"/letters/{issued['slug']}.pdf")
        assert status == 200
        downloads[name] = hashlib.sha256(pdf).hexdigest()
    assert downloads == {"a": issued["sha256"], "b": issued["sha256"]}

    # A distribution queued on A, shared by both workers: 193 missions, one message each.
    for worker, log in workers:
        wait_for(lambda log=log: "Starting worker" in log.read_text(), timeout=60,
                 what="the workers")
        assert worker.poll() is None
    from correspondence.seed import PGA_SLUG

    manage("distribute_letter", PGA_SLUG, "--parallel", "2", env=env_a)
    wait_for(lambda: len(smtp.messages()) >= 193, timeout=120, what="193 messages")
    time.sleep(0.5)  # a duplicate would arrive now

    messages = smtp.messages()
    codes = collections.Counter(mission_code(m) for m in messages)
    assert len(codes) == 193 and max(codes.values()) == 1
    ledger = json.loads(manage("shell", "--no-imports", "-c", LEDGER, env=env_a).stdout)
    assert ledger == {"states": [["sent", 1]], "workers": 2}
    status, _headers, pdf = http(b, f"/letters/{PGA_SLUG}.pdf")
    assert {pdf_attachment(m) for m in messages} == {(f"{PGA_SLUG}.pdf", pdf)}
