"""The message a mission receives: exactly the headers and parts intended, as Django builds it."""

import datetime as dt
import email
import email.policy
import hashlib

import pytest
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from correspondence.distribution.message import MessageContent
from correspondence.distribution.services import letter_distribute
from correspondence.models import Delivery
from correspondence.tasks import deliver_letter
from tests.factories import make_mission

from .conftest import pdf_attachment

# Added by the test server's Maildir handler, not by the portal.
SERVER_HEADERS = {"X-Peer", "X-MailFrom", "X-RcptTo"}


def structure(message):
    """[(content type, [header names])] of every part, depth first."""
    return [(part.get_content_type(), list(part.keys())) for part in message.walk()]


@pytest.mark.smtp
def test_message_carries_exactly_the_intended_headers_and_parts(letter_to, smtp_server, client):
    mission = make_mission(emails=["registry@rou.example"])
    letter = letter_to([mission])
    letter_distribute(letter=letter)

    deliver_letter.call(letter.pk)

    [message] = smtp_server.messages()  # as the standard library's parser reads it
    delivery = Delivery.objects.get()
    assert [k for k in message if k not in SERVER_HEADERS] == [
        "MIME-Version", "Content-Type", "Subject", "From", "To", "Date", "Message-ID",
        "Auto-Submitted"]
    assert structure(message)[1:] == [
        ("multipart/alternative", ["Content-Type"]),
        ("text/plain", ["Content-Type", "Content-Transfer-Encoding"]),
        # The standard library's add_alternative(), which Django calls, adds MIME-Version.
        ("text/html", ["Content-Type", "Content-Transfer-Encoding", "MIME-Version"]),
        ("application/pdf", ["Content-Type", "Content-Transfer-Encoding", "Content-Disposition"]),
    ]
    assert message.get_content_type() == "multipart/mixed"
    assert not [part.defects for part in message.walk() if part.defects]
    assert message["MIME-Version"] == "1.0"
    assert message["Message-ID"] == delivery.message_id
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["From"] == "ign-portal@example.org"
    assert [a.addr_spec for a in message["To"].addresses] == ["registry@rou.example"]
    assert abs(message["Date"].datetime - timezone.now()) < dt.timedelta(minutes=1)
    filename, pdf = pdf_attachment(message)
    assert filename == f"{letter.slug}.pdf"
    assert hashlib.sha256(pdf).hexdigest() == letter.pdf_sha256
    assert pdf == client.get(letter.get_pdf_url()).content
    assert message.get_body(("plain",)).get_content() == MessageContent.for_letter(letter).text


def test_each_missions_message_is_the_one_django_builds_for_it(letter_to, settings):
    """The run's shared headers and parts never leak one mission's To, Date or Message-ID."""
    settings.EMAIL_CONFIGURED = True
    first = make_mission(emails=["registry@rou.example", "Chancery@rou.example"])
    second = make_mission(emails=["mission@bücher.example"])
    letter = letter_to([first, second])
    letter_distribute(letter=letter)
    content = MessageContent.for_letter(letter)
    deliveries = Delivery.objects.order_by("pk")
    addresses = {first.pk: ["registry@rou.example", "Chancery@rou.example"],
                 second.pk: ["mission@bücher.example"]}

    for delivery in deliveries:
        ours = content.message(delivery, addresses[delivery.mission_id]).message(
            policy=email.policy.SMTP)
        django = EmailMultiAlternatives(
            subject=letter.subject, body=content.text, to=addresses[delivery.mission_id],
            alternatives=[(content.html, "text/html")], attachments=[content.attachment],
            headers={"Message-ID": delivery.message_id, "Auto-Submitted": "auto-generated"},
        ).message(policy=email.policy.SMTP)
        parsed = email.message_from_bytes(ours.as_bytes(), policy=email.policy.default)

        assert dict(comparable(parsed)) == dict(comparable(django))
        assert len(parsed.keys()) == len(django.keys())
        assert structure(parsed) == structure(django)
        assert [contents(p) for p in parsed.walk()] == [contents(p) for p in django.walk()]
    assert str(parsed["To"]) == "mission@xn--bcher-kva.example"


def comparable(message):
    """Its headers, but the Date and the multipart boundary (chosen at random)."""
    for name, value in message.items():
        if name == "Content-Type":
            yield name, message.get_content_type()
        elif name != "Date":
            yield name, str(value)


def contents(part):
    """The decoded content of a leaf part, text with the line ends it had before sending."""
    if part.is_multipart():
        return None
    content = part.get_content()
    return content.replace("\r\n", "\n") if isinstance(content, str) else content
