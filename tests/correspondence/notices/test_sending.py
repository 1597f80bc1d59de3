"""Sending a notice through real workers and a real SMTP server: one message per mission, its
iTIP parts, a worker killed mid-notice, send at a time, cancel, send a test."""

import collections
import os
import signal
import time

import icalendar
import pytest
from django.utils import timezone

from correspondence.distribution.sending import CLAIM_BATCH
from correspondence.models import Delivery, ScheduleNotice
from correspondence.notices.gathering import pending_notice
from correspondence.notices.services import (
    NoticeRefused,
    notice_cancel,
    notice_resume,
    notice_send,
    notice_test_send,
)
from sessions.calendar import meeting_uid
from sessions.models import State
from sessions.services import meeting_postpone, meeting_reschedule
from tests.correspondence.distribution.conftest import run_worker, start_worker

from .conftest import soon

pytestmark = [pytest.mark.smtp, pytest.mark.django_db(transaction=True)]


def code_of(message):
    """The mission a message went to, from its Message-ID <notice-n.code@domain>."""
    return message["Message-ID"].strip("<>").split("@")[0].rsplit(".", 1)[1].upper()


def calendars(message):
    """{METHOD: the parsed iCalendar object} of the message's text/calendar parts."""
    found = {}
    for part in message.iter_attachments():
        if part.get_content_type() == "text/calendar":
            calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
            assert part.get_param("method") == str(calendar["METHOD"])
            assert part.get_content_charset() == "utf-8"
            found[str(calendar["METHOD"])] = calendar
    return found


def public_sequence(client, meeting):
    calendar = icalendar.Calendar.from_ical(
        client.get(f"/meetings/{meeting.pk}/calendar.ics").content)
    [event] = calendar.walk("VEVENT")
    return str(event["UID"]), int(event["SEQUENCE"])


def wait_for(condition, timeout=90):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


@pytest.fixture
def changed(announced, meetings, client):
    """Meeting 1 postponed, meeting 2 moved, after the first notice; the public calendar's
    (UID, SEQUENCE) of each before the change."""
    before = [public_sequence(client, m) for m in meetings]
    meeting_postpone(meeting=meetings[0], reason="The Chamber is unavailable")
    meeting_reschedule(meeting=meetings[1], starts_at=soon(15), ends_at=soon(15, 13))
    return before


def test_postponed_and_moved_reach_every_mission_once_with_itip_parts(
        changed, missions, meetings, publisher, smtp_server, client):
    sent = notice_send(session=meetings[0].session, by=publisher)

    run_worker(smtp_server.url)

    messages = smtp_server.messages()
    codes = collections.Counter(code_of(m) for m in messages)
    assert set(codes) == set(State.objects.values_list("code", flat=True))
    assert len(State.objects.filter(kind="member")) == 193
    assert max(codes.values()) == 1 and len(messages) == sent.missions == 195
    assert Delivery.objects.filter(notice=sent.notice, state="sent").count() == 195
    postponed, moved = meetings
    for message in messages[:5]:
        parts = calendars(message)
        assert set(parts) == {"REQUEST", "CANCEL"}
        [cancel] = parts["CANCEL"].walk("VEVENT")
        [request] = parts["REQUEST"].walk("VEVENT")
        assert str(cancel["UID"]) == changed[0][0] == meeting_uid(postponed)
        assert str(request["UID"]) == changed[1][0] == meeting_uid(moved)
        assert int(cancel["SEQUENCE"]) > changed[0][1]
        assert int(request["SEQUENCE"]) > changed[1][1]
        assert str(cancel["STATUS"]) == "CANCELLED"
        assert str(request["ORGANIZER"]) == "mailto:ign-portal@example.org"
        assert request.decoded("DTSTART") == soon(15)
        assert "DTSTAMP" in request
    # The public calendar now carries the same SEQUENCE as the notice.
    assert public_sequence(client, moved)[1] == int(request["SEQUENCE"])
    assert messages[0]["Subject"] == (
        f"Schedule notice {sent.notice.number}: changes to IGN meetings")
    body = messages[0].get_body(("plain",)).get_content()
    assert "Postponed" in body and "The Chamber is unavailable" in body
    assert f"/meetings/notices/{sent.notice.number}/" in body


def test_a_mission_reads_the_notice_in_its_language(changed, missions, meetings, publisher,
                                                     smtp_server):
    from sessions.models import Mission

    Mission.objects.filter(state__code="FRA").update(preferred_language="fr")
    notice_send(session=meetings[0].session, by=publisher)

    run_worker(smtp_server.url)

    [french] = [m for m in smtp_server.messages() if code_of(m) == "FRA"]
    body = french.get_body(("plain",)).get_content()
    assert "Reportée" in body or "Reporté" in body, body
    assert "/fr/meetings/notices/" in body


def test_worker_killed_mid_notice_then_resumed_gives_no_mission_twice(
        changed, missions, meetings, publisher, smtp_server):
    smtp_server.handler.delay = 0.02
    sent = notice_send(session=meetings[0].session, by=publisher)
    worker = start_worker(smtp_server.url)
    wait_for(lambda: len(smtp_server.messages()) >= 40)

    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)

    assert Delivery.objects.filter(state="sent", notice=sent.notice).count() < 195
    interrupted = set(Delivery.objects.filter(state="sending").values_list(
        "mission__state__code", flat=True))
    assert len(interrupted) <= CLAIM_BATCH
    notice_resume(notice=sent.notice, stuck_after=0)
    run_worker(smtp_server.url)

    messages = smtp_server.messages()
    codes = collections.Counter(code_of(m) for m in messages)
    assert len(codes) == 195
    twice = {code for code, n in codes.items() if n > 1}
    assert len(messages) <= 196 and twice <= interrupted
    for code in twice:
        assert len({m["Message-ID"] for m in messages if code_of(m) == code}) == 1
    assert Delivery.objects.filter(notice=sent.notice, state="sent").count() == 195


