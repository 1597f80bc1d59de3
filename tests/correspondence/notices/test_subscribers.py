"""A subscriber of schedule notices gets a delivery of the notice, its own Message-ID, and a
message with its manage and unsubscribe links."""

import email
import email.policy

import pytest
from django.utils import timezone

from correspondence.models import Delivery, Subscription
from correspondence.notices.message import NoticeContent
from correspondence.notices.services import notice_send
from sessions.services import meeting_cancel

pytestmark = pytest.mark.django_db


def test_a_subscriber_is_queued_once_with_its_links(announced, meetings, publisher):
    now = timezone.now()
    follows = Subscription.objects.create(email="reader@example.net", language="fr",
                                          source="/meetings/", consented_at=now,
                                          confirmed_at=now)
    Subscription.objects.create(email="unconfirmed@example.net", source="/meetings/",
                                consented_at=now)
    Subscription.objects.create(email="letters@example.net", wants_notices=False,
                                source="/letters/", consented_at=now, confirmed_at=now)
    meeting_cancel(meeting=meetings[0], reason="No quorum")

    notice = notice_send(session=meetings[0].session, by=publisher).notice

    [delivery] = Delivery.objects.for_notice(notice).to_subscribers()
    assert delivery.subscription == follows
    assert delivery.message_id == f"<notice-{notice.number}.s{follows.pk}@example.org>"
    built = NoticeContent.for_notice(notice, "fr", subscription=follows).message(
        delivery, [follows.email]).message()
    message = email.message_from_bytes(built.as_bytes(), policy=email.policy.default)
    body = message.get_body(("plain",)).get_content()
    assert "/fr/subscriptions/manage/" in body and "/fr/subscriptions/unsubscribe/" in body
    assert message["List-Unsubscribe"].startswith("<http")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Annulée" in body or "Annulé" in body, body
