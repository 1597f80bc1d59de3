"""Safer sending of a letter: a test to the officer alone, a distribution at a chosen time
(cancellable until then), and a re-send that asks first."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from common.timezones import NEW_YORK, ny_when
from correspondence.distribution.message import MessageContent
from correspondence.distribution.services import (
    DistributionRefused,
    distribution_cancel,
    letter_distribute,
)
from correspondence.models import Delivery, FollowUp, ScheduledDistribution
from correspondence.tasks import deliver_letter
from sessions.models import Mission, MissionAddress
from tests.factories import make_user, text_of


def url(name, letter, *args):
    return reverse(f"admin:correspondence_letter_{name}", args=[letter.pk, *args])


def typed(when):
    """`when` as the officer types it in the form: New York's wall clock."""
    return timezone.localtime(when, NEW_YORK).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def editor(db):
    """A Secretariat editor: may read letters, may not distribute them."""
    from django.contrib.auth.models import Permission
    from django.test import Client

    user = make_user("editor", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(
        content_type__app_label="correspondence", codename__in=["view_letter", "change_letter"]))
    client = Client()
    client.force_login(user)
    return client


def schedule(admin_client, letter, when):
    return admin_client.post(url("distribute", letter),
                             {"when": "later", "send_at": typed(when)}, follow=True)


def a_later_minute(days=2):
    return (timezone.now() + dt.timedelta(days=days)).replace(second=0, microsecond=0)


# --- "Send a test to me" -------------------------------------------------------------------

