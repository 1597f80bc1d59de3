"""Only a real send marks a delivery sent: what cannot deliver holds; refusals per address."""

import collections
import csv
import datetime as dt
import io
import signal
import subprocess
import time

import pytest
from django.core import mail
from django.core.mail import mailers
from django.core.mail.backends import smtp
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from correspondence.distribution.services import letter_distribute
from correspondence.models import Delivery
from correspondence.tasks import deliver_letter
from tests.factories import make_mission, text_of

from .conftest import ROOT, WORKER, manage, mission_code, subprocess_env

CONSOLE_REASON = (" has a development e-mail backend (django.core.mail.backends.console."
                  "EmailBackend), which delivers nothing: not sent. A worker started with "
                  "EMAIL_URL=smtp://… sends it.")


def url(name, letter, *args):
    return reverse(f"admin:correspondence_letter_{name}", args=[letter.pk, *args])


def wait_for(condition, timeout=90):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def taken_by_workers(queued_by):
    """Whether a worker has dealt with every delivery due by `queued_by` (none is sending)."""
    return Delivery.objects.exists() and not Delivery.objects.filter(
        Q(state="sending") | Q(state="queued", next_attempt_at__lte=queued_by)).exists()


class Worker:
    """A `db_worker` subprocess that runs until stopped; its output goes to a file."""

    def __init__(self, email_url, log, **env):
        self.log = log
        with open(log, "w") as out:
            self.process = subprocess.Popen(
                WORKER, cwd=ROOT, env=subprocess_env(email_url, **env), stdout=out,
                stderr=subprocess.STDOUT, text=True)

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
        return self.log.read_text()


# --- Seen: "the ledger records 'sent' for mail that never left" ----------------------------

@pytest.mark.smtp
@pytest.mark.django_db(transaction=True)
def test_console_worker_records_nothing_sent_then_a_smtp_worker_sends_the_193_once(
    issued_letter, missions, smtp_server, tmp_path
):
    # `make run`'s worker (console e-mail) is running; the command is given a real server.
    console = Worker("consolemail://", tmp_path / "console-worker.log")
    try:
        queued = manage("distribute_letter", issued_letter.slug, smtp_url=smtp_server.url)
        queued_by = timezone.now()
        wait_for(lambda: taken_by_workers(queued_by))
    finally:
        console_output = console.stop()

    # Either the 193 reached the SMTP server or none is recorded sent: here none reached it.
    assert queued.returncode == 0, queued.stderr
    received, sent = len(smtp_server.messages()), Delivery.objects.filter(state="sent").count()
    assert received == 193 or sent == 0, f"{sent} recorded sent, {received} received"
    assert (received, sent) == (0, 0)
    assert Delivery.objects.exclude(state="queued").count() == 0
    assert Delivery.objects.filter(attempts=0, sent_at=None).count() == 193
    [reason] = set(Delivery.objects.values_list("held", flat=True))
    assert reason.startswith("The worker ") and reason.endswith(CONSOLE_REASON)
    assert "Message-ID: <pga-2017-01-12." not in console_output  # it printed no message
    assert "Held 193 deliveries" in console_output

    # A worker with a real backend; running the command again makes them due now.
    smtp_worker = Worker(smtp_server.url, tmp_path / "smtp-worker.log")
    try:
        again = manage("distribute_letter", issued_letter.slug, "--wait", "90",
                       smtp_url=smtp_server.url, timeout=120)
    finally:
        smtp_worker.stop()

    assert again.returncode == 0, again.stderr
    lines = again.stdout.splitlines()
    assert lines[0].startswith("Queued 193 deliveries of “pga-2017-01-12” (0 of 193 missions "
                               "sent, 0 failed, 0 without an address, 193 held (not sent).)")
    assert lines[1] == f"193 held by a worker before: {reason}"
    assert lines[2:] == [
        "After the workers: 193 of 193 missions sent, 0 failed, 0 without an address."]
    codes = collections.Counter(mission_code(m) for m in smtp_server.messages())
    assert len(codes) == 193 and max(codes.values()) == 1
    assert Delivery.objects.filter(state="sent", attempts=1, held="").count() == 193


