"""A test of a message before it goes out: sent to the officer who asks, and to no one else.

The message is the one the recipients would receive (any content with
`.message(delivery, addresses)`: a letter's `MessageContent`, a notice's), marked as a test,
sent in the request through the default mailer (with its timeout), never recorded in the
ledger: a test is not a delivery.
"""

import email.utils
import re
import smtplib
from contextlib import suppress
from dataclasses import dataclass

from django.core.mail import EmailMultiAlternatives, mailers
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..models import Delivery
from .mailers import mailer_refusal, mailer_send
from .message import answers, classify_failure, refusals_text


@dataclass
class TrialOutcome:
    """What became of a test: `sent` only when the server took it; `text` says so, or why
    not, in one line for the officer."""

    sent: bool
    text: str


def trial_subject(subject):
    # Translators: the subject of a test message sent to the officer alone.
    return _("[TEST] %(subject)s") % {"subject": subject}


def trial_line(address):
    return _("This is a test sent to %(address)s alone, at their request: no mission or "
             "subscriber was sent it.") % {"address": address}


def marked_as_test(message, address, message_id):
    """A copy of the Django message `message` for `address` alone: its subject prefixed
    “[TEST]”, the test line at the top of its text and of its HTML, its own Message-ID; the
    same parts and attachments otherwise."""
    line = trial_line(address)
    para = format_html('<p class="test-message"><strong>{}</strong></p>', line)
    alternatives = []
    for alternative in message.alternatives:
        content, mimetype = alternative[0], alternative[1]
        if mimetype == "text/html":
            body = re.search(r"<body\b[^>]*>", content)
            at = body.end() if body else 0
            content = content[:at] + para + content[at:]
        alternatives.append((content, mimetype))
    return EmailMultiAlternatives(
        subject=trial_subject(message.subject), body=f"{line}\n\n{message.body}",
        from_email=message.from_email, to=[address], alternatives=alternatives,
        attachments=list(message.attachments),
        headers={**message.extra_headers, "Message-ID": message_id},
    )


def send_test(content, user, *, language, mailer=None):
    """Send the message `content` builds (its text in `language`), marked as a test in the
    officer's own language (the request's), to `user`'s own address alone, now.

    Side effects: at most one message, through `mailer` (default: the default mailer),
    opened and closed here; nothing is written to the database (no Delivery). Returns a
    TrialOutcome: not sent when the user has no address, when the mailer delivers nothing
    (a development backend, `mailer_refusal`) or when the server refuses, with its answer.
    """
    address = (user.email or "").strip()
    if not address:
        return TrialOutcome(False, _("Your account has no e-mail address: add one to your "
                                     "user in the admin before sending a test to yourself."))
    mailer = mailers.default if mailer is None else mailer
    refusal = mailer_refusal(mailer)
    if refusal:
        return TrialOutcome(False, refusal)
    domain = Delivery.message_id_domain()
    message_id = email.utils.make_msgid("test", domain=domain)
    # A stand-in for a mission's delivery, never saved: the message has a mission's headers.
    stand_in = Delivery(message_id=message_id)
    # The mark is for the officer: in the language they work in, the message in its own.
    message = marked_as_test(content.message(stand_in, [address]), address, message_id)
    try:
        mailer.open()
        refused = mailer_send(mailer, message)
    except Exception as exc:  # the officer is shown the server's answer, whatever it is
        return TrialOutcome(False, _("The test was not sent to %(address)s: %(answer)s") % {
            "address": address, "answer": classify_failure(exc)[1]})
    finally:
        with suppress(OSError, smtplib.SMTPException):
            mailer.close()
    if refused:
        return TrialOutcome(False, _("The test was not sent to %(address)s: %(answer)s") % {
            "address": address, "answer": refusals_text(answers(refused))})
    return TrialOutcome(True, _("A test was sent to %(address)s (%(language)s): the e-mail "
                                "server took it (Message-ID %(message_id)s).") % {
        "address": address, "message_id": message_id,
        "language": translation.get_language_info(language)["name_local"]})
