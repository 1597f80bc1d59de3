"""Sending the subscribe form's messages: the confirmation link, or the note to an address
already subscribed. One message per `ConfirmationMessage` row, sent by a worker."""

import logging
import smtplib
from contextlib import suppress

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import ConfirmationMessage
from ..subscriptions.links import confirm_token, manage_url
from .mailers import mailer_refusal, mailer_send
from .message import FAIL, classify_failure

logger = logging.getLogger(__name__)


def confirmation_message(confirmation):
    """The Django message of a `ConfirmationMessage`, in the subscription's language."""
    subscription = confirmation.subscription
    with translation.override(subscription.language):
        context = {
            "subscription": subscription, "scope": subscription.scope,
            "already": confirmation.kind == ConfirmationMessage.Kind.ALREADY,
            "hours": settings.IGN_SUBSCRIPTION_CONFIRM_HOURS,
            "confirm_url": settings.SITE_URL + reverse(
                "subscriptions:confirm", args=[confirm_token(subscription)]),
            "manage_url": manage_url(subscription),
        }
        subject = (_("You are already subscribed to the IGN Portal's e-mails")
                   if context["already"] else _("Confirm your subscription to the IGN Portal"))
        text = render_to_string("correspondence/subscriptions/confirmation.txt", context)
    return EmailMultiAlternatives(subject=subject, body=text, to=[subscription.email],
                                  headers={"Auto-Submitted": "auto-generated"})


def confirmation_send(*, confirmation_id):
    """Send one queued confirmation message through the default mailer.

    Side effects: the row claimed (queued -> sending, one worker wins), then recorded sent
    when the server took the message, failed with the server's answer when it refused for
    good, or queued again with the answer (returned as the delay in seconds before the next
    try) when the failure was temporary, until IGN_DELIVERY_MAX_ATTEMPTS. A mailer that
    delivers nothing (`mailer_refusal`) sends nothing: the row stays queued, its reason in
    `error`. Returns the seconds to wait before trying again, or None.
    """
    claimed = ConfirmationMessage.objects.filter(
        pk=confirmation_id, state=ConfirmationMessage.State.QUEUED)
    mailer = mailers.default
    refusal = mailer_refusal(mailer)
    if refusal:
        claimed.update(error=refusal)
        return None
    if not claimed.update(state=ConfirmationMessage.State.SENDING, attempts=F("attempts") + 1):
        return None  # sent, being sent, or erased
    confirmation = ConfirmationMessage.objects.select_related(
        "subscription__session", "subscription__cluster").get(pk=confirmation_id)
    try:
        mailer_send(mailer, confirmation_message(confirmation))
    except Exception as exc:
        outcome, text = classify_failure(exc)
        retry = outcome != FAIL and confirmation.attempts < settings.IGN_DELIVERY_MAX_ATTEMPTS
        ConfirmationMessage.objects.filter(pk=confirmation_id).update(
            state=ConfirmationMessage.State.QUEUED if retry else ConfirmationMessage.State.FAILED,
            error=text)
        # The outcome only: a server's answer often repeats the address, which stays out
        # of the logs (the row keeps it, and is erased with the subscription).
        logger.warning("Confirmation message %s not sent (%s, %s).", confirmation_id,
                       type(exc).__name__, outcome)
        return settings.IGN_DELIVERY_RETRY_SECONDS * confirmation.attempts if retry else None
    finally:
        with suppress(OSError, smtplib.SMTPException):
            mailer.close()
    ConfirmationMessage.objects.filter(pk=confirmation_id).update(
        state=ConfirmationMessage.State.SENT, sent_at=timezone.now(), error="")
    return None