@pytest.mark.smtp
def test_a_test_reaches_the_officer_alone_marked_and_the_ledger_records_nothing(
    admin_client, issued_letter, missions, smtp_server
):
    Mission.objects.filter(state__code="FRA").update(preferred_language="fr")
    page = admin_client.get(url("distribution", issued_letter)).content.decode()
    assert '<option value="en">English</option>' in page
    assert '<option value="fr">français</option>' in page
    assert '<option value="ru">' not in page  # no mission reads it in Russian

    response = admin_client.post(url("test_send", issued_letter), {"language": "fr"},
                                 follow=True)

    [message] = smtp_server.messages()
    assert (message["X-RcptTo"], message["To"]) == ("admin@example.org", "admin@example.org")
    assert message["Subject"] == "[TEST] Letter dated 12 January 2017 on the IGN"
    assert message["Message-ID"].endswith(".test@example.org>")
    text = message.get_body(("plain",)).get_content()
    line = ("This is a test sent to admin@example.org alone, at their request: no mission or "
            "subscriber was sent it.")
    # The very message a French-reading mission receives, the test line above it.
    assert text == f"{line}\n\n" + MessageContent.for_letter(issued_letter, "fr").text
    html = message.get_body(("html",)).get_content()
    assert f'<body><p class="test-message"><strong>{line}</strong></p>' in html
    assert '<html lang="fr">' in html
    [pdf] = [p for p in message.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert pdf.get_content() == bytes(issued_letter.pdf.content)
    assert not Delivery.objects.exists()
    assert "A test was sent to admin@example.org (français): the e-mail server took it" \
        in text_of(response)


def test_a_test_through_a_development_backend_sends_nothing_and_says_why(
    admin_client, issued_letter, missions, settings
):
    settings.EMAIL_CONFIGURED = True  # the default mailer stays pytest-django's locmem

    response = admin_client.post(url("test_send", issued_letter), {"language": "en"},
                                 follow=True)

    assert "This process has a development e-mail backend (django.core.mail.backends." \
        "locmem.EmailBackend), which delivers nothing: not sent." in text_of(response)
    assert mail.outbox == []
    assert not Delivery.objects.exists()


@pytest.mark.smtp
def test_a_test_refused_by_the_server_shows_its_answer(
    admin_client, issued_letter, missions, smtp_server
):
    smtp_server.handler.refuse = {"admin@example.org"}

    response = admin_client.post(url("test_send", issued_letter), {"language": "en"},
                                 follow=True)

    assert "The test was not sent to admin@example.org: admin@example.org: 550 5.1.1 " \
        "Mailbox unavailable" in text_of(response)
    assert smtp_server.messages() == []
    assert not Delivery.objects.exists()


@pytest.mark.smtp
def test_a_test_in_a_language_not_offered_or_by_an_editor_is_refused(
    admin_client, editor, issued_letter, missions, smtp_server
):
    refused = admin_client.post(url("test_send", issued_letter), {"language": "ru"},
                                follow=True)
    forbidden = editor.post(url("test_send", issued_letter), {"language": "en"})
    not_get = admin_client.get(url("test_send", issued_letter))

    assert "Choose the language of the test among those offered." in text_of(refused)
    assert forbidden.status_code == 403
    assert not_get.status_code == 405
    assert smtp_server.messages() == []


# --- "Send at" -----------------------------------------------------------------------------

@pytest.mark.smtp
def test_send_at_queues_every_delivery_due_then_and_the_follow_up_task_runs_then(
    admin_client, superuser, issued_letter, missions, smtp_server,
    django_capture_on_commit_callbacks
):
    send_at = a_later_minute()

    with django_capture_on_commit_callbacks(execute=True):
        response = schedule(admin_client, issued_letter, send_at)
    result = deliver_letter.call(issued_letter.pk)  # a task run before its time

    assert f"to be sent at {ny_when(send_at)}" in text_of(response)
    assert f"Scheduled for {ny_when(send_at)} by admin: nothing is sent before then." \
        in text_of(response)
    assert "Cancel the scheduled distribution" in text_of(response)
    assert set(Delivery.objects.values_list("state", "next_attempt_at")) == {
        ("queued", send_at)}
    assert Delivery.objects.count() == 193
    assert result["sent"] == 0 and smtp_server.messages() == []
    [task] = DBTaskResult.objects.filter(status="READY")
    assert task.run_after == send_at
    assert FollowUp.objects.get(key=f"letter:{issued_letter.pk}").run_after == send_at
    [row] = ScheduledDistribution.objects.all()
    assert (row.letter, row.send_at, row.scheduled_by, row.cancelled_at) == (
        issued_letter, send_at, superuser, None)


@pytest.mark.parametrize(("typed_at", "error"), [
    ("2016-01-01T10:00", "This time has passed: choose a time to come, or send now."),
    ("", "Give the date and time to send at."),
    ("tomorrow", "Enter a valid date/time."),
    # 10 March 2030, 02:30 does not exist in New York (the clocks go from 02:00 to 03:00).
    ("2030-03-10T02:30", "couldn’t be interpreted in time zone America/New_York"),
])
def test_send_at_refuses_a_time_passed_missing_malformed_or_nonexistent(
    admin_client, issued_letter, missions, settings, typed_at, error
):
    settings.EMAIL_CONFIGURED = True

    response = admin_client.post(url("distribute", issued_letter),
                                 {"when": "later", "send_at": typed_at})

    assert response.status_code == 200
    assert error in text_of(response)
    assert not Delivery.objects.exists()
    assert not ScheduledDistribution.objects.exists()


def test_send_at_is_read_in_new_york_time(admin_client, issued_letter, missions, settings):
    settings.EMAIL_CONFIGURED = True

    admin_client.post(url("distribute", issued_letter),
                      {"when": "later", "send_at": "2099-07-01T09:30"})

    assert ScheduledDistribution.objects.get().send_at == dt.datetime(
        2099, 7, 1, 13, 30, tzinfo=dt.UTC)  # 09:30 EDT


def test_distributing_again_while_one_is_scheduled_is_refused(
    admin_client, issued_letter, missions, settings
):
    settings.EMAIL_CONFIGURED = True
    send_at = a_later_minute()
    schedule(admin_client, issued_letter, send_at)

    confirm = admin_client.get(url("distribute", issued_letter))
    posted = admin_client.post(url("distribute", issued_letter), {"when": "now"}, follow=True)

    assert f"A distribution of this letter is scheduled for {ny_when(send_at)}" \
        in text_of(confirm)
    assert "Send to" not in confirm.content.decode()
    assert f"is scheduled for {ny_when(send_at)}: cancel it before" in text_of(posted)
    assert set(Delivery.objects.values_list("next_attempt_at", flat=True)) == {send_at}
    assert ScheduledDistribution.objects.count() == 1


@pytest.mark.smtp
def test_cancel_calls_off_what_waits_records_who_and_a_later_distribution_sends_it(
    admin_client, superuser, issued_letter, missions, smtp_server,
    django_capture_on_commit_callbacks
):
    smtp_server.handler.refuse = {"fra@missions.example"}
    MissionAddress.objects.filter(mission__state__code="ROU").delete()
    letter_distribute(letter=issued_letter)
    deliver_letter.call(issued_letter.pk)  # 191 sent; France refused, Romania no address
    smtp_server.handler.refuse = set()
    MissionAddress.objects.create(mission=Mission.objects.get(state__code="ROU"),
                                  email="rou@missions.example")
    schedule(admin_client, issued_letter, a_later_minute())  # France and Romania, later
    row = ScheduledDistribution.objects.get()

    response = admin_client.post(url("cancel_scheduled", issued_letter, row.pk), follow=True)
    deliver_letter.call(issued_letter.pk)

    assert "2 deliveries will not be sent" in text_of(response)
    assert "Scheduled for" not in text_of(response)
    row.refresh_from_db()
    assert (row.cancelled_by, row.cancelled_deliveries) == (superuser, 2)
    france = Delivery.objects.get(mission__state__code="FRA")
    romania = Delivery.objects.get(mission__state__code="ROU")
    # Attempted before: failed again; never attempted: cancelled; each says who and when.
    assert (france.state, romania.state) == ("failed", "cancelled")
    assert romania.error == f"Cancelled by admin at {ny_when(row.cancelled_at)}."
    assert france.error == romania.error
    assert len(smtp_server.messages()) == 191
    assert "admin (2 deliveries called off)" in text_of(response)

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url("distribute", issued_letter), {"when": "now"})
    deliver_letter.call(issued_letter.pk)

    assert Delivery.objects.filter(state="sent").count() == 193
    assert len(smtp_server.messages()) == 193  # France and Romania now, once each


