"""The distribution pages of a letter in the admin, as a publisher and as an editor sees them."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from correspondence.models import Delivery
from correspondence.tasks import deliver_letter
from sessions.models import MissionAddress
from tests.factories import make_user, text_of


def url(name, letter, *args):
    return reverse(f"admin:correspondence_letter_{name}", args=[letter.pk, *args])



@pytest.fixture
def editor(db):
    """A Secretariat editor: may read letters, may not distribute them."""
    user = make_user("editor", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(
        content_type__app_label="correspondence", codename__in=["view_letter", "change_letter"]))
    client = Client()
    client.force_login(user)
    return client


def test_confirmation_page_shows_the_recipient_count_before_sending(
    admin_client, issued_letter, missions, settings
):
    settings.EMAIL_CONFIGURED = True
    MissionAddress.objects.filter(mission__state__code="FRA").delete()

    response = admin_client.get(url("distribute", issued_letter))

    assert response.status_code == 200
    page = text_of(response)
    assert "193 missions" in page
    assert "1 without an address (recorded as failed)" in page
    assert "192 to send now" in page
    assert 'value="Send to 192 missions"' in response.content.decode()
    assert not Delivery.objects.exists()


def test_confirming_queues_the_letter_and_shows_progress(
    admin_client, issued_letter, missions, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_CONFIGURED = True

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url("distribute", issued_letter), follow=True)

    assert response.redirect_chain[-1][0] == url("distribution", issued_letter)
    assert "0 of 193 missions sent; 193 queued, 0 sending, 0 failed (0 without an address)." \
        in text_of(response)
    assert DBTaskResult.objects.filter(queue_name="distribution", status="READY").count() == 1
    assert Delivery.objects.filter(state="queued").count() == 193


def test_distribute_without_mail_configured_is_refused_on_the_page(
    admin_client, issued_letter, missions, settings
):
    settings.EMAIL_CONFIGURED = False

    page = admin_client.get(url("distribute", issued_letter))
    posted = admin_client.post(url("distribute", issued_letter), follow=True)

    assert "E-mail is not configured" in text_of(page)
    assert "Send to" not in page.content.decode()
    assert "E-mail is not configured" in text_of(posted)
    assert not Delivery.objects.exists()


@pytest.mark.smtp
def test_progress_page_lists_missions_not_served_and_the_ledger_exports_as_csv(
    admin_client, issued_letter, missions, smtp_server, django_assert_max_num_queries
):
    smtp_server.handler.refuse = {"fra@missions.example"}
    admin_client.post(url("distribute", issued_letter))
    deliver_letter.call(issued_letter.pk)

    # A fixed number: the page, its schedules and the languages of a test among them.
    with django_assert_max_num_queries(17):
        page = admin_client.get(url("distribution", issued_letter))
    exported = admin_client.get(url("ledger_csv", issued_letter))

    text = text_of(page)
    assert "192 of 193 missions sent; 0 queued, 0 sending, 1 failed" in text
    assert "1 mission not yet served" in text
    assert "Permanent Mission of France to the United Nations Failed 1 " \
        "fra@missions.example: 550 5.1.1 Mailbox unavailable" in text
    rows = list(csv.DictReader(io.StringIO(exported.content.decode())))
    assert exported["Content-Type"] == "text/csv; charset=utf-8"
    assert len(rows) == 193
    france = next(r for r in rows if r["state_code"] == "FRA")
    assert (france["state"], france["attempts"]) == ("failed", "1")
    assert {r["message_id"] for r in rows if r["state"] == "sent"} == {
        f"<pga-2017-01-12.{r['state_code'].lower()}@example.org>"
        for r in rows if r["state"] == "sent"}


@pytest.mark.smtp
def test_resend_to_one_mission_sends_it_again_with_the_same_message_id(
    admin_client, issued_letter, missions, smtp_server
):
    admin_client.post(url("distribute", issued_letter))
    deliver_letter.call(issued_letter.pk)
    delivery = Delivery.objects.get(mission__state__code="ROU")

    response = admin_client.post(url("resend", issued_letter, delivery.pk), follow=True)
    deliver_letter.call(issued_letter.pk)

    assert "will be sent the letter again" in text_of(response)
    again = [m for m in smtp_server.messages() if m["Message-ID"] == delivery.message_id]
    assert len(again) == 2
    assert len(smtp_server.messages()) == 194
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == ("sent", 2)


def test_resend_needs_post_and_the_publisher_permission(
    editor, admin_client, issued_letter, missions, settings
):
    settings.EMAIL_CONFIGURED = True
    admin_client.post(url("distribute", issued_letter))
    delivery = Delivery.objects.first()

    # A GET asks for confirmation and changes nothing.
    assert admin_client.get(url("resend", issued_letter, delivery.pk)).status_code == 200
    assert editor.get(url("resend", issued_letter, delivery.pk)).status_code == 403
    assert editor.post(url("resend", issued_letter, delivery.pk)).status_code == 403
    assert editor.get(url("distribute", issued_letter)).status_code == 403
    assert editor.get(url("distribution", issued_letter)).status_code == 200
    assert admin_client.post(url("resend", issued_letter, 999999)).status_code == 404
    missing = reverse("admin:correspondence_letter_distribution", args=[999999])
    assert admin_client.get(missing).status_code == 404


def test_change_page_shows_the_distribution_summary(admin_client, issued_letter, missions):
    response = admin_client.get(reverse("admin:correspondence_letter_change",
                                        args=[issued_letter.pk]))

    assert response.status_code == 200
    assert "0 of 193 missions sent" in text_of(response)
    assert url("distribution", issued_letter) in response.content.decode()
