"""One ledger for letters and schedule notices, to missions and to subscribers."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from correspondence.distribution.sending import deliveries_claim
from correspondence.models import Delivery, FollowUp, ScheduleNotice, Subscription
from correspondence.subscriptions import links
from correspondence.tasks import deliver_notice, schedule_follow_up
from tests.factories import make_mission, make_session


@pytest.fixture
def notice(db):
    return ScheduleNotice.objects.create(number=1, session=make_session(),
                                         send_at=timezone.now())


def subscription(**fields):
    now = timezone.now()
    return Subscription.objects.create(**{
        "email": "reader@example.org", "source": "/meetings/", "consented_at": now,
        "confirmed_at": now, **fields})


def delivery(**fields):
    now = timezone.now()
    return Delivery.objects.create(**{"message_id": f"<{now.timestamp()}@example.org>",
                                      "queued_at": now, "next_attempt_at": now, **fields})


def refused(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        delivery(**fields)


def test_a_delivery_sends_a_letter_or_a_notice_never_both_nor_neither(issued_letter, notice):
    mission = make_mission()

    refused(letter=issued_letter, notice=notice, mission=mission)
    refused(mission=mission)
    delivery(notice=notice, mission=mission)
    delivery(letter=issued_letter, mission=mission)


def test_a_delivery_goes_to_a_mission_or_a_subscriber_not_both(notice):
    refused(notice=notice, mission=make_mission(), subscription=subscription())


def test_each_recipient_receives_a_notice_once(notice):
    mission, reader = make_mission(), subscription()
    delivery(notice=notice, mission=mission)
    delivery(notice=notice, subscription=reader)

    refused(notice=notice, mission=mission)
    refused(notice=notice, subscription=reader)


def test_a_cancelled_delivery_says_why(notice):
    refused(notice=notice, mission=make_mission(), state=Delivery.State.CANCELLED)


def test_an_erased_subscriber_leaves_the_record_without_the_address(notice):
    reader = subscription()
    kept = delivery(notice=notice, subscription=reader, state=Delivery.State.SENT,
                    sent_at=timezone.now())

    reader.delete()

    kept.refresh_from_db()
    assert kept.subscription_id is None and kept.state == Delivery.State.SENT
    assert "erased" in str(kept)


def test_a_subscriber_is_claimed_with_their_address_and_an_unsubscribed_one_is_cancelled(
        notice):
    staying = delivery(notice=notice, subscription=subscription(email="stays@example.org"))
    gone = delivery(notice=notice, subscription=subscription(
        email="left@example.org", unsubscribed_at=timezone.now()))
    unconfirmed = delivery(notice=notice, subscription=subscription(
        email="never@example.org", confirmed_at=None))

    batch = deliveries_claim(notice_id=notice.pk, worker="test")

    assert [(d.pk, addresses) for d, addresses in batch] == [
        (staying.pk, ["stays@example.org"])]
    for cancelled in (gone, unconfirmed):
        cancelled.refresh_from_db()
        assert cancelled.state == Delivery.State.CANCELLED
        assert cancelled.error == "The subscriber unsubscribed."


def test_a_notice_has_its_own_follow_up_task(notice):
    due = timezone.now() + dt.timedelta(hours=1)
    delivery(notice=notice, mission=make_mission(), next_attempt_at=due)

    result = schedule_follow_up(notice_id=notice.pk)

    assert schedule_follow_up(notice_id=notice.pk) is None  # still waiting: no second task
    [task] = DBTaskResult.objects.filter(status="READY", task_path=deliver_notice.module_path)
    assert str(task.id) == result.id == FollowUp.objects.get(key=f"notice:{notice.pk}").task_id
    assert task.run_after == due and deliver_notice.get_result(result.id).args == [notice.pk]


def test_only_a_subscribers_message_carries_the_one_click_unsubscribe(notice, settings):
    settings.SITE_URL = "https://ign.example.org"
    reader = subscription()
    to_reader = delivery(notice=notice, subscription=reader)
    to_mission = delivery(notice=notice, mission=make_mission())

    headers = links.unsubscribe_headers(to_reader)

    assert links.unsubscribe_headers(to_mission) == {}
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = headers["List-Unsubscribe"].strip("<>")
    assert url.startswith("https://ign.example.org/")
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert links.subscription_id(token, links.UNSUBSCRIBE_SALT) == reader.pk
    # Signed per purpose: the unsubscribe token does not open the manage page; forged fails.
    assert links.subscription_id(token, links.MANAGE_SALT) is None
    assert links.subscription_id(token[:-2] + "xx", links.UNSUBSCRIBE_SALT) is None


def test_an_address_following_two_pages_is_sent_each_notice_once_and_erased_whole(notice):
    from correspondence.subscriptions.audience import notice_subscriptions
    from correspondence.subscriptions.services import subscription_erase

    everything = subscription(email="reader@example.org")
    subscription(email="Reader@Example.org", session=notice.session)
    subscription(email="other@example.org")

    assert sorted(s.email for s in notice_subscriptions(notice)) == [
        "other@example.org", "reader@example.org"]

    kept = delivery(notice=notice, subscription=everything, state=Delivery.State.SENT,
                    sent_at=timezone.now(), recipients="reader@example.org",
                    accepted=["reader@example.org"])
    subscription_erase(subscription=everything)

    assert not Subscription.objects.filter(email__iexact="reader@example.org").exists()
    kept.refresh_from_db()
    assert (kept.subscription_id, kept.recipients, kept.accepted) == (None, "", [])


def test_a_subscriber_who_no_longer_asks_for_notices_is_not_sent_the_waiting_one(notice):
    reader = subscription()
    waiting = delivery(notice=notice, subscription=reader)
    Subscription.objects.filter(pk=reader.pk).update(wants_notices=False)

    assert deliveries_claim(notice_id=notice.pk, worker="test") == []
    waiting.refresh_from_db()
    assert (waiting.state, waiting.error) == (
        "cancelled", "The subscriber no longer asks for these messages.")


def test_a_subscriber_erased_while_being_sent_leaves_no_address_in_the_ledger(notice):
    from correspondence.distribution.sending import _record

    reader = subscription(email="gone@example.org")
    delivery(notice=notice, subscription=reader)
    [(claimed, addresses)] = deliveries_claim(notice_id=notice.pk, worker="test")

    Subscription.objects.filter(pk=reader.pk).delete()  # erased while on the wire
    _record(claimed, "sent", "", addresses, took=addresses)

    claimed.refresh_from_db()
    assert claimed.state == Delivery.State.SENT
    assert (claimed.subscription_id, claimed.recipients, claimed.accepted) == (None, "", [])


def test_unsubscribing_ends_every_subscription_of_the_address(notice):
    from correspondence.subscriptions.audience import notice_subscriptions
    from correspondence.subscriptions.services import subscription_unsubscribe

    first = subscription(email="reader@example.org")
    subscription(email="READER@example.org", session=notice.session)

    assert subscription_unsubscribe(subscription=first)

    assert not notice_subscriptions(notice).exists()
    assert not subscription_unsubscribe(subscription=first)  # nothing left to end