@pytest.mark.django_db(transaction=True)
def test_command_warns_at_once_when_its_own_backend_does_not_deliver(issued_letter, missions):
    result = manage("distribute_letter", issued_letter.slug, smtp_url="consolemail://")

    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == (
        "Warning: this process's e-mail backend (django.core.mail.backends.console."
        "EmailBackend) delivers nothing; a worker with the same settings would hold the "
        "deliveries, unsent.")
    # Its own backend delivers; no worker runs: it says so when the time is up.
    waited = manage("distribute_letter", issued_letter.slug, "--wait", "0",
                    smtp_url="smtp://127.0.0.1:9")
    assert waited.stderr == ""
    assert waited.stdout.splitlines()[-1] == (
        "Still waiting for a worker after 0 s: 0 of 193 missions sent, 0 failed, "
        "0 without an address.")
    assert Delivery.objects.filter(state="queued", held="").count() == 193


# --- The worker's own refusal, in process (pytest-django's locmem mailer) ------------------

def test_locmem_worker_holds_every_delivery_and_the_admin_says_why(
    admin_client, issued_letter, missions, settings
):
    settings.EMAIL_CONFIGURED = True
    settings.IGN_DELIVERY_RETRY_SECONDS = 60
    letter_distribute(letter=issued_letter)

    result = deliver_letter.call(issued_letter.pk)

    assert mail.outbox == []
    assert (result["sent"], result["held"], result["failed"]) == (0, 193, 0)
    held = Delivery.objects.filter(state="queued", attempts=0, sent_at=None)
    assert held.count() == 193
    [reason] = set(held.values_list("held", flat=True))
    assert reason.endswith(" has a development e-mail backend (django.core.mail.backends."
                           "locmem.EmailBackend), which delivers nothing: not sent. A worker "
                           "started with EMAIL_URL=smtp://… sends it.")
    # A worker that can send takes them at the next retry, through the follow-up task.
    [follow_up] = DBTaskResult.objects.filter(status="READY").order_by("-run_after")[:1]
    due = held.first().next_attempt_at
    assert follow_up.run_after == due
    assert dt.timedelta(seconds=59) < due - timezone.now() <= dt.timedelta(seconds=60)

    progress = text_of(admin_client.get(url("distribution", issued_letter)))
    change = text_of(admin_client.get(reverse("admin:correspondence_letter_change",
                                              args=[issued_letter.pk])))
    ledger = text_of(admin_client.get(reverse("admin:correspondence_delivery_changelist")))
    exported = admin_client.get(url("ledger_csv", issued_letter)).content.decode()

    assert ("0 of 193 missions sent; 193 queued (193 held, not sent), 0 sending, 0 failed "
            "(0 without an address).") in progress
    assert f"193 held: {reason}" in progress
    assert progress.count(f"Queued 0 Held: {reason}") == 193  # each mission not served
    assert "0 of 193 missions sent; 193 queued (193 held, not sent)" in change
    assert f"193 held: {reason}" in change
    assert f"193 held: {reason}" in text_of(admin_client.get(url("distribute", issued_letter)))
    assert ledger.count(f"Held: {reason}") == 100  # the first page of the delivery list
    assert exported.count(reason) == 193


@pytest.mark.smtp
def test_held_delivery_goes_out_once_a_mailer_that_delivers_takes_it(
    letter_to, smtp_server, settings
):
    delivering = settings.MAILERS
    letter = letter_to([make_mission()])
    letter_distribute(letter=letter)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    deliver_letter.call(letter.pk)
    assert Delivery.objects.get().state == "queued"
    assert Delivery.objects.get().held

    settings.MAILERS = delivering
    Delivery.objects.update(next_attempt_at=timezone.now())  # the retry falls due
    deliver_letter.call(letter.pk)

    assert len(smtp_server.messages()) == 1
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.held, delivery.attempts) == ("sent", "", 1)


class SmtpRelay(smtp.EmailBackend):
    """An SMTP backend of one's own: SMTP still."""


class QuietConsole(ConsoleBackend):
    """A development backend under another name: still a development backend."""


class ServiceApi(BaseEmailBackend):
    """A backend this portal knows nothing of (e.g. an e-mail service's HTTP API)."""

    def send_messages(self, email_messages):
        return len(email_messages)


HERE = __name__


