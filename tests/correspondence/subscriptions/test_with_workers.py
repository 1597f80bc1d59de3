"""Subscribing end to end with real processes: the form, the confirmation sent by a
`db_worker` subprocess through aiosmtpd, the next letter, a one-click unsubscribe read from
the message's header, then nothing more; the rate limit seen by a second process."""

import datetime as dt
import subprocess
import sys

import pytest
from django.test import Client
from django.utils import timezone

from correspondence.distribution.services import letter_distribute
from correspondence.models import ConfirmationMessage, Delivery, ScheduleNotice, Subscription
from correspondence.subscriptions import links
from correspondence.subscriptions.services import notice_subscribers_queue
from correspondence.tasks import deliver_notice
from tests.correspondence.distribution.conftest import ROOT, run_worker, subprocess_env
from tests.factories import make_issued_letter, make_mission

from .subscribing import form, link_in, path_of

pytestmark = pytest.mark.django_db(transaction=True)


def to(server, address):
    return [m for m in server.messages() if m["To"] == address]


def notices(server, address):
    return [m for m in to(server, address) if m["Subject"].startswith("Schedule notice")]


def test_subscribe_confirm_receive_the_next_notice_and_letter_unsubscribe_then_nothing(
        smtp_server, letter_to, tiny_pdf):
    from correspondence.notices.services import notice_send
    from sessions.services import meeting_postpone
    from tests.factories import make_meeting

    make_mission(emails=("registry@mission.example",))
    letter = letter_to(None)
    client = Client(enforce_csrf_checks=False)

    asked = client.post("/subscriptions/new/", form(email="reader@example.org", what="both",
                                                    source="/letters/"))
    run_worker(smtp_server.url)
    [confirmation] = to(smtp_server, "reader@example.org")
    confirm = path_of(link_in(confirmation.get_content(), "confirm"))
    client.post(confirm)
    subscription = Subscription.objects.get()
    assert asked.status_code == 302 and subscription.is_active

    letter_distribute(letter=letter)
    run_worker(smtp_server.url)
    [received] = [m for m in to(smtp_server, "reader@example.org")
                  if m["Subject"] == letter.subject]
    text = received.get_body(("plain",)).get_content()
    assert received["Message-ID"].startswith(f"<pga-2017-01-12.s{subscription.pk}@")
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert [p.get_filename() for p in received.iter_attachments()] == ["pga-2017-01-12.pdf"]
    assert link_in(text, "manage") and link_in(text, "unsubscribe")
    assert len(to(smtp_server, "registry@mission.example")) == 1

    # The next schedule notice, sent by the publisher's own path and a worker.
    meeting = make_meeting(session=letter.session, number=9,
                           starts_at=timezone.now() + dt.timedelta(days=10))
    notice_send(session=letter.session, by=None)
    run_worker(smtp_server.url)
    [notice] = notices(smtp_server, "reader@example.org")
    assert notice["Message-ID"].startswith(f"<notice-1.s{subscription.pk}@")
    assert notice["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = notice["List-Unsubscribe"].strip("<>").rstrip("/").rsplit("/", 1)[1]
    assert links.subscription_id(token, links.UNSUBSCRIBE_SALT) == subscription.pk
    assert link_in(notice.get_body(("plain",)).get_content(), "unsubscribe")
    assert len(notices(smtp_server, "registry@mission.example")) == 1

    # The next letter is queued for the subscriber, who then unsubscribes in one click (a
    # mail client's POST: no cookie, no CSRF token) before the worker runs.
    later = make_issued_letter(
        session=letter.session, letterhead=letter.letterhead, slug="pga-2017-02-01",
        date=dt.date(2017, 2, 1), subject="Letter dated 1 February 2017",
        issued_at=timezone.now(), pdf=tiny_pdf)
    letter_distribute(letter=later)
    meeting_postpone(meeting=meeting, reason="The Chamber is unavailable")
    one_click = received["List-Unsubscribe"].strip("<>")
    answer = Client(enforce_csrf_checks=True).post(
        path_of(one_click), "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded")
    notice_send(session=letter.session, by=None)
    run_worker(smtp_server.url)

    assert answer.status_code == 200
    assert len(to(smtp_server, "reader@example.org")) == 3  # nothing more
    assert len(to(smtp_server, "registry@mission.example")) == 4
    assert len(notices(smtp_server, "registry@mission.example")) == 2
    cancelled = Delivery.objects.get(letter=later, subscription=subscription)
    assert cancelled.state == Delivery.State.CANCELLED


def test_a_notice_queued_for_a_subscriber_who_unsubscribed_is_cancelled_by_the_worker(
        smtp_server, subscribe_to):
    from tests.factories import make_session

    session = make_session()
    notice = ScheduleNotice.objects.create(number=1, session=session, send_at=timezone.now())
    subscription = subscribe_to("reader@example.org", session=session)
    subscribe_to("letters.only@example.org", wants_notices=False)
    queued = notice_subscribers_queue(notice=notice, now=timezone.now())
    Subscription.objects.filter(pk=subscription.pk).update(unsubscribed_at=timezone.now())

    deliver_notice.enqueue(notice.pk)
    run_worker(smtp_server.url)

    [delivery] = Delivery.objects.filter(notice=notice)
    assert queued == 1 and delivery.subscription_id == subscription.pk
    assert delivery.state == Delivery.State.CANCELLED and smtp_server.messages() == []


SECOND_PROCESS = """
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
answer = Client().post("/subscriptions/new/", {
    "email": "READER@example.org", "what": "both", "language": "en", "source": "/"},
    REMOTE_ADDR="198.51.100.9")
print(answer.status_code)
"""


def test_the_rate_limit_holds_across_processes_and_clients(smtp_server):
    first = Client().post("/subscriptions/new/", form(email="reader@example.org"),
                          REMOTE_ADDR="203.0.113.7")

    second = subprocess.run([sys.executable, "manage.py", "shell", "-c", SECOND_PROCESS],
                            cwd=ROOT, env=subprocess_env(smtp_server.url), capture_output=True,
                            text=True, timeout=60)
    run_worker(smtp_server.url)

    assert first.status_code == 302
    assert second.stdout.split()[-1] == "429", second.stderr
    assert ConfirmationMessage.objects.count() == 1
    assert len(smtp_server.messages()) == 1
