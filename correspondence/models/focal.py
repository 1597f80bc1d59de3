"""Mission focal points: the people a mission names to keep its own addresses, their
invitations, and their requests that a message be sent again."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.validators import validate_multi_line, validate_single_line


class FocalPointInvitation(models.Model):
    """An e-mail invitation to become one of a mission's focal points.

    Its link is signed (`correspondence.mission.invitations`) and works once: accepting sets
    `accepted_at`, after which the link answers that it was used. It expires at
    `expires_at`; the Secretariat may revoke it before.
    """

    mission = models.ForeignKey("ign_sessions.Mission", on_delete=models.PROTECT,
                                related_name="focal_invitations", verbose_name=_("mission"))
    email = models.EmailField(_("e-mail address"), validators=[validate_single_line])
    language = models.CharField(_("language"), max_length=7, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE, help_text=_(
                                    "The language of the invitation and of its page."))
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("invited by"))
    created_at = models.DateTimeField(_("invited"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    # Written by the worker only once a mail server took the message.
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    send_error = models.TextField(_("not sent because"), blank=True,
                                  validators=[validate_multi_line])
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("account made"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    shown_publicly = False  # no public page shows it: its writes leave the page cache alone

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("focal point invitation")
        verbose_name_plural = _("focal point invitations")
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")),
                                   name="focal_invitation_expires_after_it_is_made"),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="focal_invitation_accepted_or_revoked_not_both"),
        ]

    def __str__(self):
        return f"{self.email} ({self.mission})"

    def refusal(self, now=None):
        """Why the invitation cannot be accepted now ("" when it can): one line for its page."""
        now = now or timezone.now()
        if self.accepted_at is not None:
            return _("This invitation has already been used. Sign in with the account made "
                     "with it, or ask the Secretariat for a new invitation.")
        if self.revoked_at is not None:
            return _("This invitation was withdrawn by the Secretariat.")
        if self.expires_at <= now:
            return _("This invitation has expired. Ask the Secretariat for a new one.")
        if not self.mission.active:
            return _("This mission no longer receives correspondence from the portal.")
        return ""


class FocalPoint(models.Model):
    """A signed-in account that keeps one mission's distribution addresses and language.

    Never staff: a focal point sees the mission's own page (/mission/) and never the admin.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="focal_point", verbose_name=_("account"))
    mission = models.ForeignKey("ign_sessions.Mission", on_delete=models.PROTECT,
                                related_name="focal_points", verbose_name=_("mission"))
    invitation = models.OneToOneField(FocalPointInvitation, on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="focal_point",
                                      verbose_name=_("invitation"))
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    shown_publicly = False

    class Meta:
        ordering = ["mission__state__name", "user__username"]
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")

    def __str__(self):
        return f"{self.user.get_username()} ({self.mission})"


class ResendRequest(models.Model):
    """A focal point's "Ask for it again": who asked, when, and whether it was queued.

    The rate limits count these rows (`correspondence.mission.services`), so that every
    process sees the same counts.
    """

    delivery = models.ForeignKey("correspondence.Delivery", on_delete=models.CASCADE,
                                 related_name="resend_requests", verbose_name=_("delivery"))
    mission = models.ForeignKey("ign_sessions.Mission", on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("mission"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           blank=True, related_name="+", verbose_name=_("asked by"))
    at = models.DateTimeField(_("asked"), default=timezone.now, db_index=True)

    shown_publicly = False

    class Meta:
        ordering = ["-at"]
        verbose_name = _("re-send request")
        verbose_name_plural = _("re-send requests")

    def __str__(self):
        return f"{self.delivery} · {self.at:%Y-%m-%d %H:%M}"
