"""Which e-mail backends deliver, and the one send that tells which addresses took a message."""

import email.policy
import smtplib

from django.conf import settings
from django.core.mail.backends import console, dummy, filebased, locmem, smtp
from django.utils.translation import gettext as _

# Django's development backends print, keep or drop a message: none of them delivers it.
DEVELOPMENT_BACKENDS = (
    console.EmailBackend, filebased.EmailBackend, locmem.EmailBackend, dummy.EmailBackend)


class NothingSent(Exception):
    """The backend reported that it sent nothing (and raised nothing)."""


def backend_path(mailer):
    """The dotted path of the mailer's class, as MAILERS and EMAIL_URL name it."""
    cls = type(mailer)
    return f"{cls.__module__}.{cls.__qualname__}"


def mailer_refusal(mailer, *, worker=None):
    """Why letters must not be sent through this mailer, or "" when it delivers them.

    SMTP (Django's backend or a subclass) delivers. Django's development backends
    (console, file, locmem, dummy, and their subclasses) never do, whatever the settings
    say. Any other backend delivers only when its dotted path is listed in
    IGN_DELIVERING_MAIL_BACKENDS: nothing else tells what an unknown backend does.
    `worker` (a worker's name) is named in the reason, so that the held deliveries say
    which worker held them.
    """
    path = backend_path(mailer)
    who = (_("The worker %(worker)s") % {"worker": worker}) if worker else _("This process")
    if isinstance(mailer, DEVELOPMENT_BACKENDS):
        return _("%(who)s has a development e-mail backend (%(backend)s), which delivers "
                 "nothing: not sent. A worker started with EMAIL_URL=smtp://… sends it.") % {
            "who": who, "backend": path}
    if isinstance(mailer, smtp.EmailBackend) or path in settings.IGN_DELIVERING_MAIL_BACKENDS:
        return ""
    return _("%(who)s has an e-mail backend not known to deliver (%(backend)s): not sent. "
             "Use SMTP (EMAIL_URL=smtp://…) or list the backend in "
             "IGN_DELIVERING_MAIL_BACKENDS.") % {"who": who, "backend": path}


def mailer_send(mailer, message):
    """Send one message; return {address: (code, answer)} of the addresses refused.

    Through SMTP the message is sent as Django's SMTP backend sends it (same envelope, same
    bytes), but the server's refusals of some of the recipients, which smtplib's sendmail()
    returns and Django drops, are kept. Every recipient refused raises
    SMTPRecipientsRefused, as before. The addresses are the message's own (not their IDNA
    form). Other backends report no refusals; one that says it sent nothing raises
    NothingSent.
    """
    if not isinstance(mailer, smtp.EmailBackend):
        if not mailer.send_messages([message]):
            raise NothingSent(_("the e-mail backend reported that it sent nothing"))
        return {}
    mailer.open()
    if mailer.connection is None:  # fail_silently and the connection failed
        raise NothingSent(_("the SMTP connection could not be opened"))
    ours = {mailer.prep_address(address): address for address in message.recipients()}
    try:
        refused = mailer.connection.sendmail(
            mailer.prep_address(message.from_email), list(ours),
            message.message(policy=email.policy.SMTP).as_bytes())
    except smtplib.SMTPRecipientsRefused as exc:
        raise smtplib.SMTPRecipientsRefused(
            {ours.get(address, address): answer for address, answer in exc.recipients.items()}
        ) from exc
    return {ours.get(address, address): answer for address, answer in refused.items()}