def test_send_at_sends_nothing_before_its_time_then_sends_and_releases(
        changed, missions, meetings, publisher, smtp_server, client):
    sent = notice_send(session=meetings[0].session, by=publisher,
                       send_at=timezone.now() + timezone.timedelta(seconds=4))
    url = f"/meetings/notices/{sent.notice.number}/"

    run_worker(smtp_server.url)

    assert smtp_server.messages() == []
    assert Delivery.objects.filter(notice=sent.notice, state="queued").count() == 195
    assert client.get(url).status_code == 404
    assert pending_notice(meetings[0].session).lines == []  # scheduled: no longer pending

    time.sleep(max(0.0, (sent.notice.send_at - timezone.now()).total_seconds()) + 0.5)
    run_worker(smtp_server.url)

    assert len(smtp_server.messages()) == 195
    sent.notice.refresh_from_db()
    assert sent.notice.released_at >= sent.notice.send_at
    assert client.get(url).status_code == 200


def test_cancel_before_the_time_sends_nothing_and_makes_the_changes_pending_again(
        changed, missions, meetings, publisher, smtp_server, client):
    sent = notice_send(session=meetings[0].session, by=publisher,
                       send_at=timezone.now() + timezone.timedelta(hours=1))

    notice_cancel(notice=sent.notice, by=publisher)
    run_worker(smtp_server.url)

    assert smtp_server.messages() == []
    cancelled = Delivery.objects.filter(notice=sent.notice, state="cancelled")
    assert cancelled.count() == 195
    assert cancelled.first().error.startswith("Cancelled by publisher at ")
    notice = ScheduleNotice.objects.get(pk=sent.notice.pk)
    assert (notice.cancelled_by, notice.released_at) == (publisher, None)
    assert [line.kind for line in pending_notice(meetings[0].session).lines] == [
        "postponed", "moved"]
    assert client.get(f"/meetings/notices/{notice.number}/").status_code == 404
    with pytest.raises(NoticeRefused, match="already cancelled"):
        notice_cancel(notice=notice, by=publisher)


def test_a_notice_sent_now_cannot_be_cancelled(changed, missions, meetings, publisher,
                                               settings):
    settings.EMAIL_CONFIGURED = True
    sent = notice_send(session=meetings[0].session, by=publisher)

    with pytest.raises(NoticeRefused, match="has been sent"):
        notice_cancel(notice=sent.notice, by=publisher)

    assert not Delivery.objects.filter(state="cancelled").exists()


def test_send_a_test_reaches_only_the_officer_and_writes_no_delivery(
        changed, missions, meetings, publisher, smtp_server):
    outcome = notice_test_send(session=meetings[0].session, user=publisher, language="en")

    [message] = smtp_server.messages()
    assert outcome.sent
    assert outcome.text.startswith("A test was sent to officer@secretariat.example (English)")
    assert message["X-RcptTo"] == "officer@secretariat.example"
    assert message["Subject"].startswith("[TEST] Schedule notice ")
    assert message.get_body(("plain",)).get_content().startswith(
        "This is a test sent to officer@secretariat.example alone")
    assert set(calendars(message)) == {"REQUEST", "CANCEL"}
    assert not Delivery.objects.exists()
    assert ScheduleNotice.objects.count() == 1  # the first notice only
    assert len(pending_notice(meetings[0].session).lines) == 2


def test_send_a_test_through_a_development_backend_says_it_delivers_nothing(
        changed, meetings, publisher, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

    outcome = notice_test_send(session=meetings[0].session, user=publisher, language="en")

    assert not outcome.sent
    assert "development e-mail backend" in outcome.text and "delivers nothing" in outcome.text


def test_send_a_test_shows_the_servers_refusal(changed, meetings, publisher, smtp_server):
    smtp_server.handler.refuse = {"officer@secretariat.example"}

    outcome = notice_test_send(session=meetings[0].session, user=publisher, language="en")

    assert not outcome.sent and "550 5.1.1 Mailbox unavailable" in outcome.text
    assert smtp_server.messages() == []


def test_no_notice_overtakes_one_still_scheduled_for_its_session(
        changed, meetings, publisher, settings):
    settings.EMAIL_CONFIGURED = True
    scheduled = notice_send(session=meetings[0].session, by=publisher,
                            send_at=timezone.now() + timezone.timedelta(hours=5)).notice
    meeting_reschedule(meeting=meetings[1], starts_at=soon(16), ends_at=soon(16, 13))

    with pytest.raises(NoticeRefused, match="is scheduled for"):
        notice_send(session=meetings[0].session, by=publisher)

    assert ScheduleNotice.objects.exclude(pk=scheduled.pk).count() == 1  # the first notice
    notice_cancel(notice=scheduled, by=publisher)
    assert notice_send(session=meetings[0].session, by=publisher).notice.number == 3


def test_a_number_taken_meanwhile_by_another_sessions_notice_is_not_an_error(
        changed, meetings, publisher, settings, monkeypatch):
    from correspondence.notices import services
    from tests.factories import make_session

    settings.EMAIL_CONFIGURED = True
    taken = ScheduleNotice.objects.create(number=2, session=make_session(),
                                          send_at=timezone.now())
    numbers = iter([taken.number])  # the first try reads the number before it was taken
    real = services.next_number
    monkeypatch.setattr(services, "next_number", lambda: next(numbers, None) or real())

    sent = notice_send(session=meetings[0].session, by=publisher)

    assert sent.notice.number == 3
