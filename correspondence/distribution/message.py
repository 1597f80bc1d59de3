"""The message each mission receives, built once per run, and how SMTP failures are read."""

import email.message
import email.parser
import email.policy
import email.utils
import smtplib
from dataclasses import dataclass, field
from email.headerregistry import Address
from functools import cached_property

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ..subscriptions.links import manage_url, unsubscribe_headers, unsubscribe_url


@dataclass
class MessageContent:
    """What every mission receives: rendered and encoded once per run, never per mission."""

    subject: str
    text: str
    html: str
    pdf: bytes
    filename: str
    # {policy: (headers, serialised body)} of the run's message, see MissionEmail.message().
    templates: dict = field(default_factory=dict, repr=False)

    @classmethod
    def for_letter(cls, letter, language=None, subscription=None):
        """The message sending `letter` (one language version), its text in `language` (the
        mission's preferred language, or the subscriber's; default the letter's) where the
        catalogs have it, listing the letter's other issued versions with their links; a
        subscriber's (`subscription`) ends with its manage and unsubscribe links."""
        language = language or letter.language
        with translation.override(language):
            context = {
                "subscription": subscription,
                "manage_url": manage_url(subscription) if subscription else "",
                "unsubscribe_url": unsubscribe_url(subscription) if subscription else "",
                "letter": letter, "sender": letter.sender.name, "language": language,
                "letter_language": letter.language_name,
                "url": settings.SITE_URL + letter.get_own_url(),
                "pdf_url": settings.SITE_URL + letter.get_pdf_url(),
                "others": [
                    {"language": version.language,
                     "name": translation.get_language_info(version.language)["name_local"],
                     "url": settings.SITE_URL + version.get_own_url(),
                     "pdf_url": settings.SITE_URL + version.get_pdf_url()}
                    for version in letter.other_versions
                    if version.status == version.Status.ISSUED],
            }
            text = render_to_string("correspondence/distribution/message.txt", context)
            html = render_to_string("correspondence/distribution/message.html", context)
        # The one place the issued PDF's bytes are read for distribution.
        filename = (f"{letter.slug}.pdf" if letter.language == settings.LANGUAGE_CODE
                    else f"{letter.slug}.{letter.language}.pdf")
        return cls(subject=letter.subject, text=text, html=html, pdf=bytes(letter.pdf.content),
                   filename=filename)

    @cached_property
    def attachment(self):
        """The PDF as a MIME part, base64-encoded once and attached to every message."""
        part = email.message.MIMEPart()
        part.set_content(self.pdf, maintype="application", subtype="pdf",
                         filename=self.filename)
        return part

    def message(self, delivery, addresses):
        """The Django message for one mission or subscriber: its To, a fixed Message-ID, a
        subscriber's unsubscribe headers, the PDF."""
        return MissionEmail(
            content=self, subject=self.subject, body=self.text, to=addresses,
            alternatives=[(self.html, "text/html")],
            attachments=[self.attachment],
            headers={"Message-ID": delivery.message_id, "Auto-Submitted": "auto-generated",
                     **unsubscribe_headers(delivery)},
        )


class MissionEmail(EmailMultiAlternatives):
    """One mission's message, as EmailMultiAlternatives builds it, built once per run.

    message() (Django's documented extension point) builds the first message of the run
    with Django and serialises it once with the standard generator, which fixes its
    multipart boundaries; each mission's message is then a new email.message.EmailMessage
    with those headers as the generator folded them (``set_raw``), its own To, Date and
    Message-ID, and that serialised body as its payload (a multipart message whose payload
    is a string is written as it is). So the parts are encoded and the headers folded once
    per run, not once per mission.
    """

    def __init__(self, *, content, **kwargs):
        super().__init__(**kwargs)
        self.content = content

    def message(self, *, policy=email.policy.default):
        if policy not in self.content.templates:
            template = super().message(policy=policy)
            serialised = template.as_bytes(policy=policy)
            separator = policy.linesep.encode() * 2
            head, body = serialised.split(separator, 1)
            # The headers as the generator wrote them, folded: written back as they are.
            headers = email.parser.BytesParser(policy=policy).parsebytes(
                head + separator, headersonly=True).raw_items()
            # The generator writes a string payload back with the same codec: byte for byte.
            self.content.templates[policy] = (
                list(headers), body.decode("ascii", "surrogateescape"))
        headers, body = self.content.templates[policy]
        own = {"to": ", ".join(str(mailbox(address, policy)) for address in self.to),
               "date": email.utils.format_datetime(timezone.now()),
               "message-id": self.extra_headers["Message-ID"]}
        msg = email.message.EmailMessage(policy=policy)
        for name, value in headers:  # in the order Django wrote them
            # A line too long for the policy is folded again when written.
            msg.set_raw(name, own.get(name.lower(), value))
        msg.set_payload(body)
        return msg


def mailbox(address, policy):
    """An addr-spec as a header Address; a non-ASCII domain IDNA-encoded unless the policy
    allows UTF-8 headers (as Django does: the standard library would RFC 2047-encode it)."""
    parsed = Address(addr_spec=address)
    if parsed.domain.isascii() or getattr(policy, "utf8", False):
        return parsed
    return Address(username=parsed.username, domain=parsed.domain.encode("idna").decode("ascii"))


RETRY_LATER, RETRY_RECIPIENT, FAIL = "retry-later", "retry-recipient", "fail"


def classify_failure(exc):
    """(what to do, the server's answer) for an exception raised while sending."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        permanent = all(code >= 500 for code, _msg in exc.recipients.values())
        return (FAIL if permanent else RETRY_RECIPIENT), refusals_text(answers(exc.recipients))
    if isinstance(exc, smtplib.SMTPResponseException):
        text = f"{exc.smtp_code} {_decode(exc.smtp_error)}"
        return (FAIL if exc.smtp_code >= 500 else RETRY_LATER), text
    if isinstance(exc, OSError):  # connection refused, reset, timed out; server disconnected
        return RETRY_LATER, f"{type(exc).__name__}: {exc}"
    return FAIL, f"{type(exc).__name__}: {exc}"


def answers(refused):
    """{address: "code answer"} from smtplib's {address: (code, answer)}."""
    return {address: f"{code} {_decode(msg)}" for address, (code, msg) in refused.items()}


def refusals_text(answers):
    """One line: "address: code answer; ..." """
    return "; ".join(f"{address}: {answer}" for address, answer in answers.items())


def _decode(value):
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
