"""A corrected packet goes to exactly the missions the original packet was distributed to,
through the admin, the delivery ledger and a real SMTP server."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from correspondence.distribution.services import (
    letter_distribute,
    letter_recipients,
    original_missions,
)
from correspondence.models import Delivery, Letter
from correspondence.services import letter_correct, letter_issue
from correspondence.tasks import deliver_letter
from sessions.models import Mission
from tests.correspondence.pdftools import pdf_text
from tests.factories import make_issued_letter, make_letter, make_mission, make_user, text_of

from .conftest import mission_code, pdf_attachment

pytestmark = pytest.mark.django_db


def url(name, letter):
    return reverse(f"admin:correspondence_letter_{name}", args=[letter.pk])


@pytest.fixture
def sent_packet(smtp_server):
    """A cover letter enclosing a letter, sent to three missions; then a fourth mission joins
    and the enclosed letter is corrected (Corr.1 issued)."""
    first = [make_mission() for _ in range(3)]
    enclosed = make_issued_letter(slug="co-chairs-2017-01-09", date=dt.date(2017, 1, 9),
                                  body="The first meeting will take place on 6 February 2017.")
    cover = make_letter(slug="pga-2017-01-12", date=dt.date(2017, 1, 12),
                        body="I have the honour to enclose a letter from the Co-Chairs.")
    cover.enclosures.create(position=1, enclosed_letter=enclosed)
    cover = letter_issue(letter=cover, by=None)
    letter_distribute(letter=cover)
    deliver_letter.call(cover.pk)
    assert len(smtp_server.messages()) == 3
    late = make_mission()  # joins after the original went out
    correction = letter_correct(letter=enclosed, by=None)
    correction.body = "The first meeting will take place on 7 February 2017."
    correction.save()
    letter_issue(letter=correction, by=None)
    return cover, first, late


@pytest.mark.smtp
def test_corrected_packet_is_distributed_to_exactly_the_original_missions(
    admin_client, sent_packet, smtp_server, django_capture_on_commit_callbacks
):
    cover, first, late = sent_packet
    admin_client.post(url("correct_packet", cover))
    packet = Letter.objects.get(corrects=cover)
    admin_client.post(url("issue", packet))
    packet.refresh_from_db()
    assert packet.status == "issued"

    change, progress = (admin_client.get(url(name, packet)).content.decode()
                        for name in ("change", "distribution"))
    confirm = admin_client.get(url("distribute_original", packet))
    with django_capture_on_commit_callbacks(execute=True):
        sent = admin_client.post(url("distribute_original", packet), follow=True)
    deliver_letter.call(packet.pk)

    assert "3 missions to which “pga-2017-01-12” (or an earlier correction of it) was " \
        "distributed" in text_of(confirm)
    assert 'value="Send to 3 missions"' in confirm.content.decode()
    assert f'href="{url("distribute_original", packet)}"' in change
    assert f'href="{url("distribute_original", packet)}"' in progress
    assert "Queued 3 deliveries to the missions the original was distributed to." \
        in text_of(sent)
    messages = [m for m in smtp_server.messages()
                if m["Message-ID"].startswith(f"<{packet.slug}.")]
    codes = sorted(mission_code(m) for m in messages)
    assert codes == sorted(m.state.code for m in first)
    assert late.state.code not in codes
    assert sorted(Delivery.objects.filter(letter=packet, state="sent").values_list(
        "mission_id", flat=True)) == sorted(m.pk for m in first)
    filename, pdf = pdf_attachment(messages[0])
    assert filename == f"{packet.slug}.pdf" and pdf == bytes(packet.pdf.content)
    text = " ".join(pdf_text(pdf).split())
    assert "7 February 2017" in text and "6 February 2017" not in text
    # The packet is addressed to the mission that joined late too: only the ledger left it out.
    assert late in letter_recipients(packet)
    assert not Delivery.objects.filter(letter=packet, mission=late).exists()


@pytest.mark.smtp
def test_distributing_to_the_original_missions_twice_sends_nothing_more(
    admin_client, sent_packet, smtp_server, django_capture_on_commit_callbacks
):
    cover, first, late = sent_packet
    admin_client.post(url("correct_packet", cover))
    packet = letter_issue(letter=Letter.objects.get(corrects=cover), by=None)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url("distribute_original", packet))
    deliver_letter.call(packet.pk)
    count = len(smtp_server.messages())

    again = admin_client.get(url("distribute_original", packet))
    with django_capture_on_commit_callbacks(execute=True):
        posted = admin_client.post(url("distribute_original", packet), follow=True)
    deliver_letter.call(packet.pk)

    assert "3 already sent this letter (not sent again)" in text_of(again)
    assert "0 to send now" in text_of(again)
    assert posted.status_code == 200 and "Queued 0 deliveries" in text_of(posted)
    assert len(smtp_server.messages()) == count == 6


def test_original_missions_are_those_with_a_delivery_of_an_earlier_version(
    issued_letter, settings
):
    settings.EMAIL_CONFIGURED = True
    a, b, c = (make_mission() for _ in range(3))
    letter_distribute(letter=issued_letter, missions=Mission.objects.filter(pk__in=[a.pk]))
    first = letter_issue(letter=letter_correct(letter=issued_letter, by=None), by=None)
    letter_distribute(letter=first, missions=Mission.objects.filter(pk__in=[b.pk]))
    second = letter_issue(letter=letter_correct(letter=first, by=None), by=None)

    assert set(original_missions(second)) == {a, b}
    assert set(original_missions(first)) == {a}
    assert not original_missions(issued_letter).exists()
    assert c not in set(original_missions(second))


@pytest.mark.parametrize("case", ["not-a-correction", "superseded", "never-distributed"])
def test_distribution_to_the_original_missions_is_refused_with_a_message(
    admin_client, issued_letter, settings, case
):
    settings.EMAIL_CONFIGURED = True
    make_mission()
    letter, message = issued_letter, "No earlier version of “pga-2017-01-12” has been distributed"
    if case != "not-a-correction":
        letter = letter_issue(letter=letter_correct(letter=issued_letter, by=None), by=None)
        message = f"No earlier version of “{letter.slug}” has been distributed"
    if case == "superseded":
        letter_issue(letter=letter_correct(letter=issued_letter, by=None), by=None)
        message = "has been superseded by a correction: distribute the correction instead."

    page = admin_client.get(url("distribute_original", letter))
    posted = admin_client.post(url("distribute_original", letter), follow=True)

    assert page.status_code == 200 and message in text_of(page)
    assert "Send to" not in page.content.decode()
    assert posted.status_code == 200 and message in text_of(posted)
    assert not Delivery.objects.exists()


def test_an_editor_cannot_distribute_to_the_original_missions(issued_letter, settings):
    settings.EMAIL_CONFIGURED = True
    make_mission()
    letter_distribute(letter=issued_letter)
    correction = letter_issue(letter=letter_correct(letter=issued_letter, by=None), by=None)
    user = make_user("editor", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(
        content_type__app_label="correspondence", codename__in=["view_letter", "change_letter"]))
    editor = Client()
    editor.force_login(user)

    assert editor.get(url("distribute_original", correction)).status_code == 403
    assert editor.post(url("distribute_original", correction)).status_code == 403
    assert not Delivery.objects.filter(letter=correction).exists()
