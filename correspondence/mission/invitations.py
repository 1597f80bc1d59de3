"""A focal point invitation's signed link, and the message that carries it.

The link names the invitation and is signed with the secret key (salted for this purpose):
it cannot be forged. The database says whether it still works (`FocalPointInvitation.
refusal`: once, until it expires), so no link is stored and no secret sits in the task
queue: the worker signs the link when it sends the message.
"""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, mailers
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..distribution.mailers import mailer_refusal, mailer_send
from ..distribution.message import answers, classify_failure, refusals_text
from ..models import FocalPointInvitation

SALT = "ign.mission.invitation"


def invitation_token(invitation):
    return signing.dumps(invitation.pk, salt=SALT, compress=False)


def invitation_for_token(value):
    """The invitation a token names, or None when forged, malformed or unknown."""
    try:
        pk = signing.loads(value, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return FocalPointInvitation.objects.select_related("mission").filter(pk=pk).first()


def invitation_url(invitation):
    """The absolute link of the invitation, in its language."""
    with translation.override(invitation.language):
        path = reverse("mission:invitation", args=[invitation_token(invitation)])
    return settings.SITE_URL + path


def invitation_message(invitation):
    """The e-mail inviting `invitation.email`, text and HTML, in the invitation's language."""
    with translation.override(invitation.language):
        context = {"invitation": invitation, "mission": invitation.mission,
                   "url": invitation_url(invitation), "expires_at": invitation.expires_at}
        subject = _("Invitation: focal point of the %(mission)s on the IGN Portal") % {
            "mission": invitation.mission.name}
        text = render_to_string("correspondence/mission/invitation_message.txt", context)
        html = render_to_string("correspondence/mission/invitation_message.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[invitation.email],
                                     from_email=settings.DEFAULT_FROM_EMAIL)
    message.attach_alternative(html, "text/html")
    return message


def invitation_send(*, invitation_id):
    """Send the invitation through the default mailer, unless it can no longer be accepted.

    Side effects: `sent_at` is written only when the mail server took the message;
    otherwise `send_error` says why (a development backend that delivers nothing, the
    server's refusal, an invitation already used, withdrawn or expired). Returns "sent", or
    the reason it was not.
    """
    invitation = FocalPointInvitation.objects.select_related("mission").get(pk=invitation_id)
    reason = invitation.refusal() or mailer_refusal(mailers.default)
    if not reason:
        try:
            refused = mailer_send(mailers.default, invitation_message(invitation))
        except Exception as exc:  # noqa: BLE001 - any failure is recorded, none lost
            reason = _("The mail server did not take the invitation: %(error)s") % {
                "error": classify_failure(exc)[1]}
        else:
            if refused:
                reason = _("The mail server did not take the invitation: %(error)s") % {
                    "error": refusals_text(answers(refused))}
    if reason:
        FocalPointInvitation.objects.filter(pk=invitation.pk).update(send_error=reason)
        return reason
    FocalPointInvitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now(), send_error="")
    return "sent"