@pytest.mark.parametrize(("backend", "declared", "delivers"), [
    ("django.core.mail.backends.smtp.EmailBackend", False, True),
    (f"{HERE}.SmtpRelay", False, True),
    ("django.core.mail.backends.console.EmailBackend", False, False),
    ("django.core.mail.backends.filebased.EmailBackend", False, False),
    ("django.core.mail.backends.locmem.EmailBackend", False, False),
    ("django.core.mail.backends.dummy.EmailBackend", False, False),
    (f"{HERE}.QuietConsole", False, False),
    (f"{HERE}.QuietConsole", True, False),  # declaring it changes nothing
    (f"{HERE}.ServiceApi", False, False),
    (f"{HERE}.ServiceApi", True, True),
])
def test_only_smtp_and_declared_backends_deliver(
    backend, declared, delivers, settings, tmp_path
):
    from correspondence.distribution.mailers import mailer_refusal

    settings.IGN_DELIVERING_MAIL_BACKENDS = [backend] if declared else []
    options = ({"file_path": str(tmp_path)} if "filebased" in backend
               else {"host": "127.0.0.1"} if "Smtp" in backend or "smtp" in backend else {})
    settings.MAILERS = {"default": {"BACKEND": backend, "OPTIONS": options}}

    refusal = mailer_refusal(mailers.default, worker="host:1")

    assert (refusal == "") == delivers
    if not delivers:
        assert refusal.startswith("The worker host:1 has a")
        assert f"({backend})" in refusal


# --- Partial refusals --------------------------------------------------------------------

@pytest.mark.smtp
def test_one_address_refused_is_partly_delivered_and_a_resend_goes_to_it_alone(
    admin_client, letter_to, smtp_server
):
    mission = make_mission(emails=["registry@rou.example", "chancery@rou.example"])
    letter = letter_to([mission])
    smtp_server.handler.refuse = {"chancery@rou.example"}
    letter_distribute(letter=letter)

    deliver_letter.call(letter.pk)

    [message] = smtp_server.messages()
    assert message["X-RcptTo"] == "registry@rou.example"
    delivery = Delivery.objects.get()
    assert delivery.state == "partial"
    assert delivery.accepted == ["registry@rou.example"]
    assert delivery.refused == {"chancery@rou.example": "550 5.1.1 Mailbox unavailable"}
    assert delivery.error == "chancery@rou.example: 550 5.1.1 Mailbox unavailable"
    assert delivery.sent_at is not None
    page = text_of(admin_client.get(url("distribution", letter)))
    assert "0 of 1 missions sent; 0 queued, 0 sending, 1 partly delivered, 0 failed" in page
    assert "1 mission not yet served" in page
    assert ("registry@rou.example: took it chancery@rou.example: refused "
            "(550 5.1.1 Mailbox unavailable)") in page
    assert "Re-send to the refused addresses" in page
    [row] = csv.DictReader(io.StringIO(
        admin_client.get(url("ledger_csv", letter)).content.decode()))
    assert (row["state"], row["accepted_by"], row["refused_by"]) == (
        "partial", "registry@rou.example",
        "chancery@rou.example: 550 5.1.1 Mailbox unavailable")

    smtp_server.handler.refuse = set()
    response = admin_client.post(url("resend_refused", letter, delivery.pk), follow=True)
    deliver_letter.call(letter.pk)

    assert "will be sent the letter again at the refused addresses" in text_of(response)
    second = [m for m in smtp_server.messages() if m["X-RcptTo"] != "registry@rou.example"]
    assert [m["X-RcptTo"] for m in second] == ["chancery@rou.example"]
    assert [a.addr_spec for a in second[0]["To"].addresses] == ["chancery@rou.example"]
    assert second[0]["Message-ID"] == message["Message-ID"]
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.refused) == ("sent", 2, {})
    assert delivery.accepted == ["registry@rou.example", "chancery@rou.example"]
    sent = text_of(admin_client.get(url("distribution", letter)))
    assert "1 mission sent" in sent
    assert "registry@rou.example; chancery@rou.example" in sent


