"""A distribution scheduled a few seconds ahead, with a real worker already polling: nothing
goes before its time, then every mission gets it once."""

import collections
import datetime as dt
import email.utils
import signal
import time

import pytest
from django.utils import timezone

from correspondence.distribution.services import letter_distribute
from correspondence.models import Delivery

from .conftest import mission_code, start_worker

pytestmark = [pytest.mark.smtp, pytest.mark.django_db(transaction=True)]

AHEAD = dt.timedelta(seconds=8)


def wait_for(condition, timeout=90):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_polling_worker_sends_nothing_before_the_time_then_each_mission_once(
    issued_letter, missions, smtp_server
):
    worker = start_worker(smtp_server.url, batch=False)
    try:
        assert any("Starting worker" in line for line in iter(worker.stdout.readline, ""))
        send_at = timezone.now() + AHEAD
        letter_distribute(letter=issued_letter, send_at=send_at)
        # Just before the time: the worker has been polling all along, and sent nothing.
        time.sleep(max(0.0, (send_at - timezone.now()).total_seconds() - 1))
        assert timezone.now() < send_at
        assert smtp_server.messages() == []
        assert Delivery.objects.filter(state="queued", attempts=0).count() == 193

        wait_for(lambda: Delivery.objects.filter(state="sent").count() == 193)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)

    messages = smtp_server.messages()
    codes = collections.Counter(mission_code(m) for m in messages)
    assert len(codes) == 193 and max(codes.values()) == 1
    first_sent = min(Delivery.objects.values_list("sent_at", flat=True))
    assert first_sent >= send_at
    # The messages' own Date (to the second) is not before the time either.
    assert min(email.utils.parsedate_to_datetime(m["Date"]) for m in messages) >= \
        send_at.replace(microsecond=0)