def test_cancel_once_its_time_has_come_or_twice_is_refused(
    admin_client, superuser, issued_letter, missions, settings
):
    settings.EMAIL_CONFIGURED = True
    schedule(admin_client, issued_letter, a_later_minute())
    row = ScheduledDistribution.objects.get()
    distribution_cancel(scheduled=row, by=superuser)

    with pytest.raises(DistributionRefused, match="cancelled already"):
        distribution_cancel(scheduled=row, by=superuser)
    past = timezone.now() - dt.timedelta(minutes=1)
    begun = ScheduledDistribution.objects.create(
        letter=issued_letter, send_at=past, scheduled_at=past - dt.timedelta(hours=1))
    response = admin_client.post(url("cancel_scheduled", issued_letter, begun.pk), follow=True)

    assert "Its time has come: the distribution has begun and can no longer be cancelled." \
        in text_of(response)
    begun.refresh_from_db()
    assert begun.cancelled_at is None
    assert admin_client.post(url("cancel_scheduled", issued_letter, 999999)).status_code == 404


# --- "Re-send to this mission" asks first -----------------------------------------------------

@pytest.mark.smtp
def test_resend_asks_for_confirmation_then_sends_with_the_same_message_id(
    admin_client, issued_letter, missions, smtp_server
):
    letter_distribute(letter=issued_letter)
    deliver_letter.call(issued_letter.pk)
    delivery = Delivery.objects.get(mission__state__code="ROU")
    progress = admin_client.get(url("distribution", issued_letter)).content.decode()

    confirm = admin_client.get(url("resend", issued_letter, delivery.pk))

    assert f'<a href="{url("resend", issued_letter, delivery.pk)}" class="button"' in progress
    assert f'action="{url("resend", issued_letter, delivery.pk)}"' not in progress
    page = text_of(confirm)
    assert "Re-send “Letter dated 12 January 2017 on the IGN” to Permanent Mission of " \
        "Romania to the United Nations?" in page
    assert "rou@missions.example" in page
    assert f"<code>{escape(delivery.message_id)}</code>" in confirm.content.decode()
    assert "The mission was sent this letter already: it receives it again" in page
    assert '<input type="submit" value="Yes, re-send">' in confirm.content.decode()
    delivery.refresh_from_db()
    assert delivery.state == "sent" and len(smtp_server.messages()) == 193
    assert not DBTaskResult.objects.filter(status="READY").exists()

    admin_client.post(url("resend", issued_letter, delivery.pk))
    deliver_letter.call(issued_letter.pk)

    again = [m for m in smtp_server.messages() if m["Message-ID"] == delivery.message_id]
    assert len(again) == 2


def test_a_resend_never_sends_a_scheduled_or_cancelled_delivery_before_its_time(
        admin_client, superuser, issued_letter, missions, settings):
    from correspondence.distribution.services import delivery_resend

    settings.EMAIL_CONFIGURED = True
    when = a_later_minute()
    schedule(admin_client, issued_letter, when)
    waiting = Delivery.objects.filter(state="queued").first()

    with pytest.raises(DistributionRefused, match="scheduled to go at"):
        delivery_resend(delivery=waiting)
    confirmed = admin_client.post(url("resend", issued_letter, waiting.pk), follow=True)

    assert "scheduled to go at" in text_of(confirmed)
    waiting.refresh_from_db()
    assert (waiting.state, waiting.next_attempt_at) == ("queued", when)

    distribution_cancel(scheduled=ScheduledDistribution.objects.get(), by=superuser)
    waiting.refresh_from_db()
    with pytest.raises(DistributionRefused, match="cancelled before it was sent"):
        delivery_resend(delivery=waiting)
    waiting.refresh_from_db()
    assert waiting.state == "cancelled"