@pytest.mark.smtp
def test_one_address_refused_for_now_is_tried_again_alone(letter_to, smtp_server):
    mission = make_mission(emails=["registry@rou.example", "chancery@rou.example"])
    letter = letter_to([mission])
    smtp_server.handler.answers = {"chancery@rou.example": "450 4.2.1 Mailbox busy"}
    letter_distribute(letter=letter)
    deliver_letter.call(letter.pk)

    delivery = Delivery.objects.get()
    assert [m["X-RcptTo"] for m in smtp_server.messages()] == ["registry@rou.example"]
    assert delivery.state == "queued"
    assert delivery.accepted == ["registry@rou.example"]
    assert delivery.refused == {"chancery@rou.example": "450 4.2.1 Mailbox busy"}
    smtp_server.handler.answers = {}
    Delivery.objects.update(next_attempt_at=timezone.now())  # the retry falls due
    deliver_letter.call(letter.pk)

    assert sorted(m["X-RcptTo"] for m in smtp_server.messages()) == [
        "chancery@rou.example", "registry@rou.example"]
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("sent", 2)


@pytest.mark.smtp
def test_every_address_refused_is_failed_with_each_answer(letter_to, smtp_server):
    mission = make_mission(emails=["registry@rou.example", "chancery@rou.example"])
    letter = letter_to([mission])
    smtp_server.handler.refuse = {"registry@rou.example", "chancery@rou.example"}
    letter_distribute(letter=letter)

    deliver_letter.call(letter.pk)

    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.sent_at) == ("failed", None)
    assert delivery.accepted == []
    assert delivery.refused == {"chancery@rou.example": "550 5.1.1 Mailbox unavailable",
                                "registry@rou.example": "550 5.1.1 Mailbox unavailable"}
    assert smtp_server.messages() == []


@pytest.mark.smtp
def test_a_waiting_delivery_goes_to_its_refused_addresses_alone_on_request(
    admin_client, letter_to, smtp_server
):
    mission = make_mission(emails=["registry@rou.example", "chancery@rou.example"])
    letter = letter_to([mission])
    smtp_server.handler.answers = {"chancery@rou.example": "450 4.2.1 Mailbox busy"}
    letter_distribute(letter=letter)
    deliver_letter.call(letter.pk)
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.accepted) == ("queued", ["registry@rou.example"])

    page = text_of(admin_client.get(url("distribution", letter)))
    smtp_server.handler.answers = {}
    admin_client.post(url("resend_refused", letter, delivery.pk))
    deliver_letter.call(letter.pk)

    assert "Re-send to the refused addresses" in page
    assert sorted(m["X-RcptTo"] for m in smtp_server.messages()) == [
        "chancery@rou.example", "registry@rou.example"]  # registry once, not twice
    delivery.refresh_from_db()
    assert delivery.state == "sent"


@pytest.mark.smtp
def test_a_partly_delivered_mission_left_without_addresses_is_not_recorded_sent(
    admin_client, letter_to, smtp_server
):
    mission = make_mission(emails=["registry@rou.example", "chancery@rou.example"])
    letter = letter_to([mission])
    smtp_server.handler.refuse = {"chancery@rou.example"}
    letter_distribute(letter=letter)
    deliver_letter.call(letter.pk)
    delivery = Delivery.objects.get()
    assert delivery.state == "partial"

    mission.addresses.all().delete()
    admin_client.post(url("resend_refused", letter, delivery.pk))
    deliver_letter.call(letter.pk)

    delivery.refresh_from_db()
    assert delivery.state == "partial"
    assert delivery.refused == {"chancery@rou.example": "550 5.1.1 Mailbox unavailable"}
    assert len(smtp_server.messages()) == 1


@pytest.mark.smtp
def test_a_mission_marked_inactive_after_queueing_receives_nothing(
    admin_client, letter_to, smtp_server
):
    kept, dropped = make_mission(), make_mission()
    letter = letter_to([kept, dropped])
    letter_distribute(letter=letter)

    admin_client.post(reverse("admin:ign_sessions_mission_deactivate", args=[dropped.pk]))
    deliver_letter.call(letter.pk)

    assert len(smtp_server.messages()) == 1
    assert Delivery.objects.get(mission=kept).state == "sent"
    gone = Delivery.objects.get(mission=dropped)
    assert (gone.state, gone.error) == ("failed", "The mission was marked inactive.")
    response = admin_client.post(url("resend", letter, gone.pk), follow=True)
    assert "is inactive: it receives no letters" in text_of(response)
    deliver_letter.call(letter.pk)
    assert len(smtp_server.messages()) == 1
