"""The message each mission receives, built once per run, and how SMTP failures are read."""

import email.message
import email.policy
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation


@dataclass
class MessageContent:
    """What every mission receives: built once per run, never per mission."""

    subject: str
    text: str
    html: str
    pdf: bytes
    filename: str
    mime: dict = field(default_factory=dict)

    @classmethod
    def for_letter(cls, letter):
        context = {
            "letter": letter, "sender": letter.letterhead.name,
            "url": settings.SITE_URL + letter.get_absolute_url(),
            "pdf_url": settings.SITE_URL + letter.get_pdf_url(),
        }
        with translation.override(letter.language):
            text = render_to_string("correspondence/distribution/message.txt", context)
            html = render_to_string("correspondence/distribution/message.html", context)
        return cls(subject=letter.subject, text=text, html=html, pdf=bytes(letter.pdf.content),
                   filename=f"{letter.slug}.pdf")

    def message(self, delivery, addresses):
        message = MissionEmail(
            subject=self.subject, body=self.text, to=addresses, shared=self.mime,
            headers={"Message-ID": delivery.message_id, "Auto-Submitted": "auto-generated"},
        )
        message.attach_alternative(self.html, "text/html")
        message.attach(self.filename, self.pdf, "application/pdf")
        return message


class MissionEmail(EmailMultiAlternatives):
    """One mission's message. The MIME body (texts and the encoded PDF) is built and
    serialised once per run and shared; each message has its own To, Date and Message-ID."""

    OWN_HEADERS = ("to", "date", "message-id")

    def __init__(self, *, shared, **kwargs):
        super().__init__(**kwargs)
        self._shared = shared

    def message(self, *, policy=email.policy.default):
        if policy not in self._shared:
            template = super().message(policy=policy)
            # Serialising first fixes the multipart boundary in the template's headers.
            serialised = template.as_bytes(policy=policy)
            linesep = policy.linesep.encode()
            body = serialised.split(linesep * 2, 1)[1]
            headers = [(k, v) for k, v in template.raw_items() if k.lower() not in self.OWN_HEADERS]
            self._shared[policy] = (template.get_payload(), headers, body)
        payload, headers, body = self._shared[policy]
        msg = PreparedMessage(policy=policy)
        for name, value in headers:
            msg[name] = value
        msg.set_payload(payload)
        self._set_list_header_if_not_empty(msg, "To", self.to)
        msg["Date"] = timezone.now()
        msg["Message-ID"] = self.extra_headers["Message-ID"]
        self._idna_encode_address_header_domains(msg)
        msg.serialised_body = body
        return msg


class PreparedMessage(email.message.EmailMessage):
    """A message whose body was serialised once for the run: as_bytes() folds only its headers,
    as the standard generator does, then appends the shared body bytes."""

    serialised_body = None

    def as_bytes(self, unixfrom=False, policy=None):
        policy = policy or self.policy
        if self.serialised_body is None or unixfrom:
            return super().as_bytes(unixfrom=unixfrom, policy=policy)
        head = b"".join(policy.fold_binary(name, value) for name, value in self.raw_items())
        return head + policy.linesep.encode() + self.serialised_body


RETRY_LATER, RETRY_RECIPIENT, FAIL = "retry-later", "retry-recipient", "fail"


def classify_failure(exc):
    """(what to do, the server's answer) for an exception raised while sending."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        answers = exc.recipients.items()
        text = "; ".join(f"{addr}: {code} {_decode(msg)}" for addr, (code, msg) in answers)
        permanent = all(code >= 500 for _addr, (code, _msg) in answers)
        return (FAIL if permanent else RETRY_RECIPIENT), text
    if isinstance(exc, smtplib.SMTPResponseException):
        text = f"{exc.smtp_code} {_decode(exc.smtp_error)}"
        return (FAIL if exc.smtp_code >= 500 else RETRY_LATER), text
    if isinstance(exc, OSError):  # connection refused, reset, timed out; server disconnected
        return RETRY_LATER, f"{type(exc).__name__}: {exc}"
    return FAIL, f"{type(exc).__name__}: {exc}"


def _decode(value):
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
