"""Sending in-process against a real SMTP server: messages, ledger, refusals and failures."""

import pytest
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from correspondence.distribution.services import letter_distribute, letter_recipients
from correspondence.models import Delivery, Letter
from correspondence.tasks import deliver_letter
from sessions.models import Mission, MissionAddress
from tests.factories import make_mission

from .conftest import mission_code, pdf_attachment


def distribute_and_send(letter):
    summary = letter_distribute(letter=letter)
    deliver_letter.call(letter.pk)
    return summary


@pytest.mark.parametrize(("audience", "expected"), [
    (Letter.Audience.MEMBERS, 193),
    (Letter.Audience.MEMBERS_AND_OBSERVERS, 195),
])
def test_recipients_follow_the_addressee_line(issued_letter, missions, audience, expected):
    issued_letter.audience = audience

    recipients = letter_recipients(issued_letter)

    assert recipients.count() == expected
    assert recipients.filter(state__code="VAT").exists() == (expected == 195)


def test_named_letter_goes_to_the_named_missions_only(letter_to, missions):
    issued_letter = letter_to(Mission.objects.filter(state__code__in=["ROU", "TUN"]))

    assert sorted(m.state.code for m in letter_recipients(issued_letter)) == ["ROU", "TUN"]


@pytest.mark.smtp
def test_named_mission_receives_one_message_with_the_pdf_and_a_fixed_message_id(
    letter_to, smtp_server, client
):
    mission = make_mission(emails=["registry@rou.example", "Chancery@rou.example"])
    issued_letter = letter_to([mission])

    distribute_and_send(issued_letter)

    [message] = smtp_server.messages()
    assert {a.addr_spec for a in message["To"].addresses} == {
        "registry@rou.example", "Chancery@rou.example"}
    assert message["Message-ID"] == (
        f"<pga-2017-01-12.{mission.state.code.lower()}@example.org>")
    assert message["Subject"] == "Letter dated 12 January 2017 on the IGN"
    filename, pdf = pdf_attachment(message)
    assert filename == "pga-2017-01-12.pdf"
    assert pdf == client.get("/letters/pga-2017-01-12.pdf").content
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "The President of the General Assembly" in text
    assert "12 January 2017" in text
    assert "http://127.0.0.1:8000/letters/pga-2017-01-12/" in text
    assert 'href="http://127.0.0.1:8000/letters/pga-2017-01-12/"' in html
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.message_id) == (
        "sent", 1, message["Message-ID"])
    assert delivery.recipients == "Chancery@rou.example; registry@rou.example"


@pytest.mark.smtp
def test_mission_without_address_is_recorded_failed_never_skipped(
    letter_to, smtp_server
):
    served = make_mission()
    silent = make_mission(emails=[])
    issued_letter = letter_to([served, silent])

    summary = distribute_and_send(issued_letter)

    assert summary.without_address == 1
    assert [mission_code(m) for m in smtp_server.messages()] == [served.state.code]
    assert Delivery.objects.get(mission=silent).state == "failed"
    assert Delivery.objects.get(mission=silent).error == "no address"


@pytest.mark.smtp
def test_rejected_address_fails_with_the_servers_answer_and_the_rest_go_on(
    issued_letter, missions, smtp_server
):
    smtp_server.handler.refuse = {"fra@missions.example"}

    distribute_and_send(issued_letter)

    codes = sorted(mission_code(m) for m in smtp_server.messages())
    assert len(codes) == 192 and "FRA" not in codes
    failed = Delivery.objects.get(state="failed")
    assert failed.mission.state.code == "FRA"
    assert failed.error == "fra@missions.example: 550 5.1.1 Mailbox unavailable"
    assert Delivery.objects.filter(state="sent").count() == 192


@pytest.mark.smtp
def test_server_down_leaves_deliveries_queued_with_backoff_and_a_retry_task(
    letter_to, smtp_server, settings
):
    make_mission()
    issued_letter = letter_to(Mission.objects.all())
    smtp_server.stop()

    distribute_and_send(issued_letter)

    delivery = Delivery.objects.get()
    assert delivery.state == "queued"
    assert delivery.attempts == 1
    assert "ConnectionRefusedError" in delivery.error
    assert (delivery.next_attempt_at - delivery.claimed_at).total_seconds() >= 59
    retry = DBTaskResult.objects.filter(status="READY", run_after=delivery.next_attempt_at)
    assert retry.count() == 1


