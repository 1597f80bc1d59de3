"""Real workers (subprocesses of `manage.py db_worker`) through SMTP outages and SIGKILL."""

import collections
import os
import signal
import time

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from correspondence.distribution.sending import CLAIM_BATCH
from correspondence.models import Delivery
from sessions.models import State

from .conftest import manage, mission_code, pdf_attachment, run_worker, start_worker

pytestmark = [pytest.mark.smtp, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def members(missions):
    return set(State.objects.filter(kind="member").values_list("code", flat=True))


def wait_for(condition, timeout=90):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def codes_of(messages):
    return collections.Counter(mission_code(m) for m in messages)


def test_worker_sends_one_message_to_each_of_the_193_member_missions(
    issued_letter, members, smtp_server, client
):
    download = client.get(f"/letters/{issued_letter.slug}.pdf").content
    call_command("distribute_letter", issued_letter.slug)

    run_worker(smtp_server.url)

    messages = smtp_server.messages()
    assert len(messages) == 193
    assert set(codes_of(messages)) == members
    assert all(pdf_attachment(m) == (f"{issued_letter.slug}.pdf", download) for m in messages)
    assert all(m["X-RcptTo"] == f"{mission_code(m).lower()}@missions.example" for m in messages)
    assert Delivery.objects.filter(state="sent", attempts=1).count() == 193


def test_smtp_server_stopped_then_restarted_then_resumed_sends_each_mission_once(
    issued_letter, members, smtp_server
):
    smtp_server.handler.down_after = 60
    smtp_server.handler.on_down = smtp_server.stop_soon
    call_command("distribute_letter", issued_letter.slug)

    run_worker(smtp_server.url)

    assert len(smtp_server.messages()) == 60
    assert Delivery.objects.filter(state="sent").count() == 60
    assert Delivery.objects.filter(state="queued").count() == 133
    [retried] = Delivery.objects.filter(attempts=1, state="queued")
    assert retried.error.startswith(("421 4.3.2 Service shutting down", "SMTPServerDisconnected"))
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # the retry, later

    smtp_server.handler.down_after = None
    smtp_server.start()
    call_command("distribute_letter", issued_letter.slug)
    run_worker(smtp_server.url)

    codes = codes_of(smtp_server.messages())
    assert set(codes) == members
    assert max(codes.values()) == 1
    assert Delivery.objects.filter(state="sent").count() == 193


def test_worker_killed_mid_distribution_then_resumed_reaches_every_mission_once(
    issued_letter, members, smtp_server
):
    smtp_server.handler.delay = 0.02
    call_command("distribute_letter", issued_letter.slug)
    worker = start_worker(smtp_server.url)
    wait_for(lambda: len(smtp_server.messages()) >= 40)

    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)

    assert worker.returncode == -signal.SIGKILL
    assert Delivery.objects.filter(state="sent").count() < 193
    interrupted = set(Delivery.objects.filter(state="sending").values_list(
        "mission__state__code", flat=True))
    assert len(interrupted) <= CLAIM_BATCH  # claimed together; at most one was on the wire

    call_command("distribute_letter", issued_letter.slug, "--stuck-after", "0")
    run_worker(smtp_server.url)

    messages = smtp_server.messages()
    codes = codes_of(messages)
    assert set(codes) == members
    twice = {code for code, n in codes.items() if n > 1}
    assert len(messages) <= 194 and twice <= interrupted
    for code in twice:
        assert len({m["Message-ID"] for m in messages if mission_code(m) == code}) == 1
    assert Delivery.objects.filter(state="sent").count() == 193


def test_running_again_when_complete_sends_nothing_and_says_so(
    issued_letter, members, smtp_server
):
    call_command("distribute_letter", issued_letter.slug)
    run_worker(smtp_server.url)

    again = manage("distribute_letter", issued_letter.slug, smtp_url=smtp_server.url)
    run_worker(smtp_server.url)

    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == (
        "Nothing to send: 193 of 193 missions sent, 0 failed, 0 without an address.")
    assert len(smtp_server.messages()) == 193


@pytest.mark.parametrize(("slug", "smtp", "line"), [
    ("nope", True, "CommandError: No letter has the slug “nope”."),
    ("pga-2017-01-12", False,
     "CommandError: E-mail is not configured: set EMAIL_URL (e.g. smtp://127.0.0.1:1025) "
     "before distributing."),
])
def test_refusal_is_one_line_with_a_non_zero_exit_and_nothing_queued(
    issued_letter, missions, smtp_server, slug, smtp, line
):
    result = manage("distribute_letter", slug, smtp_url=smtp_server.url if smtp else None)

    assert result.returncode == 1
    assert result.stderr.strip() == line
    assert not Delivery.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_two_workers_at_once_never_send_a_mission_twice(issued_letter, members, smtp_server):
    smtp_server.handler.delay = 0.01
    workers = [start_worker(smtp_server.url, batch=False) for _ in range(2)]
    try:
        for worker in workers:  # both polling before anything is queued
            lines = iter(worker.stdout.readline, "")
            assert any("Starting worker" in line for line in lines)
        call_command("distribute_letter", issued_letter.slug, "--parallel", "2")
        wait_for(lambda: Delivery.objects.filter(state="sent").count() == 193)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=30)

    codes = codes_of(smtp_server.messages())
    assert set(codes) == members and max(codes.values()) == 1
    assert Delivery.objects.filter(attempts=1).count() == 193
    assert len(set(Delivery.objects.values_list("claimed_by", flat=True))) == 2
