"""Sign-up for a mission's focal point alone: open only with a valid invitation in the session.

The staff's adapter (`common.signin.StaffAccountAdapter`) forbids sign-up. A focal point
opens their invitation's link (`views.invitation_accept`), which keeps the invitation in the
session; sign-up then opens, for that invitation's address only, and the account made is
the mission's focal point (never staff). Signing in takes a focal point to /mission/.
"""

from allauth.core.exceptions import ImmediateHttpResponse
from django.db import transaction
from django.forms import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from common.signin import StaffAccountAdapter

from ..models import FocalPointInvitation
from .services import InvitationRefused, invitation_accept

SESSION_KEY = "ign_focal_invitation"


def invitation_in_session(request):
    """The invitation kept in the session if it can still be accepted, else None."""
    pk = request.session.get(SESSION_KEY) if request is not None else None
    if not isinstance(pk, int):
        return None
    invitation = FocalPointInvitation.objects.select_related("mission").filter(pk=pk).first()
    if invitation is None or invitation.refusal():
        return None
    return invitation


def keep_invitation(request, invitation, stash_email):
    """Keep the invitation for the sign-up; its address counts as verified (the link came
    to it), and allauth fills the form's e-mail with it."""
    request.session[SESSION_KEY] = invitation.pk
    stash_email(request, invitation.email)


class FocalPointAccountAdapter(StaffAccountAdapter):
    def is_open_for_signup(self, request):
        return invitation_in_session(request) is not None

    def clean_email(self, email):
        """The account's address is the invitation's: the link was sent there."""
        invitation = invitation_in_session(self.request)
        if invitation is not None and email.strip().lower() != invitation.email.lower():
            raise ValidationError(_("Use the address the invitation was sent to: %(email)s.")
                                  % {"email": invitation.email})
        return super().clean_email(email)

    def save_user(self, request, user, form, commit=True):
        """The account and its focal point together, or neither (the invitation used once)."""
        invitation = invitation_in_session(request)
        if invitation is None:
            raise ImmediateHttpResponse(_refused(request, _(
                "This invitation can no longer be used.")))
        user.is_staff = user.is_superuser = False
        try:
            with transaction.atomic():
                user = super().save_user(request, user, form, commit=True)
                invitation_accept(invitation=invitation, user=user)
        except InvitationRefused as exc:
            raise ImmediateHttpResponse(_refused(request, str(exc))) from exc
        request.session.pop(SESSION_KEY, None)
        return user

    def get_signup_redirect_url(self, request):
        return reverse("mission:home")

    def get_login_redirect_url(self, request):
        """A focal point goes to their mission's page, staff to the admin."""
        if not request.user.is_staff and hasattr(request.user, "focal_point"):
            return reverse("mission:home")
        return super().get_login_redirect_url(request)


def _refused(request, reason):
    return render(request, "correspondence/mission/invitation_refused.html",
                  {"reason": reason}, status=410)