@pytest.mark.smtp
def test_distribution_sends_nothing_twice_and_says_so(letter_to, smtp_server):
    make_mission()
    issued_letter = letter_to(Mission.objects.all())
    distribute_and_send(issued_letter)
    tasks_before = DBTaskResult.objects.count()

    out = call_command_output("distribute_letter", issued_letter.slug)

    assert out.startswith("Nothing to send: 1 of 1 missions sent")
    assert DBTaskResult.objects.count() == tasks_before
    assert len(smtp_server.messages()) == 1


def call_command_output(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(("status", "message"), [
    (Letter.Status.DRAFT, "“pga-2017-01-12” is a draft: only issued letters can be distributed."),
    (Letter.Status.SUPERSEDED, "“pga-2017-01-12” has been superseded by a correction"),
])
def test_draft_or_superseded_letter_is_refused_and_nothing_queued(
    letter_to, missions, settings, status, message
):
    settings.EMAIL_CONFIGURED = True
    issued_letter = letter_to(None, status=status)

    with pytest.raises(CommandError) as refused:
        call_command("distribute_letter", issued_letter.slug)

    assert str(refused.value).startswith(message)
    assert not Delivery.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_unknown_slug_and_console_mail_are_refused(issued_letter, missions, settings):
    settings.EMAIL_CONFIGURED = False

    with pytest.raises(CommandError, match="No letter has the slug “nope”."):
        call_command("distribute_letter", "nope")
    with pytest.raises(CommandError, match="E-mail is not configured: set EMAIL_URL"):
        call_command("distribute_letter", issued_letter.slug)

    assert not Delivery.objects.exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.smtp
def test_address_added_later_gets_the_letter_on_the_next_run(letter_to, smtp_server):
    mission = make_mission(emails=[])
    issued_letter = letter_to([mission])
    distribute_and_send(issued_letter)
    MissionAddress.objects.create(mission=mission, email="new@mission.example")

    distribute_and_send(issued_letter)

    [message] = smtp_server.messages()
    assert message["To"].addresses[0].addr_spec == "new@mission.example"
    assert Delivery.objects.get().state == "sent"


def test_ledger_holds_one_delivery_per_letter_and_mission(issued_letter):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    mission = make_mission()
    fields = {"letter": issued_letter, "mission": mission, "message_id": "<x@example.org>",
              "queued_at": timezone.now()}
    Delivery.objects.create(**fields)

    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(**{**fields, "mission": make_mission(), "state": "failed"})


@pytest.mark.smtp
def test_worker_recovers_a_delivery_stuck_in_sending_past_the_timeout(
    letter_to, smtp_server, settings
):
    import datetime as dt

    from django.utils import timezone

    settings.IGN_DELIVERY_STUCK_SECONDS = 600
    stuck, recent = make_mission(), make_mission()
    issued_letter = letter_to([stuck, recent])
    letter_distribute(letter=issued_letter)
    now = timezone.now()
    Delivery.objects.filter(mission=stuck).update(
        state="sending", claimed_at=now - dt.timedelta(seconds=601), claimed_by="dead:1")
    Delivery.objects.filter(mission=recent).update(
        state="sending", claimed_at=now - dt.timedelta(seconds=60), claimed_by="alive:2")

    deliver_letter.call(issued_letter.pk)

    assert [mission_code(m) for m in smtp_server.messages()] == [stuck.state.code]
    assert Delivery.objects.get(mission=stuck).state == "sent"
    assert Delivery.objects.get(mission=recent).state == "sending"


@pytest.mark.smtp
def test_seed_pga_letter_reaches_the_193_member_states_once_each_with_the_pdf_as_downloaded(
    seeded, smtp_server, client
):
    from correspondence.seed import PGA_SLUG

    letter = Letter.objects.get(slug=PGA_SLUG)

    distribute_and_send(letter)

    messages = smtp_server.messages()
    codes = [mission_code(m) for m in messages]
    download = client.get(letter.get_pdf_url()).content
    assert len(codes) == len(set(codes)) == 193
    assert not {"VAT", "PSE"} & set(codes)  # the letter is to Permanent Representatives only
    assert {pdf_attachment(m) for m in messages} == {(f"{PGA_SLUG}.pdf", download)}
    assert download[:5] == b"%PDF-"
